package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/singleflight"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// Citable snapshots: every public page, export and API read answers
// ?as_of=DATE or DATE-TIME with the chronology as it stood then. The
// asOf middleware reads the parameter, finds the state it names
// (Store.StateAt) and, when anything has changed since, runs the request
// on a copy of the chronology of then (Store.Snapshot), kept for the next
// request of the same state. Handlers read through s.st(ctx), which is
// that copy or the live store.

// asOfRequest is a request's moment and the store that answers it.
type asOfRequest struct {
	timeline.AsOf
	store *timeline.Store
}

type asOfKey struct{}

// asOfOf returns the moment the request asked for, or nil (now).
func asOfOf(ctx context.Context) *asOfRequest {
	a, _ := ctx.Value(asOfKey{}).(*asOfRequest)
	return a
}

// st is the store a request reads: the chronology as of its as_of, or the
// live one.
func (s *Server) st(ctx context.Context) *timeline.Store {
	if a := asOfOf(ctx); a != nil {
		return a.store
	}
	return s.store
}

// asOf is the middleware of the public, export and API-reading routes
// that answers as_of. A malformed moment, one in the future or one before
// the first revision is a 400 naming as_of and what it accepts.
func (s *Server) asOf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		raw, ok := c.QueryParams()["as_of"]
		if !ok {
			return next(c)
		}
		if len(raw) != 1 {
			return newClientError(http.StatusBadRequest, "as_of: give it once", map[string]string{"as_of": "give it once"})
		}
		t, err := timeline.ParseAsOf(strings.TrimSpace(raw[0]))
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		a, err := s.store.StateAt(ctx, t)
		if err != nil {
			return err
		}
		r := &asOfRequest{AsOf: a, store: s.store}
		if !a.Current() {
			st, release, err := s.snaps.acquire(ctx, a.State)
			if err != nil {
				return err
			}
			defer release()
			r.store = st
		}
		note := &views.AsOfNote{
			At: localizer(c).Moment(a.At), Param: timeline.FormatAsOf(a.At), Since: a.Since,
			Now: withoutAsOf(c.Request().URL), Changes: "/changes?since=" + url.QueryEscape(timeline.FormatAsOf(a.At)),
		}
		ctx = views.WithAsOf(context.WithValue(ctx, asOfKey{}, r), note)
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// citeTime is the moment a citation made by this request names: its
// as_of, or the time of the chronology's last change (rounded up to the
// second), which keeps showing what the reader sees now. Zero when
// nothing was ever recorded.
func (s *Server) citeTime(ctx context.Context) (time.Time, error) {
	if a := asOfOf(ctx); a != nil {
		return a.At, nil
	}
	a, err := s.store.AsOfNow(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return a.CiteTime(), nil
}

// noteEventSince tells the banner of an event's page viewed as of a past
// moment how the event has changed since: a link comparing the version
// shown with the current one, and whether it has been deleted.
func (s *Server) noteEventSince(ctx context.Context, shown timeline.Event) error {
	n := views.AsOfFrom(ctx)
	if n == nil {
		return nil
	}
	now, err := s.store.GetEventAny(ctx, shown.Slug)
	if errors.Is(err, timeline.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	n.EventGone = now.DeletedAt != nil
	if now.Version != shown.Version {
		n.EventDiff = views.EventURL(shown.Slug) + "/history/" + strconv.Itoa(now.Version) + "?from=" + strconv.Itoa(shown.Version)
	}
	return nil
}

// eventCiteTime is the moment a citation of event e names: the request's
// as_of, or the event's last change (rounded up to the second), which
// shows this version of it and changes only when the event does, so that
// an edit of one event leaves the other pages as they were.
func eventCiteTime(ctx context.Context, e timeline.Event) time.Time {
	if a := asOfOf(ctx); a != nil {
		return a.At
	}
	return timeline.AsOf{State: e.UpdatedAt}.CiteTime()
}

// withoutAsOf is the request's path and query without as_of: the same
// page as it is now.
func withoutAsOf(u *url.URL) string {
	q := u.Query()
	q.Del("as_of")
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}

// snapshotEntries is how many rebuilt chronologies are kept (each a
// SQLite file in a temporary directory).
const snapshotEntries = 4

// snapshots keeps the chronologies of recent past states, rebuilt once
// each and shared by every request for the same state; the least
// recently used goes (its file removed) once no request reads it.
type snapshots struct {
	src    *timeline.Store
	dir    string // made on first use; Config.SnapshotDir or a temporary one
	mu     sync.Mutex
	made   bool
	seq    int
	byKey  map[string]*snapshot
	order  []string // least recently used first
	flight singleflight.Group
	closed bool
	// building lets one copy be made at a time: readers asking for many
	// different past states cost one copy's disk and time at once, not
	// one per state.
	building sync.Mutex
}

type snapshot struct {
	store   *timeline.Store
	path    string
	refs    int
	evicted bool
}

func newSnapshots(src *timeline.Store, dir string) *snapshots {
	return &snapshots{src: src, dir: dir, byKey: map[string]*snapshot{}}
}

// acquire returns the chronology at state, building it when it is not
// kept, and a release to call when the request is done with it.
func (sn *snapshots) acquire(ctx context.Context, state time.Time) (*timeline.Store, func(), error) {
	key := state.Format("20060102T150405.000000")
	for {
		sn.mu.Lock()
		if sn.closed {
			sn.mu.Unlock()
			return nil, nil, errors.New("web: snapshots closed")
		}
		if e, ok := sn.byKey[key]; ok {
			e.refs++
			sn.touch(key)
			sn.mu.Unlock()
			return e.store, func() { sn.release(e) }, nil
		}
		sn.mu.Unlock()
		// One build per state, whoever asks; a reader who gives up does
		// not cancel it for the others.
		_, err, _ := sn.flight.Do(key, func() (any, error) { return nil, sn.build(context.WithoutCancel(ctx), key, state) })
		if err != nil {
			return nil, nil, err
		}
	}
}

func (sn *snapshots) build(ctx context.Context, key string, state time.Time) error {
	sn.building.Lock()
	defer sn.building.Unlock()
	sn.mu.Lock()
	if !sn.made {
		dir, err := os.MkdirTemp(sn.dir, "timeline-asof-")
		if err != nil {
			sn.mu.Unlock()
			return fmt.Errorf("web: snapshot directory: %w", err)
		}
		sn.dir, sn.made = dir, true
	}
	sn.seq++
	path := filepath.Join(sn.dir, fmt.Sprintf("%s-%d.db", key, sn.seq))
	sn.mu.Unlock()
	st, err := sn.src.Snapshot(ctx, state, path)
	if err != nil {
		removeDB(path)
		return err
	}
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.closed {
		st.Close()
		removeDB(path)
		return errors.New("web: snapshots closed")
	}
	sn.byKey[key] = &snapshot{store: st, path: path}
	sn.order = append(sn.order, key)
	for len(sn.order) > snapshotEntries {
		old := sn.byKey[sn.order[0]]
		delete(sn.byKey, sn.order[0])
		sn.order = sn.order[1:]
		old.evicted = true
		if old.refs == 0 {
			old.drop()
		}
	}
	return nil
}

// touch makes key the most recently used; sn.mu is held.
func (sn *snapshots) touch(key string) {
	for i, k := range sn.order {
		if k == key {
			sn.order = append(append(sn.order[:i:i], sn.order[i+1:]...), key)
			return
		}
	}
}

func (sn *snapshots) release(e *snapshot) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	e.refs--
	if e.refs == 0 && e.evicted {
		e.drop()
	}
}

func (e *snapshot) drop() {
	e.store.Close()
	removeDB(e.path)
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// close drops every kept chronology and the directory, once the requests
// reading them are done.
func (sn *snapshots) close() {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	sn.closed = true
	for _, k := range sn.order {
		e := sn.byKey[k]
		e.evicted = true
		if e.refs == 0 {
			e.drop()
		}
	}
	sn.byKey, sn.order = map[string]*snapshot{}, nil
	if sn.made {
		os.Remove(sn.dir) // empty unless a request still reads a file
	}
}
