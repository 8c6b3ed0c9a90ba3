package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// sessionCookie is the name of the cookie holding the session token.
const sessionCookie = "timeline_session"

// userKey is where the signed-in user is kept in the echo.Context.
const userKey = "timeline.user"

// currentUser returns the user signed in by session cookie or API token,
// if any.
func currentUser(c echo.Context) (timeline.User, bool) {
	u, ok := c.Get(userKey).(timeline.User)
	return u, ok
}

// setCurrentUser records u for the handlers (currentUser) and for the
// templates (views.UserFromContext).
func setCurrentUser(c echo.Context, u timeline.User) {
	c.Set(userKey, u)
	r := c.Request()
	c.SetRequest(r.WithContext(views.WithUser(r.Context(), views.SignedIn{Name: u.Name, Admin: u.IsAdmin()})))
}

// loadSession signs in the request whose cookie names a live session. A
// cookie naming no live session is cleared. Pages of signed-in users are
// never stored by caches (public pages have no cache lifetime, so a cache
// does not keep them either).
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		path := c.Request().URL.Path
		if strings.HasPrefix(path, "/static/") || path == "/healthz" || path == "/readyz" {
			return next(c)
		}
		ck, err := c.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		u, err := s.store.SessionUser(c.Request().Context(), ck.Value)
		switch {
		case errors.Is(err, timeline.ErrNotFound):
			s.clearSessionCookie(c)
		case err != nil:
			return err
		default:
			setCurrentUser(c, u)
			c.Response().Header().Set("Cache-Control", "private, no-store")
		}
		return next(c)
	}
}

// secureCookies reports whether cookies must be marked Secure: when the
// request came over TLS, or the operator says the site is served over
// HTTPS (behind a proxy).
func (s *Server) secureCookies(c echo.Context) bool {
	return s.cfg.SecureCookies || c.Request().TLS != nil
}

func (s *Server) setSessionCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   int(timeline.SessionMax.Seconds()),
		HttpOnly: true,
		Secure:   s.secureCookies(c),
		SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name:     sessionCookie,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.secureCookies(c),
		SameSite: http.SameSiteLaxMode,
	})
}

// isPageRequest reports whether a browser asked for a page (and so should
// be sent to the login page rather than given a bare 401).
func isPageRequest(c echo.Context) bool {
	r := c.Request()
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return !wantsJSON(c)
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

func wantsJSON(c echo.Context) bool {
	r := c.Request()
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// requireEditor lets through signed-in editors and admins. Anonymous page
// requests are sent to the login page (303, coming back to the page after);
// other anonymous requests get 401.
func (s *Server) requireEditor(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, ok := currentUser(c)
		if !ok {
			return s.refuseAnonymous(c)
		}
		if u.Role != timeline.RoleEditor && u.Role != timeline.RoleAdmin {
			return s.refuse(c, u, "needs the editor role")
		}
		return next(c)
	}
}

// requireAdmin lets through signed-in admins only; anonymous requests are
// treated as by requireEditor, editors get 403 (and an audit entry).
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, ok := currentUser(c)
		if !ok {
			return s.refuseAnonymous(c)
		}
		if !u.IsAdmin() {
			return s.refuse(c, u, "needs the admin role")
		}
		return next(c)
	}
}

// requireToken signs in a JSON API request by its "Authorization: Bearer
// TOKEN" header, and answers 401 with a JSON error otherwise. The user is
// then available through currentUser.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		scheme, token, _ := strings.Cut(c.Request().Header.Get("Authorization"), " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return unauthorizedJSON(c, "this request needs an API token: send Authorization: Bearer TOKEN")
		}
		u, err := s.store.TokenUser(c.Request().Context(), token)
		if errors.Is(err, timeline.ErrNotFound) {
			return unauthorizedJSON(c, "the API token is unknown, revoked, or its user is disabled")
		} else if err != nil {
			return err
		}
		setCurrentUser(c, u)
		return next(c)
	}
}

func unauthorizedJSON(c echo.Context, msg string) error {
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="timeline"`)
	return c.JSON(http.StatusUnauthorized, map[string]any{"error": map[string]string{"code": "unauthorized", "message": msg}})
}

// refuseAnonymous answers a request that needs a signed-in user.
func (s *Server) refuseAnonymous(c echo.Context) error {
	if isPageRequest(c) {
		target := "/login"
		if r := c.Request(); r.Method == http.MethodGet {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
	if wantsJSON(c) {
		return unauthorizedJSON(c, "sign in first")
	}
	return c.String(http.StatusUnauthorized, "401 Unauthorized: sign in first\n")
}

// refuse answers 403 to a signed-in user who lacks a permission, and
// records it.
func (s *Server) refuse(c echo.Context, u timeline.User, why string) error {
	s.audit(c, timeline.AuditEntry{Actor: u.Name, Action: timeline.AuditRefused, Target: c.Request().Method + " " + c.Request().URL.Path, Detail: why})
	if wantsJSON(c) {
		return c.JSON(http.StatusForbidden, map[string]any{"error": map[string]string{"code": "forbidden", "message": "your account " + why}})
	}
	return echo.NewHTTPError(http.StatusForbidden, "Your account "+why+" to do this.")
}

// audit records e with the client address; a failure to record is logged,
// not shown, since the request itself was answered correctly.
func (s *Server) audit(c echo.Context, e timeline.AuditEntry) {
	if e.Remote == "" {
		e.Remote = c.RealIP()
	}
	if err := s.store.Audit(c.Request().Context(), e); err != nil {
		s.log.Error("audit", "action", e.Action, "err", err)
	}
}

// safeNext returns next when it is a path on this site, and "/" otherwise,
// so that the login page cannot send anyone elsewhere.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}
