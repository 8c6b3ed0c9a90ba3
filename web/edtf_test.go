package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestEDTFThroughTheForm: EDTF dates typed in the form are stored as
// typed, said in words on the event page and shown back in the edit
// form; a date that breaks the rules comes back naming the field and the
// rule; the form explains the syntax.
func TestEDTFThroughTheForm(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	ctx := context.Background()

	form := respBody(t, env.request("GET", "/events/new", nil, c))
	for _, want := range []string{`data-testid="edtf-help"`, "2014-05?", "1977-11~", "198X", "2019-06/.."} {
		if !strings.Contains(form, html.EscapeString(want)) && !strings.Contains(form, want) {
			t.Errorf("the form's help lacks %q", want)
		}
	}
	if !strings.Contains(form, `aria-describedby="edtf-help"`) {
		t.Error("the date fields are not described by the EDTF help")
	}

	for _, tt := range []struct{ start, end, slug, stored, words string }{
		{"1977-11~", "", "about-november", "1977-11~", "c. November 1977"},
		{"2014-05?", "", "uncertain-may", "2014-05?", "May 2014 (uncertain)"},
		{"198X", "", "the-eighties", "198X", "the 1980s"},
		{"2019-06/..", "", "open-ended", "2019-06/..", "June 2019 onwards"},
		{"..", "1950", "open-start", "../1950", "until 1950"},
		{"1959~", "1984~", "about-a-span", "1959~/1984~", "c. 1959–1984"},
	} {
		t.Run(tt.stored, func(t *testing.T) {
			f := eventFormValues()
			f.Set("slug", tt.slug)
			f.Set("start", tt.start)
			f.Set("end", tt.end)
			resp := env.request("POST", "/events", f, c)
			if b := respBody(t, resp); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("create: status %d: %s", resp.StatusCode, problemsIn(b))
			}
			e, err := env.store.GetEvent(ctx, tt.slug)
			if err != nil {
				t.Fatal(err)
			}
			if got := timeline.Interval(e.Start, e.End); got != tt.stored {
				t.Errorf("stored %q, want %q", got, tt.stored)
			}
			page := respBody(t, env.request("GET", "/events/"+tt.slug, nil, nil))
			if !strings.Contains(page, html.EscapeString(tt.words)) {
				t.Errorf("the event page does not say %q", tt.words)
			}
			edit := respBody(t, env.request("GET", "/events/"+tt.slug+"/edit", nil, c))
			if !strings.Contains(edit, `value="`+html.EscapeString(e.Start.String())+`"`) {
				t.Errorf("the edit form does not show the start %q", e.Start)
			}
		})
	}

	for _, tt := range []struct{ start, end, field, rule string }{
		{"2014-13?", "", "start", "months must be 01–12"},
		{"198x", "", "start", "EDTF"},
		{"2014-XX-05", "", "start", "needs a known month"},
		{"2019-06/", "", "start", "write .. for an open end"},
		{"..", "", "start", "needs an end"},
		{"1990", "1980~", "end", "must not be before the start"},
	} {
		t.Run("refuses "+tt.start+" "+tt.end, func(t *testing.T) {
			f := eventFormValues()
			f.Set("start", tt.start)
			f.Set("end", tt.end)
			resp := env.request("POST", "/events", f, c)
			b := respBody(t, resp)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", resp.StatusCode)
			}
			i := strings.Index(b, `data-testid="problem-`+tt.field+`"`)
			if i < 0 || !strings.Contains(html.UnescapeString(b[i:min(len(b), i+400)]), tt.rule) {
				t.Errorf("no problem naming %q beside %s: %s", tt.rule, tt.field, problemsIn(b))
			}
			if !strings.Contains(b, `value="`+html.EscapeString(tt.start)+`"`) {
				t.Errorf("the typed start %q is not kept", tt.start)
			}
		})
	}
}

// problemsIn picks the problems out of a form page, for messages.
func problemsIn(b string) string {
	var out []string
	for _, part := range strings.Split(b, `data-testid="problem-`)[1:] {
		out = append(out, part[:min(len(part), 160)])
	}
	return strings.Join(out, " | ")
}

// TestEDTFThroughTheAPIAndExports: the API takes and gives EDTF (and
// the old approximate flag), refuses a bad date with 422 naming the
// field; the JSON and CSV exports carry the EDTF strings, and the JSON
// export imports back as it was; certainty=certain leaves out an
// uncertain date that certainty=possible includes, on every surface.
func TestEDTFThroughTheAPIAndExports(t *testing.T) {
	env := newShippedEnv(t)
	ctx := context.Background()
	tok := env.editorToken(t, "api")
	post := func(body string) (*http.Response, string) {
		return env.do(t, "POST", "/api/v1/events", strings.NewReader(body), "Content-Type", "application/json", "Authorization", "Bearer "+tok)
	}
	event := func(slug, dates string) string {
		return `{"slug":"` + slug + `",` + dates + `,"title":"EDTF ` + slug + `","summary":"S.","category":"statement","significance":1,
			"actors":[{"slug":"japan","role":"party"}],"sources":[{"publisher":"P","title":"T","language":"en"}]}`
	}
	for _, tt := range []struct{ slug, dates, want string }{
		{"edtf-uncertain", `"start":"2031-05?"`, "2031-05?"},
		{"edtf-plain", `"start":"2031-05-20"`, "2031-05-20"},
		{"edtf-legacy", `"start":"2031-06","end":"2031-08","approximate":true`, "2031-06~/2031-08~"},
		{"edtf-open", `"start":"2031-09/.."`, "2031-09/.."},
		{"edtf-decade", `"start":"203X"`, "203X"},
	} {
		resp, b := post(event(tt.slug, tt.dates))
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s: status %d: %s", tt.slug, resp.StatusCode, b)
		}
		var got timeline.Event
		if st := env.getJSON(t, "/api/v1/events/"+tt.slug, &got); st != 200 || timeline.Interval(got.Start, got.End) != tt.want {
			t.Errorf("%s: GET %d gives %q, want %q", tt.slug, st, timeline.Interval(got.Start, got.End), tt.want)
		}
	}
	resp, b := post(event("edtf-bad", `"start":"2031-XX-05"`))
	var problem struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	json.Unmarshal([]byte(b), &problem)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(problem.Error.Fields["start"], "needs a known month") {
		t.Errorf("bad date: status %d, body %s; want 422 naming start", resp.StatusCode, b)
	}

	// certainty, on the list, the API, the exports and the timeline: the
	// 2030s may be May 2031, but surely are not.
	possible := []string{"edtf-decade", "edtf-plain", "edtf-uncertain"}
	certain := []string{"edtf-plain"}
	for _, c := range []struct {
		query string
		want  []string
	}{{"", possible}, {"&certainty=possible", possible}, {"&certainty=certain", certain}} {
		q := "from=2031-05&to=2031-05" + c.query
		var page apiEventPage
		if st := env.getJSON(t, "/api/v1/events?"+q, &page); st != 200 {
			t.Fatalf("API %s: status %d", q, st)
		}
		var slugs []string
		for _, e := range page.Events {
			slugs = append(slugs, e.Slug)
		}
		slices.Sort(slugs)
		if !slices.Equal(slugs, c.want) {
			t.Errorf("API %s: %v, want %v", q, slugs, c.want)
		}
		_, _, list := env.get(t, "/events?"+q)
		_, _, csv := env.get(t, "/events.csv?"+q)
		_, _, tl := env.get(t, "/timeline?"+q)
		for _, slug := range []string{"edtf-plain", "edtf-uncertain", "edtf-decade"} {
			want := slices.Contains(c.want, slug)
			if strings.Contains(list, "/events/"+slug+`"`) != want || strings.Contains(csv, "\r\n"+slug+",") != want || strings.Contains(tl, slug) != want {
				t.Errorf("%s: %s in list %v, CSV %v, timeline %v; want %v", q, slug,
					strings.Contains(list, "/events/"+slug+`"`), strings.Contains(csv, "\r\n"+slug+","), strings.Contains(tl, slug), want)
			}
		}
	}
	for _, path := range []string{"/events?certainty=sure", "/events.csv?certainty=sure", "/api/v1/events?certainty=sure", "/timeline?certainty=sure"} {
		if st, _, b := env.get(t, path); st != 400 || !strings.Contains(b, "certainty") {
			t.Errorf("%s: status %d, want 400 naming certainty", path, st)
		}
	}

	// Exports carry EDTF; the JSON export imports back as it was.
	_, _, csv := env.get(t, "/events.csv?from=2031")
	for _, want := range []string{"edtf-uncertain,2031-05?,,May 2031 (uncertain),", "edtf-open,2031-09,..,September 2031 onwards,", "edtf-legacy,2031-06~,2031-08~,c. June – August 2031,"} {
		if !strings.Contains(csv, want) {
			t.Errorf("CSV lacks %q", want)
		}
	}
	_, _, ics := env.get(t, "/events.ics?from=2031")
	ics = strings.ReplaceAll(ics, "\r\n ", "") // unfolded
	if !strings.Contains(ics, "DTSTART;VALUE=DATE:20310901") || !strings.Contains(ics, "no end given (open)") {
		t.Error("the iCalendar export does not draw the open end from its start and say so")
	}
	_, _, js := env.get(t, "/events.json?from=2031")
	for _, want := range []string{`"start":"2031-05?"`, `"start":"2031-09","end":".."`, `"start":"203X"`} {
		if !strings.Contains(js, want) {
			t.Errorf("JSON export lacks %s", want)
		}
	}
	env = newShippedEnv(t) // another database, without the events
	cookie := env.editorCookie(t, "importer")
	js = strings.Replace(js, `"start":"2031-05?"`, `"start":"2031-05?","approximate":false`, 1) // an older file's key
	status, body := env.upload(t, cookie, "back.json", js, nil)
	m := tokenRE.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("re-import: status %d", status)
	}
	resp, _ = env.do(t, "POST", "/import/confirm", strings.NewReader(url.Values{"token": {m[1]}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie)
	if resp.StatusCode != 200 {
		t.Fatalf("confirm: status %d", resp.StatusCode)
	}
	for slug, want := range map[string]string{"edtf-uncertain": "2031-05?", "edtf-open": "2031-09/..", "edtf-decade": "203X", "edtf-legacy": "2031-06~/2031-08~"} {
		e, err := env.store.GetEvent(ctx, slug)
		if err != nil || timeline.Interval(e.Start, e.End) != want {
			t.Errorf("%s after the round trip: %q, %v; want %q", slug, timeline.Interval(e.Start, e.End), err, want)
		}
	}
}
