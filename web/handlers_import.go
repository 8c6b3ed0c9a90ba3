package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/export"
	"github.com/japan-dprk/timeline/web/views"
)

// The confirm step of a web import re-uses the file that was checked: the
// upload is kept in memory, keyed by a random token, for pendingTTL, for
// the user who sent it only. At most pendingMax uploads are kept (the
// oldest goes first), so memory stays bounded by pendingMax times the
// import body limit.
const (
	pendingTTL = 15 * time.Minute
	pendingMax = 8
)

// maxImportFileName is the longest file name an upload may have.
const maxImportFileName = 200

// pendingImport is a checked upload waiting for its confirmation.
type pendingImport struct {
	user     string
	fileName string
	format   string
	data     []byte
	opt      timeline.ImportFileOptions
	expires  time.Time
}

// pendingImports holds checked uploads between the check and the confirm.
type pendingImports struct {
	mu    sync.Mutex
	items map[string]*pendingImport
	now   func() time.Time
}

func newPendingImports(now func() time.Time) *pendingImports {
	return &pendingImports{items: map[string]*pendingImport{}, now: now}
}

// put keeps p and returns its token.
func (ps *pendingImports) put(p *pendingImport) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expire()
	for len(ps.items) >= pendingMax {
		oldest := ""
		for k, v := range ps.items {
			if oldest == "" || v.expires.Before(ps.items[oldest].expires) {
				oldest = k
			}
		}
		delete(ps.items, oldest)
	}
	p.expires = ps.now().Add(pendingTTL)
	ps.items[token] = p
	return token, nil
}

// take removes and returns the upload kept under token for user, if it is
// there and has not expired.
func (ps *pendingImports) take(token, user string) (*pendingImport, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expire()
	p, ok := ps.items[token]
	if !ok || p.user != user {
		return nil, false
	}
	delete(ps.items, token)
	return p, true
}

func (ps *pendingImports) expire() {
	now := ps.now()
	for k, v := range ps.items {
		if !now.Before(v.expires) {
			delete(ps.items, k)
		}
	}
}

// GET /import: the upload form (editors).
func (s *Server) handleImportForm(c echo.Context) error {
	return render(c, http.StatusOK, views.ImportPage(views.ImportView{Head: views.Head{Title: "Import"}}))
}

// importOptions reads the import options of the form, reporting a bad one.
func importOptions(c echo.Context, m *views.ImportView) (timeline.ImportFileOptions, error) {
	m.Format = c.FormValue("format")
	m.DefaultCategory = c.FormValue("default_category")
	m.DefaultSignificance = c.FormValue("default_significance")
	m.SourcePublisher = strings.TrimSpace(c.FormValue("source_publisher"))
	m.SourceTitle = strings.TrimSpace(c.FormValue("source_title"))
	opt := timeline.ImportFileOptions{DefaultCategory: timeline.Category(m.DefaultCategory), SourcePublisher: m.SourcePublisher, SourceTitle: m.SourceTitle}
	if m.DefaultSignificance != "" {
		n, err := strconv.Atoi(m.DefaultSignificance)
		if err != nil {
			return opt, errors.New("the default significance must be 1, 2 or 3")
		}
		opt.DefaultSignificance = n
	}
	switch m.Format {
	case "", "json", "csv", "timelinejs":
	default:
		return opt, errors.New("the format must be json, csv or timelinejs")
	}
	return opt, opt.Check()
}

// POST /import: check an uploaded file (a dry run) and show what it would
// do, or every problem; a clean file is kept for the confirm step.
func (s *Server) handleImportUpload(pending *pendingImports) echo.HandlerFunc {
	return func(c echo.Context) error {
		m := views.ImportView{Head: views.Head{Title: "Import"}}
		opt, err := importOptions(c, &m)
		if err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				return err // a body over the limit
			}
			m.Error = err.Error()
			return render(c, http.StatusUnprocessableEntity, views.ImportPage(m))
		}
		fh, err := c.FormFile("file")
		if err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				return err
			}
			m.Error = "Choose a file to import."
			return render(c, http.StatusUnprocessableEntity, views.ImportPage(m))
		}
		// The name goes into every revision's summary ("import of NAME").
		if msg := timeline.CheckText(fh.Filename, maxImportFileName, false); msg != "" {
			m.Error = "The file name " + msg + ": rename the file and upload it again."
			return render(c, http.StatusUnprocessableEntity, views.ImportPage(m))
		}
		m.FileName = fh.Filename
		f, err := fh.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return err
		}
		u, _ := currentUser(c)
		opt.DryRun = true
		opt.Change = timeline.Change{Author: u.Name}
		rep, status, err := s.runImport(c, data, m.Format, opt, &m)
		if err != nil || status != http.StatusOK {
			if err != nil {
				return err
			}
			return render(c, status, views.ImportPage(m))
		}
		m.Report = &rep
		p := &pendingImport{user: u.Name, fileName: fh.Filename, format: m.Format, data: data, opt: opt}
		if m.Token, err = pending.put(p); err != nil {
			return err
		}
		m.Expires = p.expires.UTC().Format("15:04 UTC")
		return render(c, http.StatusOK, views.ImportPage(m))
	}
}

// runImport reads data and imports it with opt. Problems with the file go
// into m with a 422; other errors are returned.
func (s *Server) runImport(c echo.Context, data []byte, format string, opt timeline.ImportFileOptions, m *views.ImportView) (timeline.ImportReport, int, error) {
	in, err := export.Read(bytes.NewReader(data), format)
	if err != nil {
		m.Error = "The file could not be read: " + err.Error()
		return timeline.ImportReport{}, http.StatusUnprocessableEntity, nil
	}
	rep, err := s.store.ImportFile(c.Request().Context(), in, opt)
	var ie *timeline.ImportError
	if errors.As(err, &ie) {
		m.Problems = ie.Problems
		return rep, http.StatusUnprocessableEntity, nil
	}
	if err != nil {
		return rep, 0, err
	}
	return rep, http.StatusOK, nil
}

// POST /import/confirm: import the checked file kept under the form's
// token. The file is checked again as it is written (all or nothing), since
// the chronology may have changed in between.
func (s *Server) handleImportConfirm(pending *pendingImports) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, _ := currentUser(c)
		p, ok := pending.take(c.FormValue("token"), u.Name)
		m := views.ImportView{Head: views.Head{Title: "Import"}}
		if !ok {
			m.Error = "This checked upload has expired or was already imported. Upload the file again."
			return render(c, http.StatusGone, views.ImportPage(m))
		}
		m.FileName, m.Format = p.fileName, p.format
		opt := p.opt
		opt.DryRun = false
		opt.Change = timeline.Change{Author: u.Name, Summary: "import of " + p.fileName}
		rep, status, err := s.runImport(c, p.data, p.format, opt, &m)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return render(c, status, views.ImportPage(m))
		}
		m.Report, m.Done = &rep, true
		s.log.Info("import", "user", u.Name, "file", p.fileName, "created", rep.Created, "updated", rep.Updated)
		return render(c, http.StatusOK, views.ImportPage(m))
	}
}
