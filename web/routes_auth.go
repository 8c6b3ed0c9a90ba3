package web

// authRoutes registers the login, editing, history and admin routes. Every
// route that changes something is a POST behind requireEditor or
// requireAdmin; cross-origin POSTs are refused before they get here
// (securityMiddleware).
func (s *Server) authRoutes() {
	e := s.echo
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
}
