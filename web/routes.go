package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline/export"
)

// routes registers every route of the site, in one place. A route's group
// decides who may reach it and how it is cached; no middleware looks at
// the path. Every request first passes requestLog, securityHeaders and
// crossOriginProtection (NewServer), then its group's middleware,
// outermost first.
func (s *Server) routes() {
	// On a read-only replica there are no sessions, and whatever needs a
	// signed-in user goes to the primary (replicaGuard).
	session, toPrimary := s.loadSession, pass
	if s.store.ReadOnly() {
		session, toPrimary = pass, s.replicaGuard
	}

	// public: everyone; validators, 304s and rendered pages kept in memory
	// (httpCache); a signed-in user's pages bypass both. public, exports
	// and apiRead answer as_of (the chronology as it stood then).
	public := s.group(session, s.httpCache(keepPages), compress, s.asOf)
	// exports: as public, but streamed, so never kept in memory; errors
	// answer in plain text.
	exports := s.group(errorsAs(formatText), session, s.httpCache(streamed), compress, s.asOf)
	// assets and probes: no session; they set their own cache headers.
	assets := s.group(compress)
	// signin: forms that write a session; never stored by a cache.
	signin := s.group(toPrimary, limitBody(MaxFormBody), session, noStore, compress)
	// reader: public forms and pages that change without the data version
	// (corrections); never stored by a cache.
	reader := s.group(toPrimary, limitBody(MaxFormBody), session, noStore, compress)
	// editor: signed-in editors and admins; never stored by a cache.
	editor := s.group(toPrimary, limitBody(MaxFormBody), session, noStore, compress, s.requireEditor)
	importer := s.group(toPrimary, limitBody(MaxImportBody), session, noStore, compress, s.requireEditor)
	// admin: signed-in admins only.
	admin := s.group(toPrimary, limitBody(MaxFormBody), session, noStore, compress, s.requireAdmin)
	// apiRead: the JSON API for everyone, cached as public pages are;
	// errors answer in JSON.
	apiRead := s.group(errorsAs(formatJSON), session, s.httpCache(keepPages), compress, s.asOf)
	// apiWrite: the JSON API with an editor's bearer token; never stored.
	apiWrite := s.group(errorsAs(formatJSON), toPrimary, limitBody(MaxImportBody), noStore, compress, s.requireToken)

	// The chronology, its filters and its pages.
	public.get("/", s.handleEventIndex)
	public.get("/events", s.handleEventIndex)
	public.get("/events/:slug", s.handleEventShow)
	public.get("/timeline", s.handleTimeline)
	public.get("/actors", s.handleActorIndex)
	public.get("/actors/:slug", s.handleActorShow)
	public.get("/tags", s.handleTagIndex)
	public.get("/tags/:tag", s.handleTagShow)
	public.get("/eras", s.handleEraIndex)
	public.get("/eras/:slug", s.handleEraShow)
	public.get("/story", s.handleStory)
	public.get("/about", s.handleAbout)
	public.get("/feed.atom", s.handleFeed)
	public.get("/favicon.ico", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })

	// Exports: every filtered view of /events as a file, same parameters.
	// Export paths such as /events.csv are their own segment, so they
	// never reach /events/:slug.
	for _, f := range export.Formats {
		exports.get("/events"+f.Ext(), s.handleExport(f))
	}
	// Citations of the view's events, and the bibliography of their
	// sources (/events/SLUG.bib and friends are answered by the event
	// page's route).
	for _, f := range export.CiteFormats {
		exports.get("/events"+f.Ext(), s.handleCiteExport(f, false))
		exports.get("/sources"+f.Ext(), s.handleCiteExport(f, true))
	}

	// Operations and assets.
	assets.get("/healthz", s.handleHealthz)
	assets.get("/readyz", s.handleReadyz)
	assets.get("/readyz/read", s.handleReadyz)
	assets.get("/readyz/write", s.handleReadyz)
	assets.get("/static/:name", s.handleStatic)
	assets.get("/api/v1/openapi.json", s.handleOpenAPI)
	if s.cfg.FilesDir != "" {
		assets.get("/files/*", s.handleFiles(s.cfg.FilesDir))
	}

	// Corrections from readers: the public form on each event, and each
	// correction's status by its reference; forms, so never stored by a
	// cache, and sent to the primary from a read-only replica.
	corrections := newCorrectionLimiter()
	reader.get("/events/:slug/correct", s.handleCorrectionForm)
	reader.post("/events/:slug/correct", s.handleCorrectionCreate(corrections))
	reader.get("/corrections", s.handleCorrectionLookup)
	reader.get("/corrections/:ref", s.handleCorrectionStatus)

	// The language switcher: remembers the reader's choice in a cookie.
	chooser := s.group(limitBody(MaxFormBody), noStore)
	chooser.post("/lang", s.handleLanguage)

	// Signing in and out.
	signin.get("/login", s.handleLoginForm)
	signin.post("/login", s.handleLogin(s.logins))
	signin.post("/logout", s.handleLogout)

	// Writing events: forms, create, edit, delete.
	editor.get("/events/new", s.handleEventNew)
	editor.post("/events", s.handleEventCreate)
	editor.get("/events/:slug/edit", s.handleEventEdit)
	editor.post("/events/:slug/edit", s.handleEventUpdate)
	editor.get("/events/:slug/delete", s.handleEventDeleteConfirm)
	editor.post("/events/:slug/delete", s.handleEventDelete)

	// Revisions: history and one version with its changes are public
	// (editors under their display names), as are the recent changes;
	// restoring is for editors.
	public.get("/events/:slug/history", s.handleHistory)
	public.get("/events/:slug/history/:version", s.handleRevision)
	public.get("/changes", s.handleChanges)
	editor.post("/events/:slug/restore", s.handleRestore)
	editor.get("/admin/deleted", s.handleDeleted)

	// The corrections queue: accepting one is an edit of its event
	// (/events/SLUG/edit?correction=REF); declining needs a reason.
	editor.get("/admin/corrections", s.handleCorrectionQueue)
	editor.post("/admin/corrections/:ref/decline", s.handleCorrectionDecline)

	// Import: upload and check, then confirm.
	pending := newPendingImports(s.cfg.Now)
	importer.get("/import", s.handleImportForm)
	importer.post("/import", s.handleImportUpload(pending))
	importer.post("/import/confirm", s.handleImportConfirm(pending))

	// Administration: users and the audit log.
	admin.get("/admin/users", s.handleUsers)
	admin.post("/admin/users", s.handleUserAdd)
	admin.post("/admin/users/:name/role", s.handleUserRole)
	admin.post("/admin/users/:name/disable", s.handleUserDisabled(true))
	admin.post("/admin/users/:name/enable", s.handleUserDisabled(false))
	admin.get("/admin/audit", s.handleAudit)

	// The JSON API, reading, and the API described for people.
	apiRead.get("/api/v1/events", s.handleAPIEvents)
	apiRead.get("/api/v1/events/:slug", s.handleAPIEvent)
	apiRead.get("/api/v1/actors", s.handleAPIActors)
	apiRead.get("/api/v1/actors/:slug", s.handleAPIActor)
	apiRead.get("/api/v1/eras", s.handleAPIEras)
	apiRead.get("/api/v1/facets", s.handleAPIFacets)
	apiRead.get("/api/v1/changes", s.handleAPIChanges)
	public.get("/api", s.handleAPIDoc)

	// The JSON API, writing.
	apiWrite.post("/api/v1/events", s.handleAPIEventCreate)
	apiWrite.put("/api/v1/events/:slug", s.handleAPIEventUpdate)
	apiWrite.delete("/api/v1/events/:slug", s.handleAPIEventDelete)

	// Anything else is not found, in JSON under /api/.
	apiRead.notFound("/api/*", newClientError(http.StatusNotFound, "no such API resource: see /api/v1/openapi.json", nil))
	public.notFound("/*", echo.ErrNotFound)
}

// group is a set of routes that share middleware. It is not an
// echo.Group: Group.Use registers catch-all routes that run the group's
// middleware for unknown paths, so of several groups on one prefix the last
// made would answer every 404. Here the table says who answers them.
type group struct {
	e *echo.Echo
	m []echo.MiddlewareFunc
}

func (s *Server) group(m ...echo.MiddlewareFunc) group { return group{e: s.echo, m: m} }

// get registers a GET route; it answers HEAD alike (net/http drops the
// body), for curl -I, link checkers and proxies.
func (g group) get(path string, h echo.HandlerFunc) {
	g.e.GET(path, h, g.m...)
	g.e.HEAD(path, h, g.m...)
}

func (g group) post(path string, h echo.HandlerFunc)   { g.e.POST(path, h, g.m...) }
func (g group) put(path string, h echo.HandlerFunc)    { g.e.PUT(path, h, g.m...) }
func (g group) delete(path string, h echo.HandlerFunc) { g.e.DELETE(path, h, g.m...) }

// notFound answers every method on paths under path that no route matches
// with err (a 404), through the group's middleware; a path that routes
// of other methods take is answered 405 with the methods they take in
// Allow (OPTIONS: 204), as net/http's ServeMux does.
func (g group) notFound(path string, err error) {
	g.e.RouteNotFound(path, func(c echo.Context) error {
		if allow := allowed(g.e, echo.GetPath(c.Request())); allow != "" {
			c.Response().Header().Set("Allow", allow)
			if c.Request().Method == http.MethodOptions {
				return c.NoContent(http.StatusNoContent)
			}
			return echo.ErrMethodNotAllowed
		}
		return err
	}, g.m...)
}

// allowed lists the methods that have a route for path ("GET, HEAD"), or
// "" when none has.
func allowed(e *echo.Echo, path string) string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if routeFor(e, m, path) != "" {
			out = append(out, m)
		}
	}
	return strings.Join(out, ", ")
}

// routeFor is the path of the route of method that takes path
// ("/events/:slug"), or "" when none does (a RouteNotFound catch-all does
// not count).
func routeFor(e *echo.Echo, method, path string) string {
	c := e.NewContext(nil, nil)
	e.Router().Find(method, path, c)
	for _, r := range e.Routes() {
		if r.Method == method && r.Path == c.Path() {
			return r.Path
		}
	}
	return ""
}

// pass is the middleware that does nothing (a group's place holder for
// middleware that a configuration leaves out).
func pass(next echo.HandlerFunc) echo.HandlerFunc { return next }
