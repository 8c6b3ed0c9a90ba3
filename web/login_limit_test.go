package web

import (
	"net/http"
	"net/url"
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
