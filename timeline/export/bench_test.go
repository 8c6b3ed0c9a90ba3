package export

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// Run over a big database with
//
//	TIMELINE_BENCH_DB=/path/to/1m.db go test -run '^$' -bench Export ./timeline/export/
//
// Each iteration exports every event; MB/s is the output rate.
func BenchmarkExportCSV(b *testing.B)  { benchExport(b, CSV) }
func BenchmarkExportJSON(b *testing.B) { benchExport(b, JSON) }

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func benchExport(b *testing.B, f Format) {
	path := os.Getenv("TIMELINE_BENCH_DB")
	if path == "" {
		b.Skip("set TIMELINE_BENCH_DB to a database file to run the export benchmarks")
	}
	ctx := context.Background()
	s, err := timeline.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	m := Meta{Generated: time.Now(), BaseURL: "https://example.org"}
	if m.Count, err = s.Count(ctx, m.Filter); err != nil {
		b.Fatal(err)
	}
	if m.Version, err = s.DataVersion(ctx); err != nil {
		b.Fatal(err)
	}
	evs := func(yield func(timeline.Event) error) error { return s.EachEvent(ctx, m.Filter, yield) }
	b.ReportAllocs()
	b.ResetTimer()
	var total int64
	for b.Loop() {
		w := &countingWriter{}
		if err := f.Write(w, m, evs); err != nil {
			b.Fatal(err)
		}
		if total == 0 {
			b.SetBytes(w.n)
		}
		total += w.n
	}
	b.ReportMetric(float64(m.Count), "events/op")
}
