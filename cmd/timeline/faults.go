package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// startupCheck runs SQLite's quick check of the database for at most
// budget (0 skips it) before serve answers anyone. A damaged file stops a
// primary from starting; a read-only server serves what it can still read
// and reports itself degraded on /readyz.
func startupCheck(ctx context.Context, store *timeline.Store, budget time.Duration, readOnly bool, log *slog.Logger) error {
	if budget <= 0 {
		log.Info("start-up check skipped (--start-check 0)", "db", store.Path())
		return nil
	}
	start := time.Now()
	report, err := store.QuickCheck(ctx, budget)
	if err != nil {
		return fmt.Errorf("serve: checking %s at start: %w", store.Path(), err)
	}
	switch {
	case report.Incomplete:
		log.Warn("start-up check cut short: the database is too large to check within --start-check; run `timeline check` to check all of it", "db", store.Path(), "budget", budget)
	case report.OK():
		log.Info("start-up check passed", "db", store.Path(), "took", time.Since(start).Round(time.Millisecond))
	case readOnly:
		log.Error("the database is damaged: serving what can still be read, and /readyz reports the server degraded; run `timeline check`, then restore a backup", "db", store.Path(), "problems", strings.Join(report.Problems, "; "))
	default:
		return fmt.Errorf("serve: %s is damaged (SQLite's quick check found: %s). Run `timeline check --db %s` to see every problem, then restore the last good backup with `timeline restore --db %s BACKUP`; or serve what can still be read with --read-only", store.Path(), firstProblems(report.Problems, 3), store.Path(), store.Path())
	}
	return nil
}

func firstProblems(ps []string, n int) string {
	if len(ps) > n {
		return strings.Join(ps[:n], "; ") + fmt.Sprintf("; and %d more", len(ps)-n)
	}
	return strings.Join(ps, "; ")
}

// faultProbeEvery is how often the fault watch looks at the store.
const faultProbeEvery = 5 * time.Second

// faultLogEvery is how often a lasting fault is logged again.
const faultLogEvery = time.Minute

// faultWatch looks at the store's condition every interval until ctx ends:
// while a full disk pauses writes it probes for space (so that writes and
// /readyz recover without a restart or a client's write) and logs the
// condition once a minute; it logs when writes resume, and a damaged file
// once a minute while the process runs.
func faultWatch(ctx context.Context, store *timeline.Store, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastFull, lastCorrupt time.Time
	paused := false
	for {
		c := store.ProbeWrite(ctx)
		now := time.Now()
		switch {
		case c.WritesPaused():
			if !paused || now.Sub(lastFull) >= faultLogEvery {
				log.Error("disk full: writes are paused and every write answers 507 storage_full; reads go on. Free space on the disk that holds the database; writes resume by themselves", "db", store.Path(), "since", c.FullSince.Format(time.RFC3339), "err", c.FullErr)
				lastFull = now
			}
			paused = true
		case paused:
			log.Info("disk space is back: writes resumed", "db", store.Path())
			paused = false
		}
		if c.Corrupt != "" && now.Sub(lastCorrupt) >= faultLogEvery {
			log.Error("database corruption: SQLite reported the file damaged; /readyz answers 503. Run `timeline check`, then restore a backup", "db", store.Path(), "err", c.Corrupt)
			lastCorrupt = now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
