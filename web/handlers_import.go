package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
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
// upload is kept in a temporary file, keyed by a random token, for
// pendingTTL, for the user who sent it only. Each editor has
// pendingPerEditor slots (their oldest upload goes first), so no editor
// pushes out another's; pendingMax bounds them all, for the disk.
const (
	pendingTTL       = 15 * time.Minute
	pendingPerEditor = 4
	pendingMax       = 256
	// uploadMemory is how much of a multipart upload is held in memory;
	// the rest of the file is spooled to disk by mime/multipart.
	uploadMemory = 1 << 20
)

// maxImportFileName is the longest file name an upload may have.
const maxImportFileName = 200

// pendingImport is a checked upload waiting for its confirmation.
type pendingImport struct {
	user     string
	fileName string
	format   string
	path     string // the temporary file holding the upload
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

// spool copies an upload into a new temporary file and returns its path.
func spool(r io.Reader) (string, error) {
	f, err := os.CreateTemp("", "timeline-import-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
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
	mine := func(k string, v *pendingImport) bool { return v.user == p.user }
	for ps.count(mine) >= pendingPerEditor {
		ps.dropOldest(mine)
	}
	for len(ps.items) >= pendingMax {
		ps.dropOldest(func(string, *pendingImport) bool { return true })
	}
	p.expires = ps.now().Add(pendingTTL)
	ps.items[token] = p
	return token, nil
}

func (ps *pendingImports) count(match func(string, *pendingImport) bool) int {
	n := 0
	for k, v := range ps.items {
		if match(k, v) {
			n++
		}
	}
	return n
}

// dropOldest removes the upload that expires first among those that match.
func (ps *pendingImports) dropOldest(match func(string, *pendingImport) bool) {
	oldest := ""
	for k, v := range ps.items {
		if match(k, v) && (oldest == "" || v.expires.Before(ps.items[oldest].expires)) {
			oldest = k
		}
	}
	if p := ps.items[oldest]; p != nil {
		os.Remove(p.path)
		delete(ps.items, oldest)
	}
}

// take removes and returns the upload kept under token for user, if it is
// there and has not expired. The caller removes its file.
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
			os.Remove(v.path)
			delete(ps.items, k)
		}
	}
}

// GET /import: the upload form (editors).
func (s *Server) handleImportForm(c echo.Context) error {
	return render(c, http.StatusOK, views.ImportPage(views.ImportView{Head: views.Head{Title: localizer(c).T("import.title")}}))
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
		l := localizer(c)
		m := views.ImportView{Head: views.Head{Title: l.T("import.title")}}
		// Read the form with at most uploadMemory of it in memory: a large
		// file goes to a temporary file, not the heap.
		if err := c.Request().ParseMultipartForm(uploadMemory); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				return err // a body over the limit
			}
			m.Error, m.ErrorDetail = l.T("import.err_upload"), err.Error()
			return render(c, http.StatusBadRequest, views.ImportPage(m))
		}
		if mf := c.Request().MultipartForm; mf != nil {
			defer mf.RemoveAll()
		}
		opt, err := importOptions(c, &m)
		if err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				return err // a body over the limit
			}
			m.Error, m.ErrorDetail = l.T("import.err_options"), err.Error()
			return render(c, http.StatusUnprocessableEntity, views.ImportPage(m))
		}
		fh, err := c.FormFile("file")
		if err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				return err
			}
			m.Error = l.T("import.err_no_file")
			return render(c, http.StatusUnprocessableEntity, views.ImportPage(m))
		}
		// The name goes into every revision's summary ("import of NAME").
		if msg := timeline.CheckText(fh.Filename, maxImportFileName, false); msg != "" {
			m.Error, m.ErrorDetail = l.T("import.err_file_name"), msg
			return render(c, http.StatusUnprocessableEntity, views.ImportPage(m))
		}
		m.FileName = fh.Filename
		f, err := fh.Open()
		if err != nil {
			return err
		}
		path, err := spool(f)
		f.Close()
		if err != nil {
			return err
		}
		u, _ := currentUser(c)
		opt.DryRun = true
		opt.Change = timeline.Change{Author: u.Name}
		rep, status, err := s.runImport(c, path, m.Format, opt, &m)
		if err != nil || status != http.StatusOK {
			os.Remove(path)
			if err != nil {
				return err
			}
			return render(c, status, views.ImportPage(m))
		}
		m.Report = &rep
		p := &pendingImport{user: u.Name, fileName: fh.Filename, format: m.Format, path: path, opt: opt}
		if m.Token, err = pending.put(p); err != nil {
			os.Remove(path)
			return err
		}
		m.Expires = p.expires.UTC().Format("15:04") + " UTC"
		return render(c, http.StatusOK, views.ImportPage(m))
	}
}

// runImport reads the file at path and imports it with opt. Problems with the file go
// into m with a 422; other errors are returned.
func (s *Server) runImport(c echo.Context, path, format string, opt timeline.ImportFileOptions, m *views.ImportView) (timeline.ImportReport, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return timeline.ImportReport{}, 0, err
	}
	defer f.Close()
	in, err := export.Read(f, format)
	if err != nil {
		m.Error, m.ErrorDetail = localizer(c).T("import.err_read"), err.Error()
		return timeline.ImportReport{}, http.StatusUnprocessableEntity, nil
	}
	rep, err := s.store.ImportFile(c.Request().Context(), in, opt)
	var ie *timeline.ImportError
	if errors.As(err, &ie) {
		m.Problems, m.ProblemsTotal = ie.Problems, ie.Total
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
		m := views.ImportView{Head: views.Head{Title: localizer(c).T("import.title")}}
		if !ok {
			m.Error = localizer(c).T("import.err_expired")
			return render(c, http.StatusGone, views.ImportPage(m))
		}
		m.FileName, m.Format = p.fileName, p.format
		opt := p.opt
		opt.DryRun = false
		opt.Change = timeline.Change{Author: u.Name, Summary: "import of " + p.fileName}
		defer os.Remove(p.path)
		rep, status, err := s.runImport(c, p.path, p.format, opt, &m)
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
