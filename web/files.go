package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// handleFiles serves GET /files/*: the regular files under dir (--files),
// and nothing else. Directories are not listed, names starting with a dot
// (.env, .git/) are hidden at any depth, and the folder is opened as an
// os.Root, so that no path or symlink leads out of it (a relative symlink
// to a file inside it is followed). Everything else is a plain 404.
func (s *Server) handleFiles(dir string) echo.HandlerFunc {
	return func(c echo.Context) error {
		name := c.Param("*")
		if p, err := url.PathUnescape(name); err == nil {
			name = p
		}
		if name == "" || strings.HasSuffix(name, "/") || !fs.ValidPath(name) {
			return echo.ErrNotFound
		}
		for _, seg := range strings.Split(name, "/") {
			if strings.HasPrefix(seg, ".") {
				return echo.ErrNotFound
			}
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			return err
		}
		defer root.Close()
		f, err := root.Open(name) // missing, unreadable, or a way out of dir
		if err != nil {
			return echo.ErrNotFound
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return echo.ErrNotFound
		}
		http.ServeContent(c.Response(), c.Request(), path.Base(name), st.ModTime(), f)
		return nil
	}
}
