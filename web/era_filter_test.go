package web

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestEraDateFilters: the filters read Japanese era dates as the ISO dates
// they mean, and refuse era dates that never existed, naming the parameter.
func TestEraDateFilters(t *testing.T) {
	ts := newShippedEnv(t)
	list := func(q url.Values) []string {
		t.Helper()
		status, _, body := ts.get(t, "/events?"+q.Encode())
		if status != 200 {
			t.Fatalf("/events?%s: status %d", q.Encode(), status)
		}
		return listedSlugs(body)
	}
	want := list(url.Values{"from": {"2002"}, "to": {"2004"}})
	if len(want) == 0 {
		t.Fatal("the shipped dataset lists nothing for 2002–2004")
	}
	for _, q := range []url.Values{
		{"from": {"平成14年"}, "to": {"平成16年"}},
		{"from": {"H14"}, "to": {"Ｈ１６"}},
		{"from": {"平成14年1月1日"}, "to": {"2004"}},
	} {
		if got := list(q); !slices.Equal(got, want) {
			t.Errorf("%v: got %v, want %v", q, got, want)
		}
	}
	if got, want := list(url.Values{"from": {"平成14年9月17日"}, "to": {"H14.9.17"}}), list(url.Values{"from": {"2002-09-17"}, "to": {"2002-09-17"}}); !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("平成14年9月17日: got %v, want %v", got, want)
	}

	for _, tt := range []struct{ query, param, says string }{
		{"from=" + url.QueryEscape("昭和64年1月8日"), "from", "ended on 1989-01-07"},
		{"to=" + url.QueryEscape("平成31年5月1日"), "to", "ended on 2019-04-30"},
		{"from=" + url.QueryEscape("平成14年13月"), "from", "months must be 1–12"},
		{"from=someday", "from", "or a Japanese era date such as"},
	} {
		for _, path := range []string{"/events?", "/story?"} {
			status, _, body := ts.get(t, path+tt.query)
			if status != 400 {
				t.Errorf("%s%s: status %d, want 400", path, tt.query, status)
			}
			if !strings.Contains(body, "<strong>"+tt.param+"</strong>") || !strings.Contains(body, tt.says) {
				t.Errorf("%s%s: does not name %s and say %q", path, tt.query, tt.param, tt.says)
			}
		}
		status, _, body := ts.get(t, "/api/v1/events?"+tt.query)
		if status != 400 || !strings.Contains(body, `"`+tt.param+`"`) {
			t.Errorf("/api/v1/events?%s: status %d, want a 400 naming %s: %s", tt.query, status, tt.param, body)
		}
	}
}
