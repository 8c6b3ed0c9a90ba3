package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// trailingSlash moves a GET or HEAD of a page's address with slashes after
// it ("/about/", as people type and link it) to the page, keeping the
// language and the query; any other path goes on to be routed (and is a
// 404 when no page has it). It runs after language, on the path without
// its language prefix, so that "/ja/" stays the Japanese home. Under a
// wildcard route (/files/*) a trailing slash is left alone.
func (s *Server) trailingSlash(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		path := echo.GetPath(r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead || len(path) < 2 || !strings.HasSuffix(path, "/") {
			return next(c)
		}
		page := strings.TrimRight(path, "/")
		// "//host/" trimmed would be a link to another site; under a
		// wildcard route (/files/*) a slash names a folder.
		route := routeFor(s.echo, http.MethodGet, page)
		if page == "" || strings.HasPrefix(page, "//") || route == "" || strings.HasSuffix(route, "*") {
			return next(c)
		}
		if r.URL.RawQuery != "" {
			page += "?" + r.URL.RawQuery
		}
		return redirect(c, http.StatusMovedPermanently, page)
	}
}
