package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// Login limits. Failed attempts are counted in fixed windows, per account
// and client address together, and per address alone: past those, the
// address gets 429. An account attacked from many addresses is never
// refused, so that its owner still gets in: past loginAccountSlowAfter
// failures its attempts run one at a time, each after loginSlowDelay.
// Every attempt is reserved before its password is hashed, so no burst of
// parallel requests gets more hashes than the limits allow.
const (
	loginWindow            = 15 * time.Minute
	loginPerAccountAddress = 5
	loginPerAddress        = 20
	loginAccountSlowAfter  = 10
	loginSlowDelay         = 2 * time.Second
	loginSlowMaxWait       = 30 * time.Second // waiting longer for the account's turn: 429
	loginMaxKeys           = 100_000          // past this, expired windows are swept
	loginHashSlots         = 4                // password hashes run at once (19 MiB each)
)

// loginLimiter counts login attempts in fixed windows, slows down attacked
// accounts, and bounds how many password hashes run at once.
type loginLimiter struct {
	mu      sync.Mutex
	windows map[string]*loginWindowCount
	turns   map[string]chan struct{} // one attempt at a time on a slowed account
	slots   chan struct{}
	sleep   func(time.Duration) // time.Sleep; tests record instead
}

type loginWindowCount struct {
	start time.Time
	fails int // failures and attempts in flight
}

// loginAttempt is a reserved attempt: it counts as a failure unless it is
// released.
type loginAttempt struct {
	account string
	counted []*loginWindowCount
	slow    bool // the account is past loginAccountSlowAfter
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{windows: map[string]*loginWindowCount{}, turns: map[string]chan struct{}{},
		slots: make(chan struct{}, loginHashSlots), sleep: time.Sleep}
}

func (l *loginLimiter) window(key string, now time.Time) *loginWindowCount {
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= loginWindow {
		w = &loginWindowCount{start: now}
		l.windows[key] = w
	}
	return w
}

// reserve counts an attempt by account from addr before it is checked. It
// returns how long the caller must wait when a limit is reached (and no
// attempt), or the attempt.
func (l *loginLimiter) reserve(account, addr string, now time.Time) (*loginAttempt, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.windows) > loginMaxKeys {
		for k, w := range l.windows {
			if now.Sub(w.start) >= loginWindow {
				delete(l.windows, k)
			}
		}
	}
	hard := []struct {
		key   string
		limit int
	}{{"ua:" + account + "\x00" + addr, loginPerAccountAddress}, {"a:" + addr, loginPerAddress}}
	var wait time.Duration
	for _, k := range hard {
		if w := l.window(k.key, now); w.fails >= k.limit {
			wait = max(wait, w.start.Add(loginWindow).Sub(now))
		}
	}
	if wait > 0 {
		return nil, wait
	}
	a := &loginAttempt{account: account}
	for _, key := range []string{hard[0].key, hard[1].key, "u:" + account} {
		w := l.window(key, now)
		w.fails++
		a.counted = append(a.counted, w)
	}
	a.slow = a.counted[2].fails > loginAccountSlowAfter
	return a, 0
}

// release takes back an attempt that was not a failure: the right
// password (which also forgets the failures from that address and ends the
// account's slowdown) or an attempt that could not be checked.
func (l *loginLimiter) release(a *loginAttempt, succeeded bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, w := range a.counted {
		if w.fails > 0 {
			w.fails--
		}
		if succeeded && i != 1 { // the address's other accounts still count
			w.fails = 0
		}
	}
}

// turn waits for the slowed account's turn, then for loginSlowDelay. The
// returned function ends the turn.
func (l *loginLimiter) turn(ctx context.Context, account string) (func(), error) {
	l.mu.Lock()
	ch := l.turns[account]
	if ch == nil {
		ch = make(chan struct{}, 1)
		l.turns[account] = ch
	}
	l.mu.Unlock()
	timer := time.NewTimer(loginSlowMaxWait)
	defer timer.Stop()
	select {
	case ch <- struct{}{}:
	case <-timer.C:
		return nil, errLoginBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	l.sleep(loginSlowDelay)
	return func() {
		<-ch
		l.mu.Lock()
		if len(ch) == 0 && len(l.turns) > loginMaxKeys {
			delete(l.turns, account)
		}
		l.mu.Unlock()
	}, nil
}

// errLoginBusy: too many attempts wait for a slowed account's turn.
var errLoginBusy = errors.New("too many sign-in attempts for this account are waiting")

// GET /login: the sign-in form.
func (s *Server) handleLoginForm(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if _, ok := currentUser(c); ok {
		return redirect(c, http.StatusSeeOther, next)
	}
	return render(c, http.StatusOK, views.LoginPage(views.LoginView{Head: views.Head{Title: localizer(c).T("user.login")}, Next: next}))
}

// POST /login: checks the name and password, within the rate limits; on
// success starts a new session (a new token every time) and goes on to
// next.
func (s *Server) handleLogin(lim *loginLimiter) echo.HandlerFunc {
	return func(c echo.Context) error {
		form, err := formValues(c)
		if err != nil {
			return err
		}
		name := strings.ToLower(strings.TrimSpace(form.Get("username")))
		password := form.Get("password")
		m := views.LoginView{Head: views.Head{Title: localizer(c).T("user.login")}, Username: name, Next: safeNext(form.Get("next"))}
		if len(name) > 64 {
			name = name[:64]
		}
		addr := c.RealIP()
		now := s.cfg.Now()
		attempt, wait := lim.reserve(name, addr, now)
		if attempt == nil {
			return s.loginLimited(c, m, name, wait)
		}
		u, err := s.checkLogin(c, lim, attempt, name, password)
		if errors.Is(err, timeline.ErrBadCredentials) {
			s.audit(c, timeline.AuditEntry{Action: timeline.AuditLoginFailed, Target: name, Detail: loginFailure(err)})
			m.Error = localizer(c).T("login.wrong")
			return render(c, http.StatusUnauthorized, views.LoginPage(m))
		} else if errors.Is(err, errLoginBusy) {
			lim.release(attempt, false)
			return s.loginLimited(c, m, name, loginSlowMaxWait)
		} else if err != nil {
			lim.release(attempt, false)
			return err
		}
		lim.release(attempt, true)
		// A new session every time, and the old one ended, so that a
		// token planted before login is worth nothing after it.
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			if err := s.store.DeleteSession(c.Request().Context(), ck.Value); err != nil {
				return err
			}
		}
		token, err := s.store.CreateSession(c.Request().Context(), u.ID)
		if err != nil {
			return err
		}
		s.setSessionCookie(c, token)
		s.audit(c, timeline.AuditEntry{Actor: u.Name, Action: timeline.AuditLogin, Target: u.Name})
		return redirect(c, http.StatusSeeOther, m.Next)
	}
}

// checkLogin hashes the password of a reserved attempt: one at a time on a
// slowed account, and within the limit of hashes at once.
func (s *Server) checkLogin(c echo.Context, lim *loginLimiter, a *loginAttempt, name, password string) (timeline.User, error) {
	ctx := c.Request().Context()
	if a.slow {
		done, err := lim.turn(ctx, a.account)
		if err != nil {
			return timeline.User{}, err
		}
		defer done()
	}
	select {
	case lim.slots <- struct{}{}:
	case <-ctx.Done():
		return timeline.User{}, ctx.Err()
	}
	defer func() { <-lim.slots }()
	return s.store.Authenticate(ctx, name, password)
}

// loginLimited answers 429 with Retry-After.
func (s *Server) loginLimited(c echo.Context, m views.LoginView, name string, wait time.Duration) error {
	secs := int(wait.Round(time.Second).Seconds())
	s.audit(c, timeline.AuditEntry{Action: timeline.AuditLoginLimited, Target: name, Detail: "retry after " + strconv.Itoa(secs) + "s"})
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	m.Error = localizer(c).T("login.too_many", (secs+59)/60)
	return render(c, http.StatusTooManyRequests, views.LoginPage(m))
}

// loginFailure says why a login failed, for the audit log only.
func loginFailure(err error) string {
	if le, ok := errors.AsType[*timeline.LoginError](err); ok {
		return le.Reason
	}
	return "refused"
}

// POST /logout: ends the session at once.
func (s *Server) handleLogout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.store.DeleteSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	if u, ok := currentUser(c); ok {
		s.audit(c, timeline.AuditEntry{Actor: u.Name, Action: timeline.AuditLogout, Target: u.Name})
	}
	s.clearSessionCookie(c)
	return redirect(c, http.StatusSeeOther, "/")
}

// formValues parses the request's form (urlencoded or multipart), letting
// a 413 from the body limit through and making other parse failures 400.
func formValues(c echo.Context) (url.Values, error) {
	v, err := c.FormParams()
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		return nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read: "+err.Error())
	}
	return v, nil
}

// safeNext returns next when it is a path on this site, and "/" otherwise,
// so that the login page cannot send anyone elsewhere.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}
