package web

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	slideRE = regexp.MustCompile(`data-testid="slide" data-slug="([^"]+)"`)
	nextRE  = regexp.MustCompile(`<a href="([^"]+)" rel="next" data-testid="story-next"`)
	prevRE  = regexp.MustCompile(`<a href="([^"]+)" rel="prev" data-testid="story-prev"`)
)

// slideOf returns the slug of the event a story page shows.
func slideOf(body string) string {
	if m := slideRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func linkOf(re *regexp.Regexp, body string) string {
	if m := re.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

func TestStoryWalksTheViewByItsLinks(t *testing.T) {
	ts := newTestServer(t)
	for _, view := range []string{"", "category=summit&category=abduction", "tag=abductions", "actor=abe-shinzo", "from=2002&to=2006", "q=summit"} {
		t.Run(view, func(t *testing.T) {
			_, _, list := ts.get(t, "/events?"+view)
			want := listedSlugs(list)
			var got []string
			path := "/story?" + view
			for path != "" && len(got) <= len(want) {
				status, _, body := ts.get(t, path)
				if status != http.StatusOK {
					t.Fatalf("%s: status %d", path, status)
				}
				got = append(got, slideOf(body))
				if n := len(got); !strings.Contains(body, `data-testid="story-progress">Step `+itoa(n)+` of `+itoa(len(want))+`<`) {
					t.Errorf("%s: does not say step %d of %d", path, n, len(want))
				}
				// Each step is a permalink: the canonical address names it,
				// and going back from the next step returns to it.
				if !strings.Contains(body, `rel="canonical" href="`+DefaultBaseURL+"/story?") || !strings.Contains(body, "at="+got[len(got)-1]) {
					t.Errorf("%s: the canonical link does not name the step", path)
				}
				next := linkOf(nextRE, body)
				if next != "" {
					_, _, nb := ts.get(t, next)
					if back := linkOf(prevRE, nb); back == "" || slideOf(mustGet(t, ts, back)) != got[len(got)-1] {
						t.Errorf("%s: previous from the next step does not come back", path)
					}
				}
				path = next
			}
			if !slices.Equal(got, want) {
				t.Errorf("the story visits %v, the list holds %v", got, want)
			}
		})
	}
}

func mustGet(t *testing.T, ts *testServer, path string) string {
	t.Helper()
	status, _, body := ts.get(t, path)
	if status != http.StatusOK {
		t.Fatalf("%s: status %d", path, status)
	}
	return body
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestStoryStepPage(t *testing.T) {
	ts := newTestServer(t)
	body := mustGet(t, ts, "/story?category=summit&at=summit-2004")
	for _, want := range []string{
		`<time datetime="2004-05-22">22 May 2004</time>`, "Second Koizumi–Kim summit", "Koizumi Junichiro", `href="/actors/kim-jong-il"`,
		`<ol class="sources" data-testid="sources">`, `href="https://www.mofa.go.jp/region/asia-paci/n_korea/"`,
		`href="/story?at=summit-2002&amp;category=summit" rel="prev"`, `data-testid="strip"`, `data-testid="strip-summit-2002"`,
		`href="/events?category=summit" data-testid="story-back"`, `href="/timeline?category=summit"`, "Part of", `href="/eras/koizumi-summits"`,
		"<title>Second Koizumi–Kim summit — Summit · ", `src="/static/story.js?v=`,
	} {
		wantContains(t, fmt.Sprintf("lacks %q", want), body, want)
	}
	wantLacks(t, "the last step links to a next one", body, `data-testid="story-next"`)
	body = mustGet(t, ts, "/story?at=summit-2002")
	wantContains(t, "the step lacks its Japanese title or its mark on the strip", body, "日朝首脳会談")
	wantContains(t, "the step lacks its Japanese title or its mark on the strip", body, `class="mark current"`)
	body = mustGet(t, ts, "/story?at=stockholm-agreement")
	wantLacks(t, "user text was not escaped", body, "<script>alert(1)</script>")
	wantContains(t, "user text was not escaped", body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	body = mustGet(t, ts, "/story?q=nothingmatchesthis")
	wantContains(t, "an empty view does not say there is no story", body, `data-testid="empty"`)
	body = mustGet(t, ts, "/events?category=summit")
	wantContains(t, "the chronology does not offer its view as a story", body, `href="/story?category=summit" data-testid="as-story"`)
}

func TestStoryBadAddresses(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		path, problem string
		status        int
	}{
		{"/story?from=2014-13", "from", 400},
		{"/story?sig=9", "sig", 400},
		{"/story?category=weather", "category", 400},
		{"/story?actor=nobody", "actor", 400},
		{"/story?at=Not%20A%20Slug", "at", 400},
		{"/story?thread=", "thread", 400},
		{"/story?thread=summit-2002&category=summit", "thread", 400},
		{"/story?at=no-such-event", "", 404},
		{"/story?category=summit&at=return-of-five", "", 404}, // not in the view
		{"/story?thread=no-such-event", "", 404},
		{"/story?thread=return-of-five&at=sanctions-2006", "", 404}, // not in the thread
	} {
		status, _, body := ts.get(t, tt.path)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, status, tt.status)
		}
		if tt.problem != "" && !strings.Contains(body, "<strong>"+tt.problem+"</strong>:") {
			t.Errorf("%s: does not name the parameter %s", tt.path, tt.problem)
		}
	}
}

func TestThreadStory(t *testing.T) {
	ts := newTestServer(t)
	page := mustGet(t, ts, "/events/return-of-five")
	if !wantContains(t, "the event page does not open its thread as a story", page, `href="/story?thread=return-of-five" data-testid="thread-link"`) || !wantContains(t, "the event page does not open its thread as a story", page, "3 events linked to this one") {
		t.FailNow()
	}
	var got []string
	for path := "/story?thread=return-of-five"; path != ""; {
		body := mustGet(t, ts, path)
		got = append(got, slideOf(body))
		if !strings.Contains(body, "The thread of “Five abductees return”") || !strings.Contains(body, `href="/events/return-of-five" data-testid="story-back"`) {
			t.Errorf("%s: not titled as the thread of its event", path)
		}
		path = linkOf(nextRE, body)
	}
	if want := []string{"summit-2002", "return-of-five", "summit-2004"}; !slices.Equal(got, want) {
		t.Errorf("the thread visits %v, want %v", got, want)
	}
	page = mustGet(t, ts, "/events/sanctions-2006")
	wantLacks(t, "an event without links offers a thread", page, `data-testid="thread-link"`)
}
