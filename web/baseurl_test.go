package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestHostHeaderCannotPoisonLinks: absolute URLs come from the configured
// base URL only. A request with a forged Host, X-Forwarded-Host or
// X-Forwarded-Proto neither sees its host in the links nor leaves it in
// the page cache for the next reader.
func TestHostHeaderCannotPoisonLinks(t *testing.T) {
	for _, base := range []string{"", "https://timeline.example"} {
		env := newAuthEnv(t, Config{BaseURL: base})
		want := base
		if want == "" {
			want = DefaultBaseURL
		}
		for _, path := range []string{"/feed.atom", "/events/2014-05-stockholm-agreement", "/api", "/events.json", "/events.ics"} {
			forged := env.request("GET", path, nil, nil, "Host", "evil.example", "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "gopher")
			b := respBody(t, forged)
			if forged.StatusCode != http.StatusOK {
				t.Errorf("base %q: GET %s with a forged Host: status %d", base, path, forged.StatusCode)
			}
			resp := env.request("GET", path, nil, nil)
			b2 := respBody(t, resp)
			for i, body := range []string{b, b2} {
				if strings.Contains(body, "evil.example") || strings.Contains(body, "gopher:") {
					t.Errorf("base %q: GET %s (request %d) shows the forged host", base, path, i+1)
				}
				wantContains(t, fmt.Sprintf("base %q: GET %s (request %d) has no link under %s", base, path, i+1, want), body, want+"/")
			}
		}
	}
}

// TestForwardedProtoOnlyFromTrustedProxies: a session cookie is Secure
// when a trusted proxy says the request came over HTTPS, not when anyone
// else does.
func TestForwardedProtoOnlyFromTrustedProxies(t *testing.T) {
	for _, tt := range []struct {
		proxies []string
		secure  bool
	}{{nil, false}, {[]string{"10.9.9.9"}, false}, {[]string{"127.0.0.1"}, true}} {
		env := newAuthEnv(t, Config{TrustedProxies: tt.proxies})
		env.addUser("alice", "editor")
		resp := env.request("POST", "/login", map[string][]string{"username": {"alice"}, "password": {testPassword}}, nil, "X-Forwarded-Proto", "https")
		respBody(t, resp)
		if got := strings.Contains(resp.Header.Get("Set-Cookie"), "Secure"); got != tt.secure {
			t.Errorf("proxies %v: Secure %v, want %v", tt.proxies, got, tt.secure)
		}
	}
}
