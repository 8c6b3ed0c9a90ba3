package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

func TestEventPageAndAboutShowTheChecks(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	page, err := ts.store.ListEvents(ctx, timeline.Filter{}, timeline.PageRequest{Limit: 2})
	if err != nil || len(page.Events) < 2 {
		t.Fatalf("fixture: %v", err)
	}
	a, b := page.Events[0], page.Events[1]
	checks := []timeline.Check{
		{Slug: a.Slug, CheckedOn: timeline.MustDate("2026-11-29"), Checked: "date (day)", Source: timeline.Source{Publisher: "Asahi Shimbun", Title: "日朝首脳会談 <script>", URL: "https://www.asahi.com/"}, Result: "confirmed"},
	}
	if _, _, err := ts.store.SyncChecks(ctx, checks); err != nil {
		t.Fatal(err)
	}
	status, _, body := ts.get(t, "/events/"+a.Slug)
	if status != 200 {
		t.Fatalf("event page: %d", status)
	}
	for _, want := range []string{`data-testid="checked"`, "Checked", "Asahi Shimbun", "29 November 2026", `href="https://www.asahi.com/"`, "&lt;script&gt;"} {
		wantContains(t, fmt.Sprintf("event page of a checked event does not contain %q", want), body, want)
	}
	if _, _, body := ts.get(t, "/events/"+b.Slug); strings.Contains(body, `data-testid="checked"`) {
		t.Errorf("event page of an unchecked event says it was checked")
	}
	_, _, body = ts.get(t, "/about")
	sum, err := ts.store.CheckSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := "1 of " + itoa(sum.Events) + " events checked so far: 1 checks confirmed"
	if !strings.Contains(body, want) || !strings.Contains(body, `id="verification"`) {
		t.Errorf("about page does not describe the method and counts (%q)", want)
	}
}

func TestAboutStatesSignificanceAndLicence(t *testing.T) {
	ts := newTestServer(t)
	_, _, body := ts.get(t, "/about")
	for _, want := range []string{`data-testid="significance-criteria"`, "Major", "Notable", "Minor", "CC BY 4.0", `href="https://creativecommons.org/licenses/by/4.0/"`} {
		wantContains(t, fmt.Sprintf("the about page does not contain %q", want), body, want)
	}
}
