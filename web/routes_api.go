package web

import (
	"github.com/japan-dprk/timeline/timeline/export"
)

// apiRoutes registers the exports, the JSON API, import and the feed.
// Export paths such as /events.csv are their own segment, so they never
// reach /events/:slug.
func (s *Server) apiRoutes() {
	e := s.echo

	// Exports: every filtered view of /events as a file, same parameters.
	for _, f := range export.Formats {
		e.GET("/events"+f.Ext(), s.handleExport(f))
	}

	// The JSON API, reading: open to all.
	e.GET("/api/v1/events", s.handleAPIEvents)
	e.GET("/api/v1/events/:slug", s.handleAPIEvent)
	e.GET("/api/v1/actors", s.handleAPIActors)
	e.GET("/api/v1/actors/:slug", s.handleAPIActor)
	e.GET("/api/v1/eras", s.handleAPIEras)
	e.GET("/api/v1/facets", s.handleAPIFacets)
	e.GET("/api/v1/changes", s.handleAPIChanges)

	// The JSON API, writing: an editor's bearer token.
	e.POST("/api/v1/events", s.handleAPIEventCreate, s.requireToken)
	e.PUT("/api/v1/events/:slug", s.handleAPIEventUpdate, s.requireToken)
	e.DELETE("/api/v1/events/:slug", s.handleAPIEventDelete, s.requireToken)

	// The API described: for programs (OpenAPI 3) and for people.
	e.GET("/api/v1/openapi.json", s.handleOpenAPI)
	e.GET("/api", s.handleAPIDoc)

	// Import for editors: upload and check, then confirm.
	pending := newPendingImports(s.cfg.Now)
	e.GET("/import", s.handleImportForm, s.requireEditor)
	e.POST("/import", s.handleImportUpload(pending), s.requireEditor)
	e.POST("/import/confirm", s.handleImportConfirm(pending), s.requireEditor)

	// The Atom feed of recent changes.
	e.GET("/feed.atom", s.handleFeed)
}
