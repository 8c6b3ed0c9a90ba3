package web

// apiRoutes registers the exports, the JSON API, import and the feed.
func (s *Server) apiRoutes() {}
