package web

import (
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

// Login limits: failed attempts allowed in one window, per account and per
// client address. A window is short so that an attacker cannot keep a real
// user out for long.
const (
	loginWindow     = 15 * time.Minute
	loginPerAccount = 5
	loginPerAddress = 20
	loginMaxKeys    = 100_000 // past this, expired windows are swept
	loginHashSlots  = 4       // password hashes run at once (19 MiB each)
)

// loginLimiter counts failed logins in fixed windows and bounds how many
// password hashes run at once.
type loginLimiter struct {
	mu      sync.Mutex
	windows map[string]*loginWindowCount
	slots   chan struct{}
}

type loginWindowCount struct {
	start time.Time
	fails int
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{windows: map[string]*loginWindowCount{}, slots: make(chan struct{}, loginHashSlots)}
}

// wait returns how long the caller must wait before trying again (0: it
// may try now).
func (l *loginLimiter) wait(account, addr string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var d time.Duration
	for _, k := range []struct {
		key   string
		limit int
	}{{"u:" + account, loginPerAccount}, {"a:" + addr, loginPerAddress}} {
		w := l.windows[k.key]
		if w == nil || now.Sub(w.start) >= loginWindow || w.fails < k.limit {
			continue
		}
		d = max(d, w.start.Add(loginWindow).Sub(now))
	}
	return d
}

// fail counts one failed attempt against the account and the address.
func (l *loginLimiter) fail(account, addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.windows) > loginMaxKeys {
		for k, w := range l.windows {
			if now.Sub(w.start) >= loginWindow {
				delete(l.windows, k)
			}
		}
	}
	for _, k := range []string{"u:" + account, "a:" + addr} {
		w := l.windows[k]
		if w == nil || now.Sub(w.start) >= loginWindow {
			w = &loginWindowCount{start: now}
			l.windows[k] = w
		}
		w.fails++
	}
}

// succeed forgets the account's failures, so that a user who finally
// types the right password starts afresh.
func (l *loginLimiter) succeed(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.windows, "u:"+account)
}

// GET /login: the sign-in form.
func (s *Server) handleLoginForm(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return render(c, http.StatusOK, views.LoginPage(views.LoginView{Head: views.Head{Title: "Log in"}, Next: next}))
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
		m := views.LoginView{Head: views.Head{Title: "Log in"}, Username: name, Next: safeNext(form.Get("next"))}
		if len(name) > 64 {
			name = name[:64]
		}
		addr := c.RealIP()
		now := s.cfg.Now()
		if wait := lim.wait(name, addr, now); wait > 0 {
			secs := int(wait.Round(time.Second).Seconds())
			s.audit(c, timeline.AuditEntry{Action: timeline.AuditLoginLimited, Target: name, Detail: "retry after " + strconv.Itoa(secs) + "s"})
			c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
			m.Error = "Too many failed attempts. Try again in " + strconv.Itoa((secs+59)/60) + " minutes."
			return render(c, http.StatusTooManyRequests, views.LoginPage(m))
		}
		select {
		case lim.slots <- struct{}{}:
		case <-c.Request().Context().Done():
			return c.Request().Context().Err()
		}
		u, err := s.store.Authenticate(c.Request().Context(), name, password)
		<-lim.slots
		if errors.Is(err, timeline.ErrBadCredentials) {
			lim.fail(name, addr, now)
			s.audit(c, timeline.AuditEntry{Action: timeline.AuditLoginFailed, Target: name, Detail: loginFailure(err)})
			m.Error = "Wrong user name or password."
			return render(c, http.StatusUnauthorized, views.LoginPage(m))
		} else if err != nil {
			return err
		}
		lim.succeed(name)
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
		return c.Redirect(http.StatusSeeOther, m.Next)
	}
}

// loginFailure says why a login failed, for the audit log only.
func loginFailure(err error) string {
	msg := err.Error()
	for _, why := range []string{"unknown user", "wrong password", "account disabled"} {
		if strings.Contains(msg, why) {
			return why
		}
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
	return c.Redirect(http.StatusSeeOther, "/")
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
