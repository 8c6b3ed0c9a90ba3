package web

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// TestLoginLimitHoldsUnderConcurrency sends 50 wrong passwords for one
// account at once: each attempt is reserved before its hash, so exactly the
// allowed number are checked (401) and the rest refused (429).
func TestLoginLimitHoldsUnderConcurrency(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := env.request("POST", "/login", url.Values{"username": {"alice"}, "password": {"wrong password " + string(rune('a'+i))}}, nil)
			respBody(t, resp)
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[http.StatusUnauthorized] != loginPerAccountAddress || codes[http.StatusTooManyRequests] != 50-loginPerAccountAddress {
		t.Errorf("50 parallel wrong passwords: %v, want %d × 401 and the rest 429", codes, loginPerAccountAddress)
	}
	// The 429s are one row of the audit log, with a count.
	log, err := env.store.AuditLog(t.Context(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var limited []timeline.AuditEntry
	for _, e := range log {
		if e.Action == timeline.AuditLoginLimited {
			limited = append(limited, e)
		}
	}
	if len(limited) != 1 || limited[0].Count != codes[http.StatusTooManyRequests] {
		t.Errorf("audit rows for %d refusals: %+v, want one row counting them", codes[http.StatusTooManyRequests], limited)
	}
}

// TestLoginLockIsPerAccountAndAddress: failures from one address do not
// lock the owner out from theirs; failures from many addresses slow the
// account down but never refuse the right password.
func TestLoginLockIsPerAccountAndAddress(t *testing.T) {
	env := newAuthEnv(t, Config{TrustedProxies: []string{"127.0.0.1"}})
	env.addUser("alice", timeline.RoleEditor)
	var mu sync.Mutex
	var slowed []time.Duration
	env.server.logins.sleep = func(d time.Duration) { mu.Lock(); slowed = append(slowed, d); mu.Unlock() }
	wasSlowed := func() bool { mu.Lock(); defer mu.Unlock(); n := len(slowed); slowed = nil; return n > 0 }
	bad := url.Values{"username": {"alice"}, "password": {"wrong password!"}}
	from := func(addr string, form url.Values) int {
		resp := env.request("POST", "/login", form, nil, "X-Forwarded-For", addr)
		respBody(t, resp)
		return resp.StatusCode
	}
	for range loginPerAccountAddress {
		if got := from("203.0.113.66", bad); got != http.StatusUnauthorized {
			t.Fatalf("wrong password: status %d, want 401", got)
		}
	}
	if got := from("203.0.113.66", bad); got != http.StatusTooManyRequests {
		t.Errorf("attacker's address after %d failures: status %d, want 429", loginPerAccountAddress, got)
	}
	good := url.Values{"username": {"alice"}, "password": {testPassword}}
	if got := from("198.51.100.10", good); got != http.StatusSeeOther {
		t.Fatalf("owner from another address: status %d, want 303 (signed in)", got)
	}
	// Many addresses, each under its own limit, past the account's limit.
	for i := range loginAccountSlowAfter + 3 {
		from("203.0.113."+string(rune('0'+i%10))+string(rune('0'+i/10)), bad)
	}
	if !wasSlowed() {
		t.Error("an account under attack from many addresses was not slowed down")
	}
	if got := from("198.51.100.10", good); got != http.StatusSeeOther {
		t.Fatalf("owner while the account is attacked: status %d, want 303", got)
	}
	if !wasSlowed() {
		t.Error("the owner's attempt was not slowed while the account is attacked")
	}
}

// TestRefusalsDoNotFillTheAuditLog: cross-origin POSTs to long paths are
// refused and recorded as one capped row with a count.
func TestRefusalsDoNotFillTheAuditLog(t *testing.T) {
	env := newAuthEnv(t, Config{})
	for i := range 20 {
		path := "/events/" + strings.Repeat(string(rune('a'+i)), 100<<10) + "/delete"
		resp := env.request("POST", path, url.Values{"x": {"1"}}, nil, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		respBody(t, resp)
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-origin POST: status %d, want 403", resp.StatusCode)
		}
	}
	log, err := env.store.AuditLog(t.Context(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Count != 20 || len(log[0].Target) > timeline.AuditFieldMax {
		t.Errorf("20 refusals: %d rows, first counting %d with a target of %d bytes; want one row counting 20, capped", len(log), log[0].Count, len(log[0].Target))
	}
}
