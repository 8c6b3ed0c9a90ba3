package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline/export"
)

// routes registers every route of the site, in one place.
func (s *Server) routes() {
	e := s.echo
	// Every page answers HEAD as it answers GET (net/http drops the body),
	// for curl -I, link checkers and proxies.
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.GET(path, h, m...)
		e.HEAD(path, h, m...)
	}
	// The chronology, its filters and its pages.
	get("/", s.handleEventIndex)
	get("/events", s.handleEventIndex)
	get("/events/:slug", s.handleEventShow)
	get("/timeline", s.handleSwimlane)
	get("/actors", s.handleActorIndex)
	get("/actors/:slug", s.handleActorShow)
	get("/tags", s.handleTagIndex)
	get("/tags/:tag", s.handleTagShow)
	get("/eras", s.handleEraIndex)
	get("/eras/:slug", s.handleEraShow)
	get("/about", s.handleAbout)

	// Operations.
	get("/healthz", s.handleHealthz)
	get("/readyz", s.handleReadyz)

	// Assets.
	get("/static/:name", s.handleStatic)
	if s.cfg.FilesDir != "" {
		get("/files/*", s.handleFiles(s.cfg.FilesDir))
	}
	get("/favicon.ico", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })

	// Editing: every route that changes something is a POST behind
	// requireEditor or requireAdmin; cross-origin POSTs are refused before
	// they get here (securityMiddleware).
	editor, admin := s.requireEditor, s.requireAdmin

	// Signing in and out.
	get("/login", s.handleLoginForm)
	e.POST("/login", s.handleLogin(s.logins))
	e.POST("/logout", s.handleLogout)

	// Writing events: forms, create, edit, delete.
	get("/events/new", s.handleEventNew, editor)
	e.POST("/events", s.handleEventCreate, editor)
	get("/events/:slug/edit", s.handleEventEdit, editor)
	e.POST("/events/:slug/edit", s.handleEventUpdate, editor)
	get("/events/:slug/delete", s.handleEventDeleteConfirm, editor)
	e.POST("/events/:slug/delete", s.handleEventDelete, editor)

	// Revisions: history, one version with its changes, restore.
	get("/events/:slug/history", s.handleHistory, editor)
	get("/events/:slug/history/:version", s.handleRevision, editor)
	e.POST("/events/:slug/restore", s.handleRestore, editor)
	get("/admin/deleted", s.handleDeleted, editor)

	// Administration: users and the audit log.
	get("/admin/users", s.handleUsers, admin)
	e.POST("/admin/users", s.handleUserAdd, admin)
	e.POST("/admin/users/:name/role", s.handleUserRole, admin)
	e.POST("/admin/users/:name/disable", s.handleUserDisabled(true), admin)
	e.POST("/admin/users/:name/enable", s.handleUserDisabled(false), admin)
	get("/admin/audit", s.handleAudit, admin)

	// Exports, the API, import and the feed. Export paths such as
	// /events.csv are their own segment, so they never reach /events/:slug.

	// Exports: every filtered view of /events as a file, same parameters.
	for _, f := range export.Formats {
		get("/events"+f.Ext(), s.handleExport(f))
	}

	// The JSON API, reading: open to all.
	get("/api/v1/events", s.handleAPIEvents)
	get("/api/v1/events/:slug", s.handleAPIEvent)
	get("/api/v1/actors", s.handleAPIActors)
	get("/api/v1/actors/:slug", s.handleAPIActor)
	get("/api/v1/eras", s.handleAPIEras)
	get("/api/v1/facets", s.handleAPIFacets)
	get("/api/v1/changes", s.handleAPIChanges)

	// The JSON API, writing: an editor's bearer token.
	e.POST("/api/v1/events", s.handleAPIEventCreate, s.requireToken)
	e.PUT("/api/v1/events/:slug", s.handleAPIEventUpdate, s.requireToken)
	e.DELETE("/api/v1/events/:slug", s.handleAPIEventDelete, s.requireToken)

	// The API described: for programs (OpenAPI 3) and for people.
	get("/api/v1/openapi.json", s.handleOpenAPI)
	get("/api", s.handleAPIDoc)

	// Import for editors: upload and check, then confirm.
	pending := newPendingImports(s.cfg.Now)
	get("/import", s.handleImportForm, s.requireEditor)
	e.POST("/import", s.handleImportUpload(pending), s.requireEditor)
	e.POST("/import/confirm", s.handleImportConfirm(pending), s.requireEditor)

	// The Atom feed of recent changes.
	get("/feed.atom", s.handleFeed)

	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
