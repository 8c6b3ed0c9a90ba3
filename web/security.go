package web

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
)

// Request body limits. Forms are small; imports and the JSON API (paths
// /import and /api/v1/) may send a whole dataset.
const (
	MaxFormBody   = 1 << 20  // 1 MiB
	MaxImportBody = 20 << 20 // 20 MiB
)

// contentSecurityPolicy allows only this site's own scripts, styles and
// images (and data: images), no framing and no plugins. Pages have no
// inline scripts or styles.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"

// securityMiddleware installs security headers, body limits, sessions and
// cross-origin protection.
func (s *Server) securityMiddleware() {
	s.echo.IPExtractor = s.ipExtractor()
	s.echo.Pre(securityHeaders, limitBody, s.crossOriginProtection())
	if s.store.ReadOnly() {
		// A replica has no sessions (signing in writes): everything that
		// writes or needs a signed-in editor goes to the primary.
		s.echo.Use(s.replicaGuard)
		return
	}
	s.echo.Use(s.loadSession)
}

// replicaGuard, on a read-only replica, sends every unsafe request and
// every page that needs an editor to the primary (307 keeps the method),
// or answers 503 when no primary is configured. Reading goes on as usual.
func (s *Server) replicaGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method == http.MethodGet && !editorPage(r.URL.Path) {
			return next(c)
		}
		if s.cfg.PrimaryURL != "" {
			return c.Redirect(http.StatusTemporaryRedirect, strings.TrimRight(s.cfg.PrimaryURL, "/")+r.URL.RequestURI())
		}
		return echo.NewHTTPError(http.StatusServiceUnavailable, "This is a read-only copy of the chronology: sign in and make changes on the primary.")
	}
}

// editorPage reports whether path is a page for signed-in editors.
func editorPage(path string) bool {
	for _, p := range []string{"/login", "/logout", "/events/new", "/import", "/admin"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return strings.HasSuffix(path, "/edit") || strings.HasSuffix(path, "/delete") || strings.Contains(path, "/history")
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		return next(c)
	}
}

// bodyLimit is the largest request body accepted on path.
func bodyLimit(path string) int64 {
	if path == "/import" || strings.HasPrefix(path, "/import/") || strings.HasPrefix(path, "/api/v1/") {
		return MaxImportBody
	}
	return MaxFormBody
}

// limitBody answers 413 to a body over the limit: at once when
// Content-Length says so, otherwise when reading passes the limit (the read
// fails with a 413 *echo.HTTPError, which ParseForm and c.FormParams pass
// on to the error handler).
func limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		limit := bodyLimit(r.URL.Path)
		if r.ContentLength > limit {
			return tooLarge(limit)
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = &limitedBody{rc: http.MaxBytesReader(c.Response(), r.Body, limit), limit: limit}
		}
		return next(c)
	}
}

func tooLarge(limit int64) error {
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than the limit of %d MiB.", limit>>20))
}

// limitedBody turns the *http.MaxBytesError of an over-long body into a
// 413 error that the error handler understands.
type limitedBody struct {
	rc    io.ReadCloser
	limit int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return n, tooLarge(b.limit)
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// crossOriginProtection refuses (403) unsafe requests that a browser says
// come from another site (Sec-Fetch-Site, or Origin against Host), using
// net/http's CrossOriginProtection. Requests from non-browser clients,
// which send neither header, pass: they carry no ambient cookies.
func (s *Server) crossOriginProtection() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				r := c.Request()
				s.audit(c, timeline.AuditEntry{Action: timeline.AuditRefused, Target: r.Method + " " + r.URL.Path,
					Detail: "cross-origin request (origin " + truncate(r.Header.Get("Origin"), 200) + ")"})
				return echo.NewHTTPError(http.StatusForbidden, "This request came from another site and was refused. Send the form from this site's own pages.")
			}
			return next(c)
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// ParseTrustedProxy reads a proxy address for Config.TrustedProxies: an IP
// ("10.0.0.2") or a CIDR range ("10.0.0.0/24").
func ParseTrustedProxy(s string) (*net.IPNet, error) {
	s = strings.TrimSpace(s)
	if _, n, err := net.ParseCIDR(s); err == nil {
		return n, nil
	}
	ip := net.ParseIP(s)
	if ip == nil {
		return nil, fmt.Errorf("trusted proxy %q: must be an IP address or a CIDR range", s)
	}
	bits := 32
	if ip.To4() == nil {
		bits = 128
	}
	return &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}, nil
}

// ipExtractor decides the client address that rate limits and the audit
// log use. X-Forwarded-For is believed only from the configured proxies;
// without any, the connection's address is the client's.
func (s *Server) ipExtractor() echo.IPExtractor {
	var opts []echo.TrustOption
	for _, p := range s.cfg.TrustedProxies {
		n, err := ParseTrustedProxy(p)
		if err != nil {
			s.log.Error("ignoring trusted proxy", "err", err)
			continue
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	if len(opts) == 0 {
		return echo.ExtractIPDirect()
	}
	opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
	return echo.ExtractIPFromXFFHeader(opts...)
}
