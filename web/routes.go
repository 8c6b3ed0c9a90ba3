package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes registers every route of the site, in one place.
func (s *Server) routes() {
	e := s.echo
	// The chronology, its filters and its pages.
	e.GET("/", s.handleEventIndex)
	e.GET("/events", s.handleEventIndex)
	e.GET("/events/:slug", s.handleEventShow)
	e.GET("/timeline", s.handleSwimlane)
	e.GET("/actors", s.handleActorIndex)
	e.GET("/actors/:slug", s.handleActorShow)
	e.GET("/tags/:tag", s.handleTagShow)
	e.GET("/about", s.handleAbout)

	// Operations.
	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)

	// Assets.
	e.GET("/static/:name", s.handleStatic)
	if s.cfg.FilesDir != "" {
		files := http.StripPrefix("/files/", http.FileServer(http.Dir(s.cfg.FilesDir)))
		e.GET("/files/*", echo.WrapHandler(files))
	}
	e.GET("/favicon.ico", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })

	s.authRoutes()
	s.apiRoutes()

	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
