package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
)

func authSeedEvent(start, title string) timeline.Event {
	return timeline.Event{
		Start: timeline.MustDate(start), Title: title, Summary: "Summary of " + title,
		Category: "summit", Significance: 3,
		Actors:  []timeline.EventActor{{Actor: timeline.Actor{Slug: "japan", Name: "Japan", Kind: "state", Country: "JP"}, Role: "party"}},
		Sources: []timeline.Source{{Publisher: "MOFA", Title: "Bluebook", URL: "https://www.mofa.go.jp/", Language: "en"}},
	}
}

// addUser creates an account with testPassword.
func (env *authEnv) addUser(name, role string) {
	env.t.Helper()
	if _, err := env.store.CreateUser(context.Background(), name, role, testPassword); err != nil {
		env.t.Fatal(err)
	}
}

// request sends a request as a same-origin browser would (Origin and
// Sec-Fetch-Site set for unsafe methods), with the session cookie if given.
func (env *authEnv) request(method, path string, form url.Values, cookie *http.Cookie, header ...string) *http.Response {
	env.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, env.http.URL+path, body)
	if err != nil {
		env.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("Origin", env.http.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Accept", "text/html")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := env.client.Do(req)
	if err != nil {
		env.t.Fatal(err)
	}
	return resp
}

// body reads and closes the response body.
func respBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sessionCookieOf(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

// login signs in and returns the session cookie.
func (env *authEnv) login(name string) *http.Cookie {
	env.t.Helper()
	resp := env.request("POST", "/login", url.Values{"username": {name}, "password": {testPassword}}, nil)
	respBody(env.t, resp)
	c := sessionCookieOf(resp)
	if resp.StatusCode != http.StatusSeeOther || c == nil || c.Value == "" {
		env.t.Fatalf("login %s: status %d, cookie %v", name, resp.StatusCode, c)
	}
	return c
}

// signedIn reports whether cookie still opens an editor page.
func (env *authEnv) signedIn(cookie *http.Cookie) bool {
	env.t.Helper()
	resp := env.request("GET", "/events/new", nil, cookie)
	respBody(env.t, resp)
	return resp.StatusCode == http.StatusOK
}

// writeRoutes lists every route that changes something or shows an
// editor's page.
var writeRoutes = []struct{ method, path string }{
	{"GET", "/events/new"},
	{"POST", "/events"},
	{"GET", "/events/2014-05-stockholm-agreement/edit"},
	{"POST", "/events/2014-05-stockholm-agreement/edit"},
	{"GET", "/events/2014-05-stockholm-agreement/delete"},
	{"POST", "/events/2014-05-stockholm-agreement/delete"},
	{"POST", "/events/2014-05-stockholm-agreement/restore"},
	{"GET", "/admin/deleted"},
	{"GET", "/admin/users"},
	{"POST", "/admin/users"},
	{"POST", "/admin/users/alice/role"},
	{"POST", "/admin/users/alice/disable"},
	{"POST", "/admin/users/alice/enable"},
	{"GET", "/admin/audit"},
}

func TestAuthWriteRoutesRefuseAnonymous(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	for _, r := range writeRoutes {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			form := url.Values{"title": {"x"}, "version": {"1"}, "from": {"1"}, "name": {"mallory"}, "role": {"admin"}, "password": {testPassword}}
			if r.method == "GET" {
				form = nil
			}
			// A browser page request goes to the login page, and back after.
			resp := env.request(r.method, r.path, form, nil, "Accept", "text/html")
			respBody(t, resp)
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
				t.Fatalf("page request: status %d, Location %q; want 303 to /login", resp.StatusCode, loc)
			}
			if r.method == "GET" && loc != "/login?next="+url.QueryEscape(r.path) {
				t.Errorf("Location %q does not come back to %s", loc, r.path)
			}
			if r.method == "GET" {
				return
			}
			// Any other request gets 401.
			resp = env.request(r.method, r.path, form, nil, "Accept", "application/json")
			b := respBody(t, resp)
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(b, `"code":"unauthorized"`) {
				t.Errorf("non-page request: status %d, body %q; want 401 JSON", resp.StatusCode, b)
			}
			resp = env.request(r.method, r.path, form, nil, "Accept", "")
			respBody(t, resp)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("request without Accept: status %d, want 401", resp.StatusCode)
			}
		})
	}
	if u, err := env.store.GetUser(context.Background(), "alice"); err != nil || u.Role != timeline.RoleEditor || u.Disabled {
		t.Errorf("anonymous requests changed alice: %+v, %v", u, err)
	}
	if _, err := env.store.GetUser(context.Background(), "mallory"); err == nil {
		t.Error("an anonymous request added a user")
	}
}

func TestAuthEditorCannotAdminister(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	env.addUser("bob", timeline.RoleEditor)
	c := env.login("alice")
	for _, r := range writeRoutes {
		if !strings.HasPrefix(r.path, "/admin/") || r.path == "/admin/deleted" {
			continue
		}
		resp := env.request(r.method, strings.Replace(r.path, "alice", "bob", 1), url.Values{"role": {"admin"}, "name": {"x"}}, c)
		respBody(t, resp)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("editor %s %s: status %d, want 403", r.method, r.path, resp.StatusCode)
		}
	}
	if u, _ := env.store.GetUser(context.Background(), "bob"); u.Role != timeline.RoleEditor || u.Disabled {
		t.Errorf("an editor changed bob: %+v", u)
	}
	log, _ := env.store.AuditLog(context.Background(), 0, 100)
	if !hasAudit(log, "alice", timeline.AuditRefused) {
		t.Errorf("refusals not in the audit log: %+v", log)
	}
}

func hasAudit(log []timeline.AuditEntry, actor, action string) bool {
	for _, e := range log {
		if e.Actor == actor && e.Action == action {
			return true
		}
	}
	return false
}

func TestAuthCrossSitePostRefused(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	form := url.Values{"from": {"1"}, "version": {"1"}}
	for _, tt := range []struct {
		name   string
		header []string
		want   int
	}{
		{"cross-site fetch metadata", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"same-site but other origin", []string{"Sec-Fetch-Site", "same-site", "Origin", "https://sub.example"}, http.StatusForbidden},
		{"foreign Origin, no fetch metadata", []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"same origin", nil, http.StatusSeeOther},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.request("POST", "/events/2014-05-stockholm-agreement/restore", form, c, tt.header...)
			respBody(t, resp)
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	// Only the same-origin restore went through: versions 1 and 2.
	revs, _ := env.store.Revisions(context.Background(), "2014-05-stockholm-agreement")
	if len(revs) != 2 {
		t.Errorf("%d revisions, want 2 (only the same-origin POST may write)", len(revs))
	}
	// A cross-site login POST (login CSRF) is refused too.
	resp := env.request("POST", "/login", url.Values{"username": {"alice"}, "password": {testPassword}}, nil, "Sec-Fetch-Site", "cross-site")
	respBody(t, resp)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site login: status %d, want 403", resp.StatusCode)
	}
}

func TestAuthLogoutAndDisableEndSessions(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("root", timeline.RoleAdmin)
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	if !env.signedIn(c) {
		t.Fatal("fresh cookie does not work")
	}
	resp := env.request("POST", "/logout", url.Values{}, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
	if cleared := sessionCookieOf(resp); cleared == nil || cleared.MaxAge >= 0 {
		t.Errorf("logout did not clear the cookie: %v", cleared)
	}
	if env.signedIn(c) {
		t.Error("the cookie still works after logout")
	}

	c = env.login("alice")
	admin := env.login("root")
	resp = env.request("POST", "/admin/users/alice/disable", url.Values{}, admin)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: status %d", resp.StatusCode)
	}
	if env.signedIn(c) {
		t.Error("the cookie of a disabled user still works")
	}
	resp = env.request("POST", "/login", url.Values{"username": {"alice"}, "password": {testPassword}}, nil)
	respBody(t, resp)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("disabled user login: status %d, want 401", resp.StatusCode)
	}
	// Each login gets a new token, and the old one ends.
	a1 := env.login("root")
	resp = env.request("POST", "/login", url.Values{"username": {"root"}, "password": {testPassword}}, a1)
	respBody(t, resp)
	a2 := sessionCookieOf(resp)
	if a2 == nil || a2.Value == a1.Value {
		t.Fatalf("second login kept the token: %v", a2)
	}
	if env.signedIn(a1) || !env.signedIn(a2) {
		t.Error("the session before a login should end and the new one work")
	}
}

func TestLoginRateLimit(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	bad := url.Values{"username": {"alice"}, "password": {"wrong password!"}}
	for i := 0; i < loginPerAccountAddress; i++ {
		resp := env.request("POST", "/login", bad, nil)
		b := respBody(t, resp)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(b, "Wrong user name or password") {
			t.Fatalf("attempt %d: status %d", i+1, resp.StatusCode)
		}
	}
	// Now even the right password waits for the window to pass.
	resp := env.request("POST", "/login", url.Values{"username": {"alice"}, "password": {testPassword}}, nil)
	respBody(t, resp)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", resp.StatusCode)
	}
	ra := resp.Header.Get("Retry-After")
	if ra == "" || ra == "0" || len(ra) > 4 {
		t.Errorf("Retry-After %q, want a number of seconds up to 900", ra)
	}
	if sessionCookieOf(resp) != nil {
		t.Error("a limited login set a cookie")
	}
	// A spoofed X-Forwarded-For does not give a new address (no trusted proxy).
	resp = env.request("POST", "/login", bad, nil, "X-Forwarded-For", "203.0.113.9")
	respBody(t, resp)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("with X-Forwarded-For: status %d, want 429", resp.StatusCode)
	}
	log, _ := env.store.AuditLog(context.Background(), 0, 100)
	if !hasAudit(log, "", timeline.AuditLoginFailed) || !hasAudit(log, "", timeline.AuditLoginLimited) {
		t.Errorf("failures not audited: %+v", log)
	}
	for _, e := range log {
		if strings.Contains(e.Detail+e.Target, "wrong password!") || strings.Contains(e.Detail+e.Target, testPassword) {
			t.Errorf("a password reached the audit log: %+v", e)
		}
	}
}

func TestLoginLimiterPerAddress(t *testing.T) {
	lim := newLoginLimiter()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < loginPerAddress; i++ {
		if a, _ := lim.reserve("user"+string(rune('a'+i)), "198.51.100.7", now); a == nil {
			t.Fatalf("attempt %d limited too early", i+1)
		}
	}
	if _, w := lim.reserve("fresh", "198.51.100.7", now.Add(time.Minute)); w != loginWindow-time.Minute {
		t.Errorf("address limit: wait %v, want %v", w, loginWindow-time.Minute)
	}
	if _, w := lim.reserve("fresh", "198.51.100.8", now); w != 0 {
		t.Errorf("another address: wait %v, want 0", w)
	}
	if _, w := lim.reserve("fresh", "198.51.100.7", now.Add(loginWindow)); w != 0 {
		t.Errorf("after the window: wait %v, want 0", w)
	}
}

func TestAuthClientAddress(t *testing.T) {
	for _, tt := range []struct {
		name    string
		proxies []string
		remote  string
		want    string
	}{
		{"no proxy: X-Forwarded-For ignored", nil, "192.0.2.1:5000", "192.0.2.1"},
		{"loopback is not trusted by default", nil, "127.0.0.1:5000", "127.0.0.1"},
		{"trusted proxy", []string{"192.0.2.0/24"}, "192.0.2.1:5000", "203.0.113.9"},
		{"untrusted peer", []string{"192.0.2.1"}, "198.51.100.1:5000", "198.51.100.1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{cfg: Config{TrustedProxies: tt.proxies}, log: slog.New(slog.DiscardHandler)}
			e := echo.New()
			e.IPExtractor = s.ipExtractor()
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tt.remote
			req.Header.Set("X-Forwarded-For", "203.0.113.9")
			if got := e.NewContext(req, httptest.NewRecorder()).RealIP(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	if _, err := ParseTrustedProxy("not-an-ip"); err == nil {
		t.Error("ParseTrustedProxy accepted junk")
	}
}

func TestAuthSecurityHeadersAndCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		env := newAuthEnv(t, Config{SecureCookies: secure})
		env.addUser("alice", timeline.RoleEditor)
		want := map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
			"X-Frame-Options":         "DENY",
		}
		for _, path := range []string{"/", "/login", "/no-such-page", "/static/app.css"} {
			resp := env.request("GET", path, nil, nil)
			respBody(t, resp)
			for k, v := range want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("GET %s: %s = %q, want %q", path, k, got, v)
				}
			}
		}
		resp := env.request("POST", "/login", url.Values{"username": {"alice"}, "password": {testPassword}}, nil)
		respBody(t, resp)
		raw := resp.Header.Get("Set-Cookie")
		for _, part := range []string{"timeline_session=", "Path=/", "HttpOnly", "SameSite=Lax"} {
			wantContains(t, fmt.Sprintf("Set-Cookie %q lacks %s", raw, part), raw, part)
		}
		if strings.Contains(raw, "Secure") != secure {
			t.Errorf("SecureCookies=%v: Set-Cookie %q", secure, raw)
		}
		c := sessionCookieOf(resp)
		if n := len(c.Value); n < 22 {
			t.Errorf("session token has %d characters, want at least 128 bits", n)
		}
		page := env.request("GET", "/", nil, c)
		b := respBody(t, page)
		if !strings.Contains(b, `data-testid="signed-in-as">alice<`) || page.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("signed-in page: Cache-Control %q, user area missing: %v", page.Header.Get("Cache-Control"), !strings.Contains(b, "signed-in-as"))
		}
	}
}

func TestAuthBodyLimit(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	big := "title=" + strings.Repeat("x", MaxFormBody+10)
	for _, chunked := range []bool{false, true} {
		var r io.Reader = strings.NewReader(big)
		if chunked {
			r = io.MultiReader(strings.NewReader(big)) // hides the length: sent chunked
		}
		req, _ := http.NewRequest("POST", env.http.URL+"/events", r)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(c)
		resp, err := env.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		respBody(t, resp)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked=%v: status %d, want 413", chunked, resp.StatusCode)
		}
	}
	// The API's group takes a dataset: over the form limit is read, over
	// the import limit is refused.
	token, err := env.store.CreateToken(context.Background(), "alice", "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		size int
		want int
	}{
		{MaxFormBody + 10, http.StatusBadRequest},
		{MaxImportBody + 10, http.StatusRequestEntityTooLarge},
	} {
		req, _ := http.NewRequest("POST", env.http.URL+"/api/v1/events", strings.NewReader(strings.Repeat(" ", tt.size)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := env.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		respBody(t, resp)
		if resp.StatusCode != tt.want {
			t.Errorf("API body of %d bytes: got status %d, want %d", tt.size, resp.StatusCode, tt.want)
		}
	}
}

func TestAuthRequireToken(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("bot", timeline.RoleEditor)
	tok, err := env.store.CreateToken(context.Background(), "bot", "test")
	if err != nil {
		t.Fatal(err)
	}
	env.server.Echo().GET("/api/v1/test-whoami", func(c echo.Context) error {
		u, _ := currentUser(c)
		return c.String(http.StatusOK, u.Name)
	}, env.server.requireToken)
	for _, tt := range []struct {
		name, auth string
		want       int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"wrong scheme", "Basic " + tok, http.StatusUnauthorized},
		{"unknown token", "Bearer tl_nope", http.StatusUnauthorized},
		{"good token", "Bearer " + tok, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := env.request("GET", "/api/v1/test-whoami", nil, nil, "Authorization", tt.auth)
			b := respBody(t, resp)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == http.StatusOK && b != "bot" {
				t.Errorf("user %q, want bot", b)
			}
			if tt.want == http.StatusUnauthorized && !regexp.MustCompile(`^\{"error":\{"code":"unauthorized","message":".+"\}\}\s*$`).MatchString(b) {
				t.Errorf("body %q is not the JSON error", b)
			}
		})
	}
}

func TestAuthAdminManagesUsers(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("root", timeline.RoleAdmin)
	c := env.login("root")
	resp := env.request("POST", "/admin/users", url.Values{"name": {"carol"}, "role": {"editor"}, "password": {"short"}}, c)
	b := respBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "at least 12 characters") || !strings.Contains(b, `value="carol"`) {
		t.Fatalf("short password: status %d", resp.StatusCode)
	}
	resp = env.request("POST", "/admin/users", url.Values{"name": {"carol"}, "role": {"editor"}, "password": {"a long enough password"}}, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: status %d", resp.StatusCode)
	}
	hash, err := env.store.PasswordHash(context.Background(), "carol")
	if err != nil || !regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$`).MatchString(hash) {
		t.Errorf("stored hash %q, %v; want an argon2id PHC string", hash, err)
	}
	resp = env.request("POST", "/admin/users/carol/role", url.Values{"role": {"admin"}}, c)
	respBody(t, resp)
	if u, _ := env.store.GetUser(context.Background(), "carol"); resp.StatusCode != http.StatusSeeOther || u.Role != timeline.RoleAdmin {
		t.Errorf("role change: status %d, role %s", resp.StatusCode, u.Role)
	}
	resp = env.request("POST", "/admin/users/root/disable", url.Values{}, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("self-disable: status %d, want 422", resp.StatusCode)
	}
	resp = env.request("GET", "/admin/audit", nil, c)
	b = respBody(t, resp)
	for _, want := range []string{">login<", ">user-add<", ">user-role<", ">carol<"} {
		wantContains(t, fmt.Sprintf("audit page lacks %s", want), b, want)
	}
	resp = env.request("GET", "/admin/users", nil, c)
	b = respBody(t, resp)
	wantContains(t, "users page does not list carol", b, `data-testid="user-carol"`)
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "/",
		"/events/new":            "/events/new",
		"/events?q=a&from=2002":  "/events?q=a&from=2002",
		"//evil.example/":        "/",
		"/\\evil.example":        "/",
		"https://evil.example/":  "/",
		"javascript:alert(1)":    "/",
		"/ok\r\nSet-Cookie: x=1": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
