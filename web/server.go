// Package web serves the chronology over HTTP with Echo: server-rendered
// templ pages that work without JavaScript, htmx partials for filter
// changes, the JSON API, exports and static assets. It never writes SQL:
// everything goes through the timeline.Store.
//
// Where things are:
//   - routes.go: every route, in groups (public, exports, assets, signin,
//     editor, admin, apiRead, apiWrite); a route's group decides who may
//     reach it, its body limit, how it is cached and how its errors are
//     answered.
//   - server.go: Config, NewServer and the middleware every request passes.
//   - errors.go: the one table from errors to status and message, and the
//     error handler that answers as a page, in JSON or in plain text.
//   - middleware_*.go: one file per middleware (log, headers, crossorigin,
//     session, auth, replica, bodylimit, cache, compress); lru.go holds the
//     caches' LRU, clientip.go the trusted proxies.
//   - request.go, render.go: reading requests (the signed-in user, htmx
//     partials) and rendering templ components.
//   - form_event.go: the event form decoded, turned into an event, checked.
//   - asof.go: ?as_of= on public pages, exports and API reads (the
//     chronology of a past moment, rebuilt once per state and kept).
//   - handlers_*.go: one file per resource, each handler opening with the
//     route it serves; views/ holds the templ pages, static/ the assets.
package web

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/singleflight"

	"github.com/japan-dprk/timeline/timeline"
)

// Config holds what the server needs.
type Config struct {
	Store  *timeline.Store
	Logger *slog.Logger
	// BaseURL is the site's public address (scheme, host and port, no
	// trailing slash needed): every absolute URL in citations, feeds,
	// permalinks and exports is built from it, never from the request.
	// Default DefaultBaseURL.
	BaseURL string
	// QueryTimeout bounds each list, search and facet query (default 3s).
	QueryTimeout time.Duration
	// PrimaryURL is, on a read-only replica, the primary's address: writes
	// and sign-in are redirected there (307). Without it they get 503.
	PrimaryURL string
	// FilesDir, when set, is served read-only under /files/ (dataset dumps
	// for download, or a plain file as a load test's ceiling).
	FilesDir string
	// Now is the clock (for retrieval dates in citations); default time.Now.
	Now func() time.Time
	// SecureCookies marks the session cookie Secure even on plain-HTTP
	// requests (set it when a proxy terminates TLS in front of the server).
	SecureCookies bool
	// SnapshotDir is where the chronologies of past moments (as_of) are
	// rebuilt, each in a temporary directory of its own made on first use
	// and removed by Close; default the system's temporary directory.
	SnapshotDir string
	// TrustedProxies lists the proxies (IPs or CIDR ranges, see
	// ParseTrustedProxy) whose X-Forwarded-For is believed; empty: none.
	TrustedProxies []string
}

// DefaultBaseURL is the base URL of a server configured without one: the
// default address of timeline serve.
const DefaultBaseURL = "http://127.0.0.1:8080"

// Server is the HTTP application.
type Server struct {
	cfg   Config
	store *timeline.Store
	log   *slog.Logger
	echo  *echo.Echo

	pages    *versionedLRU[*pageEntry]      // rendered public pages
	facets   *versionedLRU[timeline.Facets] // counts per filter, shared by its pages
	flight   singleflight.Group             // one render per page at a time
	logins   *loginLimiter                  // failed sign-ins, per account and address
	snaps    *snapshots                     // the chronologies of past moments (as_of)
	erasKept erasCache                      // the eras at the last data version read
	cards    *cardCache                     // event cards' HTML (views.ListedCard)
}

// NewServer builds the Echo application with every route and middleware.
func NewServer(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.QueryTimeout == 0 {
		cfg.QueryTimeout = 3 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, echo: echo.New(), pages: newPageCache(),
		facets: newVersionedLRU(facetCacheBytes, facetsCost), cards: newCardCache(), logins: newLoginLimiter(),
		snaps: newSnapshots(cfg.Store, cfg.SnapshotDir)}
	s.echo.HideBanner = true
	s.echo.HidePort = true
	s.echo.HTTPErrorHandler = s.handleError
	s.echo.Pre(s.requestLog)
	s.echo.IPExtractor = s.ipExtractor()
	s.echo.Pre(securityHeaders, s.language, s.trailingSlash, s.crossOriginProtection())
	s.routes() // the rest of the middleware goes by route group

	return s
}

// Close removes the chronologies of past moments the server rebuilt
// (as_of), once the requests reading them are done. The store stays open.
func (s *Server) Close() error {
	s.snaps.close()
	return nil
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Echo exposes the Echo instance (for tests and for wrapping).
func (s *Server) Echo() *echo.Echo { return s.echo }

// audit records e with the client address; a failure to record is logged,
// not shown, since the request itself was answered correctly.
func (s *Server) audit(c echo.Context, e timeline.AuditEntry) {
	if s.store.ReadOnly() {
		return // a replica keeps no log; the primary does
	}
	if e.Remote == "" {
		e.Remote = c.RealIP()
	}
	if err := s.store.Audit(c.Request().Context(), e); err != nil {
		s.log.Error("audit", "action", e.Action, "err", err)
	}
}
