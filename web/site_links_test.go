package web

import (
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"testing"
)

// siteAttrRegexp is what siteAttrs finds, said plainly: the oracle the
// scanner is held to.
var siteAttrRegexp = regexp.MustCompile(`(\s)([a-zA-Z][a-zA-Z0-9:-]*)="([^"]*)"`)

// TestSiteAttrsMatchRegexp holds siteAttrs to the regular expression on
// real pages and on random text made of the characters that matter.
func TestSiteAttrsMatchRegexp(t *testing.T) {
	check := func(body []byte) {
		t.Helper()
		var want, got [][]int
		for _, m := range siteAttrRegexp.FindAllSubmatchIndex(body, -1) {
			want = append(want, []int{m[0], m[4], m[6] - 2, m[1]})
		}
		for a := range siteAttrs(body) {
			got = append(got, []int{a.start, a.name, a.eq, a.end})
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("in %q\nsiteAttrs found (start, name, eq, end) %v\nthe expression     %v", body, got, want)
		}
	}
	for _, s := range []string{
		``, `="`, ` a=""`, ` a="x"`, `<a href="/x" class="y">`, `<a  href="/x"hx-get="/y" x="`,
		` 1a="x" b="y"`, `x a="1" b="2`, ` -a="x"`, "\ta:b=\"/\"\n\fc-d=\"\"\re=\"x\"", ` a="x"b="y" c="z"`,
		` a="x" " b="y"`, `a="b c="d"`, ` é="x" a="y"`, ` a=="x"`, ` a="x`,
	} {
		check([]byte(s))
	}
	env := newTestServer(t)
	for _, u := range []string{"/", "/events", "/timeline", "/story", "/about", "/eras", "/api"} {
		_, _, body := env.get(t, u)
		check([]byte(body))
	}
	rng := rand.New(rand.NewPCG(16, 1))
	alphabet := []byte(" \t\n\"=aZ1:-<>/x")
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		check(b)
	}
}

func TestSiteAccept(t *testing.T) {
	years := map[string]bool{"2002": true}
	windows := map[string]bool{"from=2023-05&to=2024-03": true}
	for _, tc := range []struct {
		url, want string // want "" for the note page
	}{
		{"/events/2002-09-17-koizumi", "/events/2002-09-17-koizumi"},
		{"/events?year=2002", "/events?year=2002"},
		{"/events?year=1066", ""},
		{"/events?from=2002&to=2002", "/events?from=2002&to=2002"},
		{"/events.csv?from=2002&to=2002", "/events.csv?from=2002&to=2002"},
		{"/events?from=2002&to=2003", ""},
		{"/events?category=statement", "/events?category=statement"},
		{"/events?category=statement&year=2002", ""},
		{"/events?q=abductions", ""},
		{"/actors/japan?from=2002&to=2002", ""},
		{"/actors/japan?cursor=abc", "/actors/japan?cursor=abc"},
		{"/timeline?from=2023-05&to=2024-03", "/timeline?from=2023-05&to=2024-03"},
		{"/timeline?from=2023-06&to=2024-03", ""},
		{"/timeline?from=2023-05&sel=2024-02-25-x&to=2024-03", "/events/2024-02-25-x"},
		{"/story?at=2024-02-25-x", "/events/2024-02-25-x"},
		{"/events/2002-09-17-koizumi/correct", ""},
		{"/events/2002-09-17-koizumi/edit", ""},
		{"/login", ""},
		{"/corrections", ""},
		{"/api/v1/events", ""},
		{"/api/v1/openapi.json", "/api/v1/openapi.json"},
		{"/static/app.css?v=1", "/static/app.css"},
	} {
		u, _ := url.Parse(tc.url)
		got, ok := siteAccept(u, windows, years)
		switch {
		case tc.want == "" && ok:
			t.Errorf("%s: kept as %s, want the note page", tc.url, got)
		case tc.want != "" && (!ok || got.String() != tc.want):
			t.Errorf("%s: got %v (%v), want %s", tc.url, got, ok, tc.want)
		}
	}
}
