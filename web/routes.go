package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline/export"
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

	// Editing: every route that changes something is a POST behind
	// requireEditor or requireAdmin; cross-origin POSTs are refused before
	// they get here (securityMiddleware).
	editor, admin := s.requireEditor, s.requireAdmin

	// Signing in and out.
	e.GET("/login", s.handleLoginForm)
	e.POST("/login", s.handleLogin(newLoginLimiter()))
	e.POST("/logout", s.handleLogout)

	// Writing events: forms, create, edit, delete.
	e.GET("/events/new", s.handleEventNew, editor)
	e.POST("/events", s.handleEventCreate, editor)
	e.GET("/events/:slug/edit", s.handleEventEdit, editor)
	e.POST("/events/:slug/edit", s.handleEventUpdate, editor)
	e.GET("/events/:slug/delete", s.handleEventDeleteConfirm, editor)
	e.POST("/events/:slug/delete", s.handleEventDelete, editor)

	// Revisions: history, one version with its changes, restore.
	e.GET("/events/:slug/history", s.handleHistory, editor)
	e.GET("/events/:slug/history/:version", s.handleRevision, editor)
	e.POST("/events/:slug/restore", s.handleRestore, editor)
	e.GET("/admin/deleted", s.handleDeleted, editor)

	// Administration: users and the audit log.
	e.GET("/admin/users", s.handleUsers, admin)
	e.POST("/admin/users", s.handleUserAdd, admin)
	e.POST("/admin/users/:name/role", s.handleUserRole, admin)
	e.POST("/admin/users/:name/disable", s.handleUserDisabled(true), admin)
	e.POST("/admin/users/:name/enable", s.handleUserDisabled(false), admin)
	e.GET("/admin/audit", s.handleAudit, admin)

	// Exports, the API, import and the feed. Export paths such as
	// /events.csv are their own segment, so they never reach /events/:slug.

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

	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
