package data

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestVerificationRecord holds the verification record to its format:
// every line parses and names a shipped event, and the record loads into
// the store whole.
func TestVerificationRecord(t *testing.T) {
	ds, s := loaded(t)
	checks, err := Checks()
	if err != nil {
		t.Fatal(err)
	}
	events := map[string]bool{}
	for _, e := range ds.Events {
		events[e.Slug] = true
	}
	for _, c := range checks {
		if !events[c.Slug] {
			t.Errorf("check of %s: no shipped event has that slug", c.Slug)
		}
	}
	written, skipped, err := s.SyncChecks(context.Background(), checks)
	if err != nil || !written || skipped != 0 {
		t.Errorf("sync of the record: got written %v, skipped %d, %v; want all of it written", written, skipped, err)
	}
}

// TestChecksAreIndependent: a check's source is independent of the event
// it checks: not a URL the event cites (ignoring the scheme, "www." or
// "m." and a trailing slash), and not the same publisher and title as one
// of its sources (ignoring a parenthetical such as "(citing Yomiuri)",
// case and spaces). A check whose source the event later adopted is no
// longer independent: find another source or remove the row.
func TestChecksAreIndependent(t *testing.T) {
	checks, err := Checks()
	if err != nil {
		t.Fatal(err)
	}
	events := map[string]timeline.Event{}
	for _, e := range loadEvents(t) {
		events[e.Slug] = e
	}
	for _, c := range checks {
		e, ok := events[c.Slug]
		if !ok {
			continue // TestVerificationRecord reports it
		}
		for _, s := range e.Sources {
			if c.Source.URL != "" && s.URL != "" && sameURL(c.Source.URL, s.URL) {
				t.Errorf("check of %s: its source %s is cited by the event", c.Slug, c.Source.URL)
			}
			if samePublisher(c.Source.Publisher, s.Publisher) && sameText(c.Source.Title, s.Title) {
				t.Errorf("check of %s: its source (%s, %q) is cited by the event", c.Slug, c.Source.Publisher, c.Source.Title)
			}
		}
	}
}

func sameURL(a, b string) bool {
	norm := func(u string) string {
		u = strings.ToLower(strings.TrimSpace(u))
		u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		u = strings.TrimPrefix(strings.TrimPrefix(u, "www."), "m.")
		return strings.TrimRight(u, "/")
	}
	return norm(a) == norm(b)
}

var parenthetical = regexp.MustCompile(`\s*[(（][^)）]*[)）]`)

func samePublisher(a, b string) bool {
	return sameText(parenthetical.ReplaceAllString(a, ""), parenthetical.ReplaceAllString(b, ""))
}

func sameText(a, b string) bool {
	squash := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), "") }
	return squash(a) == squash(b)
}

// TestRedirects holds the renames to their promise: every old slug leads
// to a shipped event, and no shipped event still has an old slug.
func TestRedirects(t *testing.T) {
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Redirects()
	if err != nil {
		t.Fatal(err)
	}
	slugs := map[string]bool{}
	for _, e := range ds.Events {
		slugs[e.Slug] = true
	}
	for _, r := range rs {
		if !slugs[r.To] {
			t.Errorf("redirect %s → %s: no shipped event has the new slug", r.From, r.To)
		}
		if slugs[r.From] {
			t.Errorf("redirect %s → %s: a shipped event still has the old slug", r.From, r.To)
		}
	}
}

// notYetChecked names the shipped events that have no independent check,
// each with what was tried. The list may only shrink: an event that gains
// a check must leave it.
var notYetChecked = map[string]string{}

// TestEveryEventChecked: every shipped event has at least one recorded
// independent check, apart from the named events above.
func TestEveryEventChecked(t *testing.T) {
	ds, _ := loaded(t)
	checks, err := Checks()
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]bool{}
	for _, c := range checks {
		checked[c.Slug] = true
	}
	shipped := map[string]bool{}
	for _, e := range ds.Events {
		shipped[e.Slug] = true
		if _, waived := notYetChecked[e.Slug]; !checked[e.Slug] && !waived {
			t.Errorf("%s: no independent check in data/verification/ (add a row from another publisher)", e.Slug)
		}
	}
	for slug := range notYetChecked {
		if checked[slug] {
			t.Errorf("%s is checked now: take it off notYetChecked", slug)
		}
		if !shipped[slug] {
			t.Errorf("%s is on notYetChecked but no shipped event has that slug", slug)
		}
	}
}
