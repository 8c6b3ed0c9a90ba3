package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
	"github.com/japan-dprk/timeline/web/views"
)

// Corrections from readers: a public form on every event, a status page
// per reference, and the editors' queue.

// Limits on suggestions: per client address, and for everyone together
// so that many addresses cannot flood the editors' queue.
const (
	correctionWindow      = time.Hour
	correctionsPerAddress = 5
	correctionsPerWindow  = 200
	correctionQueueShown  = 200
)

// correctionLimiter counts suggestions in fixed windows of an hour.
type correctionLimiter struct {
	mu     sync.Mutex
	start  time.Time
	all    int
	byAddr map[string]int
}

func newCorrectionLimiter() *correctionLimiter {
	return &correctionLimiter{byAddr: map[string]int{}}
}

// allow counts one suggestion from addr, or says how long to wait.
func (l *correctionLimiter) allow(addr string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= correctionWindow {
		l.start, l.all, l.byAddr = now, 0, map[string]int{}
	}
	if l.all >= correctionsPerWindow || l.byAddr[addr] >= correctionsPerAddress {
		return false, l.start.Add(correctionWindow).Sub(now)
	}
	l.all++
	l.byAddr[addr]++
	return true, 0
}

// GET /events/:slug/correct: the form to suggest a correction.
func (s *Server) handleCorrectionForm(c echo.Context) error {
	e, err := s.store.GetEvent(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CorrectionFormPage(correctionForm(localizer(c), e)))
}

func correctionForm(l *locales.Localizer, e timeline.Event) views.CorrectionForm {
	return views.CorrectionForm{Head: views.Head{Title: l.T("corr.title", views.EventTitle(l, e).Text)}, Event: e}
}

// POST /events/:slug/correct: stores the suggestion and sends the reader
// to its status page, which gives the reference; or shows the form again
// with its problems (422), everything typed kept. A filled honeypot is
// refused (422) and stored nowhere; past the rate limit it is 429.
func (s *Server) handleCorrectionCreate(lim *correctionLimiter) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		e, err := s.store.GetEvent(ctx, c.Param("slug"))
		if err != nil {
			return err
		}
		form, err := formValues(c)
		if err != nil {
			return err
		}
		m := correctionForm(localizer(c), e)
		m.In = timeline.Correction{EventSlug: e.Slug, What: form.Get("what"), Evidence: form.Get("evidence"),
			Name: form.Get("name"), Contact: form.Get("contact")}
		if form.Get("website") != "" {
			m.Alert = localizer(c).T("corr.honeypot_filled")
			return render(c, http.StatusUnprocessableEntity, views.CorrectionFormPage(m))
		}
		m.In.Normalize()
		if err := m.In.Validate(); err != nil {
			m.Problems, _ = storeProblems(err)
			return render(c, http.StatusUnprocessableEntity, views.CorrectionFormPage(m))
		}
		if ok, wait := lim.allow(c.RealIP(), s.cfg.Now()); !ok {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			m.Alert = localizer(c).T("corr.too_many")
			return render(c, http.StatusTooManyRequests, views.CorrectionFormPage(m))
		}
		if err := s.store.CreateCorrection(ctx, &m.In); err != nil {
			if p, ok := storeProblems(err); ok {
				m.Problems = p
				return render(c, http.StatusUnprocessableEntity, views.CorrectionFormPage(m))
			}
			return err
		}
		return redirect(c, http.StatusSeeOther, views.CorrectionURL(m.In.Ref)+"?sent=1")
	}
}

// GET /corrections/:ref: a correction's status, for everyone. The
// contact the reader gave is never shown here.
func (s *Server) handleCorrectionStatus(c echo.Context) error {
	ctx := c.Request().Context()
	ref := timeline.NormalizeRef(c.Param("ref"))
	if ref != c.Param("ref") {
		return redirect(c, http.StatusMovedPermanently, views.CorrectionURL(ref))
	}
	corr, err := s.store.GetCorrection(ctx, ref)
	if err != nil {
		return err
	}
	m := views.CorrectionStatus{Head: views.Head{Title: localizer(c).T("corr.heading", corr.Ref)}, Correction: corr, EventTitle: corr.EventSlug,
		New: c.QueryParam("sent") == "1"}
	if e, err := s.store.GetEventAny(ctx, corr.EventSlug); err == nil {
		m.EventTitle = e.Title
	}
	return render(c, http.StatusOK, views.CorrectionStatusPage(m))
}

// GET /corrections: find a correction by its reference (?ref=).
func (s *Server) handleCorrectionLookup(c echo.Context) error {
	m := views.CorrectionLookup{Head: views.Head{Title: localizer(c).T("corr.follow_h")}, Ref: c.QueryParam("ref")}
	if _, ok := c.QueryParams()["ref"]; !ok {
		return render(c, http.StatusOK, views.CorrectionLookupPage(m))
	}
	ref := timeline.NormalizeRef(m.Ref)
	_, err := s.store.GetCorrection(c.Request().Context(), ref)
	switch {
	case err == nil:
		return redirect(c, http.StatusSeeOther, views.CorrectionURL(ref))
	case errors.Is(err, timeline.ErrNotFound):
		m.Problem = "no correction has this reference: it is eight letters and digits, such as K7Q2-M9XD"
		if strings.TrimSpace(m.Ref) == "" {
			m.Problem = "is required: type the reference you were given"
		}
		return render(c, http.StatusNotFound, views.CorrectionLookupPage(m))
	}
	return err
}

// GET /admin/corrections: the editors' queue, oldest open first.
func (s *Server) handleCorrectionQueue(c echo.Context) error {
	return s.renderCorrectionQueue(c, http.StatusOK, nil, nil)
}

func (s *Server) renderCorrectionQueue(c echo.Context, status int, problems, reasons map[string]string) error {
	ctx := c.Request().Context()
	m := views.CorrectionQueue{Head: views.Head{Title: localizer(c).T("corr.queue_h")}, Problems: problems, Reasons: reasons}
	var err error
	if m.Open, err = s.store.ListCorrections(ctx, timeline.CorrectionOpen, correctionQueueShown); err != nil {
		return err
	}
	for _, st := range []string{timeline.CorrectionAccepted, timeline.CorrectionDeclined} {
		d, err := s.store.ListCorrections(ctx, st, 20)
		if err != nil {
			return err
		}
		m.Decided = append(m.Decided, d...)
	}
	return render(c, status, views.CorrectionQueuePage(m))
}

// POST /admin/corrections/:ref/decline: closes a correction with the
// reason given (required; shown publicly).
func (s *Server) handleCorrectionDecline(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	ref := c.Param("ref")
	reason := form.Get("reason-" + ref)
	err = s.store.DeclineCorrection(c.Request().Context(), ref, u.Name, reason)
	if p, ok := storeProblems(err); ok {
		return s.renderCorrectionQueue(c, http.StatusUnprocessableEntity, map[string]string{ref: p["reason"]}, map[string]string{ref: reason})
	} else if err != nil {
		return err
	}
	return redirect(c, http.StatusSeeOther, "/admin/corrections")
}

// correctionFor loads the open correction an edit applies (the form's or
// query's "correction"), or nil when there is none.
func (s *Server) correctionFor(c echo.Context, ref, slug string) (*timeline.Correction, error) {
	if ref == "" {
		return nil, nil
	}
	corr, err := s.store.GetCorrection(c.Request().Context(), ref)
	if errors.Is(err, timeline.ErrNotFound) {
		return nil, newClientError(http.StatusBadRequest, "There is no correction "+ref+".", map[string]string{"correction": "no such correction"})
	} else if err != nil {
		return nil, err
	}
	if corr.EventSlug != slug {
		return nil, newClientError(http.StatusBadRequest, "Correction "+ref+" is for another event.", map[string]string{"correction": "is for another event"})
	}
	return &corr, nil
}
