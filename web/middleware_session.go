package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
)

// sessionCookie is the name of the cookie holding the session token.
const sessionCookie = "timeline_session"

// loadSession signs in the request whose cookie names a live session. A
// cookie naming no live session is cleared. Pages of signed-in users are
// never stored by caches (public pages have no cache lifetime, so a cache
// does not keep them either).
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
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
// request came over TLS, when a trusted proxy says it did
// (X-Forwarded-Proto: https), or when the operator says the site is served
// over HTTPS.
func (s *Server) secureCookies(c echo.Context) bool {
	r := c.Request()
	return s.cfg.SecureCookies || r.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://") ||
		(s.fromTrustedProxy(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
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
