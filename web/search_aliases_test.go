package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	dataSlugRE = regexp.MustCompile(`data-testid="event" data-slug="([^"]+)"`)
	nextPageRE = regexp.MustCompile(`<a href="([^"]+)" rel="next" data-testid="next">`)
	langSpanRE = regexp.MustCompile(`</?span[^>]*>`)
)

// pageSlugs walks the search page's result pages and returns every event
// it lists, in order.
func pageSlugs(t *testing.T, env *shippedEnv, q string) []string {
	t.Helper()
	var out []string
	path := "/events?q=" + url.QueryEscape(q)
	for range 50 {
		status, _, body := env.get(t, path)
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, status)
		}
		for _, m := range dataSlugRE.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		m := nextPageRE.FindStringSubmatch(body)
		if m == nil {
			return out
		}
		path = html.UnescapeString(m[1])
	}
	t.Fatalf("search %q: more than 50 pages", q)
	return nil
}

// apiSlugs returns the events the API's search lists.
func apiSlugs(t *testing.T, env *shippedEnv, q string) []string {
	t.Helper()
	status, _, body := env.get(t, "/api/v1/events?limit=500&q="+url.QueryEscape(q))
	if status != http.StatusOK {
		t.Fatalf("API search %q: status %d: %s", q, status, body)
	}
	var page struct {
		Events []struct {
			Slug string `json:"slug"`
		} `json:"events"`
		Next *string `json:"next_cursor"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	if page.Next != nil {
		t.Fatalf("API search %q has more than one page", q)
	}
	var out []string
	for _, e := range page.Events {
		out = append(out, e.Slug)
	}
	return out
}

// The search page and the API find the same events for a term in English,
// Japanese or Korean (the shipped aliases, which serve loads), and the
// page marks the other languages' terms in what it finds.
func TestSearchAcrossLanguages(t *testing.T) {
	env := newShippedEnv(t)
	for _, tt := range []struct {
		name  string
		terms []string
		mark  string // a term of another language marked in the results (lower case, without lang spans)
	}{
		{"six-party talks", []string{"six-party talks", "六者協議", "6者協議", "6カ国協議", "6자회담"}, "か国協議</mark>"},
		{"abduction", []string{"abduction", "拉致", "らち", "납치"}, "<mark>abduction"},
		{"repatriation", []string{"repatriation", "帰国事業", "북송사업"}, "<mark>repatriation"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := pageSlugs(t, env, tt.terms[0])
			if len(want) < 3 {
				t.Fatalf("%q lists %d events, want several", tt.terms[0], len(want))
			}
			for _, q := range tt.terms {
				if got := pageSlugs(t, env, q); !slices.Equal(got, want) {
					t.Errorf("page: %q lists %d events, %q %d", q, len(got), tt.terms[0], len(want))
				}
				if got := apiSlugs(t, env, q); !slices.Equal(got, want) {
					t.Errorf("API: %q lists %d events, the page for %q %d", q, len(got), tt.terms[0], len(want))
				}
			}
			_, _, body := env.get(t, "/events?q="+url.QueryEscape(tt.terms[len(tt.terms)-1]))
			if body = strings.ToLower(langSpanRE.ReplaceAllString(body, "")); !strings.Contains(body, tt.mark) {
				t.Errorf("the results for %q do not mark %s", tt.terms[len(tt.terms)-1], tt.mark)
			}
		})
	}
}
