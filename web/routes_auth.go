package web

// authRoutes registers the login, editing, history and admin routes.
func (s *Server) authRoutes() {}
