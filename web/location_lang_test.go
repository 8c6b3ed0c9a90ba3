package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// An event's location is shown in the reader's language where the event
// has it (its CJK text marked with its language, as titles are), else in
// English marked lang="en"; English pages show the English location.
func TestLocationInReadersLanguage(t *testing.T) {
	tokyo := authSeedEvent("2014-05-29", "Stockholm agreement announced")
	tokyo.Location, tokyo.LocationJA, tokyo.LocationKO = "Tokyo, Japan", "東京", "도쿄"
	fukuoka := authSeedEvent("2003-01", "Talks in Fukuoka")
	fukuoka.Location = "Fukuoka, Japan"
	env := newTestEnv(t, withEvents(tokyo, fukuoka))
	for _, tt := range []struct {
		path, lang string
		want, not  []string
	}{
		{"/ja/events", "ja", []string{`<span class="loc"><span lang="ja">東京</span></span>`, `<span class="loc"><span lang="en">Fukuoka, Japan</span></span>`}, []string{"Tokyo, Japan", "도쿄"}},
		{"/ko/events", "ko", []string{`<span class="loc"><span lang="ko">도쿄</span></span>`, `<span class="loc"><span lang="en">Fukuoka, Japan</span></span>`}, []string{"Tokyo, Japan", "東京"}},
		{"/events", "en", []string{`<span class="loc">Tokyo, Japan</span>`, `<span class="loc">Fukuoka, Japan</span>`}, []string{"東京", "도쿄"}},
		{"/ja/events/2014-05-29-stockholm-agreement-announced", "ja", []string{`<span class="loc"><span lang="ja">東京</span></span>`}, []string{`<span lang="en">Tokyo, Japan</span>`}},
		{"/ko/events/2014-05-29-stockholm-agreement-announced", "ko", []string{`<span class="loc"><span lang="ko">도쿄</span></span>`}, []string{`<span lang="en">Tokyo, Japan</span>`}},
		{"/events/2014-05-29-stockholm-agreement-announced", "en", []string{`<span class="loc">Tokyo, Japan</span>`}, []string{`class="loc">東京`}},
	} {
		status, _, body := env.get(t, tt.path)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d", tt.path, status)
		}
		if !strings.Contains(body, `<html lang="`+tt.lang+`"`) {
			t.Errorf("%s: not a page in %s", tt.path, tt.lang)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %s", tt.path, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(body, n) {
				t.Errorf("%s shows %s", tt.path, n)
			}
		}
	}
}

// The translated locations are fields of the event form, beside the
// location: saved, shown again marked with their language and labelled in
// the reader's language, held to the location's rules, and named in a
// version's changes.
func TestEditTranslatedLocations(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	form := eventFormValues()
	form.Set("location_ja", "ストックホルム（スウェーデン）")
	form.Set("location_ko", "스톡홀름(스웨덴)")
	resp := env.request("POST", "/events", form, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d", resp.StatusCode)
	}
	ctx := context.Background()
	e, err := env.store.GetEvent(ctx, "2014-05-stockholm-consultations")
	if err != nil {
		t.Fatal(err)
	}
	if e.LocationJA != form.Get("location_ja") || e.LocationKO != form.Get("location_ko") {
		t.Errorf("stored locations %q, %q", e.LocationJA, e.LocationKO)
	}
	edit := respBody(t, env.request("GET", "/ja/events/"+e.Slug+"/edit", nil, c))
	order := regexp.MustCompile(`(?s)name="location".*name="location_ja"[^>]*lang="ja".*name="location_ko"[^>]*lang="ko"`)
	if !order.MatchString(edit) {
		t.Errorf("the edit form lacks location_ja (lang ja) and location_ko (lang ko) after location")
	}
	for _, want := range []string{">日本語の場所<", ">韓国語の場所<", `value="ストックホルム（スウェーデン）"`, `value="스톡홀름(스웨덴)"`} {
		if !strings.Contains(edit, want) {
			t.Errorf("edit form lacks %q", want)
		}
	}

	bad := eventFormValues()
	bad.Set("slug", "bad-locations")
	bad.Set("location_ja", strings.Repeat("東", timeline.MaxShort+1))
	resp = env.request("POST", "/events", bad, c)
	b := respBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad location_ja: status %d, want 422", resp.StatusCode)
	}
	if want := `href="#f-location-ja"><strong>Location in Japanese</strong>`; !strings.Contains(b, want) {
		t.Errorf("422 page lacks %q", want)
	}

	e.LocationKO = "스톡홀름"
	if err := env.store.UpdateEvent(ctx, e.Slug, &e, timeline.Change{Author: "seed"}); err != nil {
		t.Fatal(err)
	}
	diff := respBody(t, env.request("GET", "/events/"+e.Slug+"/history/2", nil, nil))
	if !strings.Contains(diff, "Korean location") || strings.Contains(diff, "Japanese location") {
		t.Errorf("version 2's changes do not name the Korean location alone")
	}
}
