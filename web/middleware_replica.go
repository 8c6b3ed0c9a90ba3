package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

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
