package web

import (
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/web/static"
)

// GET /healthz: the process is up.
func (s *Server) handleHealthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// GET /readyz, /readyz/read, /readyz/write: whether this server can
// answer reads and take writes, each with its reason. /readyz is 200 only
// when both are fine (a replica, which never takes writes, only needs
// reads); /readyz/read suits a load balancer of readers, /readyz/write one
// of editors. A full disk makes writes not ready until space returns (the
// store probes for it); a damaged file makes both not ready.
func (s *Server) handleReadyz(c echo.Context) error {
	ctx := c.Request().Context()
	var reads, writes string
	cond := s.store.ProbeWrite(ctx)
	switch err := s.store.Ping(ctx); {
	case err != nil:
		err = s.store.NoteFault(err)
		s.log.Error("readyz: the database does not answer", "err", err)
		reads = "unavailable: the database does not answer"
		cond = s.store.Condition()
	case cond.Corrupt != "":
		reads = "degraded: the database file is damaged (" + cond.Corrupt + "); run timeline check and restore a backup"
	}
	switch {
	case s.store.ReadOnly():
		writes = "" // a replica sends writes to the primary: nothing to report
	case cond.Corrupt != "":
		writes = "refused: the database file is damaged"
	case cond.WritesPaused():
		writes = "paused: the disk is full since " + cond.FullSince.Format(time.RFC3339) + "; reads still work"
	}
	readOK, writeOK := reads == "", writes == ""
	line := func(ok bool, why string) string {
		if ok {
			return "ok"
		}
		return why
	}
	body := "reads: " + line(readOK, reads) + "\n"
	if s.store.ReadOnly() {
		body += "writes: not taken here (read-only server)\n"
	} else {
		body += "writes: " + line(writeOK, writes) + "\n"
	}
	var ok bool
	switch c.Path() {
	case "/readyz/read":
		ok = readOK
	case "/readyz/write":
		ok = readOK && writeOK && !s.store.ReadOnly()
	default:
		ok = readOK && writeOK
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if !ok {
		return c.String(http.StatusServiceUnavailable, "not ready\n"+body)
	}
	return c.String(http.StatusOK, "ready\n"+body)
}

// GET /static/:name: embedded assets. Asked for with their current
// fingerprint (?v=…) they may be cached for a year; otherwise briefly.
func (s *Server) handleStatic(c echo.Context) error {
	name := c.Param("name")
	b, err := static.FS.ReadFile(name)
	if err != nil {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if v := c.QueryParam("v"); v != "" && v == static.Hash(name) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	h.Set("ETag", `"`+static.Hash(name)+`"`)
	if c.Request().Header.Get("If-None-Match") == `"`+static.Hash(name)+`"` {
		return c.NoContent(http.StatusNotModified)
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return c.Blob(http.StatusOK, ct, b)
}
