package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
)

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
				return echo.NewHTTPError(http.StatusForbidden, msgCrossOrigin)
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
