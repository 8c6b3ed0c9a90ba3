package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// replicaGuard, on a read-only replica, sends the request to the primary
// (307 keeps the method), or answers 503 when no primary is configured.
// The route table puts it on every group that writes or needs a signed-in
// user; reading goes on as usual.
func (s *Server) replicaGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if s.cfg.PrimaryURL != "" {
			return c.Redirect(http.StatusTemporaryRedirect, strings.TrimRight(s.cfg.PrimaryURL, "/")+localizer(c).Path(r.URL.RequestURI()))
		}
		return echo.NewHTTPError(http.StatusServiceUnavailable, msgReadOnly)
	}
}
