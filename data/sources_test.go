package data

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// The rules a scholar applies to the chronology's sources (issue 15,
// "Sources a scholar accepts"). They run on the decoded dataset, so a
// failure names the event and the source.

// mirrorHosts copy Wikipedia or other publications without adding
// anything; cite the original instead.
var mirrorHosts = []string{
	"weblio.jp", "kotoba.ne.jp", "liquisearch.com", "wiki.x.io", "zxc.wiki",
	"academickids.com", "pedia.3rd-in.co.jp", "docslib.org", "studylib.net",
	"yourpedia.org", "artikeldigital.com", "worldhistoryproject.org",
	"theinfolist.com", "wikisum.wiki", "wikimili.com",
}

// wrapperHosts are proxies, staging servers and wrappers of other pages.
var wrapperHosts = []string{
	"translate.google.com", "translate.goog",
	"ajw-origin.potaufeu.asahi.com", "prod.biz.chosun.com",
	"covid-19.chinadaily.com.cn", "znlc.jp", "yvn6x4-u445.jcp.or.jp",
	"core-prod.cambridgecore.org", "homsy-staging.cambridgecore.org",
}

// weakHosts are encyclopedias anyone edits, blogs and aggregators: they may
// support an event, but never alone.
var weakHosts = append([]string{
	"wikipedia.org", "wikisource.org", "blogspot.com", "hatenablog.jp",
	"hatenablog.com", "hateblo.jp", "hatena.ne.jp", "ameblo.jp",
	"blog.goo.ne.jp", "wordpress.com", "livedoor.jp", "fc2.com",
	"nkaggregator.com", "tellerreport.com", "archyde.com",
	"breakinglatest.news", "newsindo.com", "faithfamilyamerica.com",
	"japanbullet.com", "aitopics.org", "mpelembe.net", "xsionx.com",
	"inquisitr.com",
}, mirrorHosts...)

// onHost reports whether host is domain or one of its subdomains.
func onHost(host string, domains []string) bool {
	return slices.ContainsFunc(domains, func(d string) bool {
		return host == d || strings.HasSuffix(host, "."+d)
	})
}

func sourceHost(t *testing.T, e timeline.Event, s timeline.Source) string {
	t.Helper()
	if s.URL == "" {
		return ""
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Errorf("%s: source %q: bad URL %q: %v", e.Slug, s.Title, s.URL, err)
		return ""
	}
	return strings.ToLower(u.Hostname())
}

func loadEvents(t *testing.T) []timeline.Event {
	t.Helper()
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return ds.Events
}

// TestSourceTitlesAreReal: a source's title is the headline or title the
// publication gives, never a description standing in for one.
func TestSourceTitlesAreReal(t *testing.T) {
	placeholders := []string{"not captured", "not recorded", "headline unknown", "title unknown", "untitled"}
	for _, e := range loadEvents(t) {
		for _, s := range e.Sources {
			title := strings.TrimSpace(s.Title)
			lower := strings.ToLower(title)
			switch {
			case title == "":
				t.Errorf("%s: a source of %s has no title", e.Slug, s.Publisher)
			case bracketed(title):
				t.Errorf("%s: source title %q is a bracketed description, not a title", e.Slug, title)
			case slices.ContainsFunc(placeholders, func(p string) bool { return strings.Contains(lower, p) }):
				t.Errorf("%s: source title %q is a placeholder", e.Slug, title)
			case compilerWritten(s.Note):
				t.Errorf("%s: source %q (%s) carries a title the compiler wrote; cite a source whose title was seen", e.Slug, title, s.Publisher)
			}
		}
	}
}

// bracketed reports whether a title is a description in brackets standing
// in for one, as "(report of 3 August 1992; headline not captured)".
func bracketed(title string) bool {
	return strings.HasPrefix(title, "(") || strings.HasPrefix(title, "[") ||
		strings.HasPrefix(title, "（") || strings.HasPrefix(title, "［")
}

// compilerWritten reports whether a source's note says its title was written
// by the compiler rather than taken from the publication (issue 15: none is
// left, and none may come back).
func compilerWritten(note string) bool {
	lower := strings.ToLower(note)
	return strings.Contains(lower, "supplied by the compiler") || strings.Contains(lower, "title supplied by") ||
		strings.Contains(lower, "original headline not recorded")
}

func TestTitleRules(t *testing.T) {
	for _, tt := range []struct {
		title, note string
		bracketed   bool
		compiler    bool
	}{
		{"북한-일수교회담 내13일 북경개최...북한방송 보도", "Citing KCNA.", false, false},
		{"(Tokyo report of 3 August 1992; headline not captured)", "", true, false},
		{"（題名なし）", "", true, false},
		{"일-북한 수교 1차 회담 종료", "KCNA report. Descriptive title supplied by the compiler; original headline not recorded", false, true},
		{"일정 하루 연장키로", "The subheading; the main headline was not shown on the page seen.", false, false},
	} {
		if got := bracketed(tt.title); got != tt.bracketed {
			t.Errorf("bracketed(%q) = %v, want %v", tt.title, got, tt.bracketed)
		}
		if got := compilerWritten(tt.note); got != tt.compiler {
			t.Errorf("compilerWritten(%q) = %v, want %v", tt.note, got, tt.compiler)
		}
	}
}

// TestOneTitlePerURL: the same page is cited with the same title and
// publisher wherever it appears; what an event uses it for goes in the note.
func TestOneTitlePerURL(t *testing.T) {
	type cited struct{ title, publisher, slug string }
	seen := map[string]cited{}
	for _, e := range loadEvents(t) {
		for _, s := range e.Sources {
			if s.URL == "" {
				continue
			}
			if c, ok := seen[s.URL]; ok {
				if c.title != s.Title || c.publisher != s.Publisher {
					t.Errorf("%s cites %s as %q (%s), but %s cites it as %q (%s)", e.Slug, s.URL, s.Title, s.Publisher, c.slug, c.title, c.publisher)
				}
				continue
			}
			seen[s.URL] = cited{s.Title, s.Publisher, e.Slug}
		}
	}
}

// TestNoMirrorsOrWrappers: sources point at the publication, not at a copy,
// a proxy, a staging server or a translation wrapper.
func TestNoMirrorsOrWrappers(t *testing.T) {
	for _, e := range loadEvents(t) {
		for _, s := range e.Sources {
			host := sourceHost(t, e, s)
			switch {
			case host == "":
			case strings.HasSuffix(host, "."):
				t.Errorf("%s: %s: host name %q ends in a dot", e.Slug, s.URL, host)
			case strings.Contains(host, "staging"):
				t.Errorf("%s: %s is a staging host", e.Slug, s.URL)
			case onHost(host, wrapperHosts):
				t.Errorf("%s: %s is a proxy or wrapper; cite the page itself", e.Slug, s.URL)
			case onHost(host, mirrorHosts):
				t.Errorf("%s: %s is a mirror; cite the original", e.Slug, s.URL)
			}
		}
	}
}

// TestNoEventRestsOnlyOnWeakSources: every event has at least one source
// that is neither an open wiki nor a blog nor an aggregator.
func TestNoEventRestsOnlyOnWeakSources(t *testing.T) {
	for _, e := range loadEvents(t) {
		strong := slices.ContainsFunc(e.Sources, func(s timeline.Source) bool {
			return !onHost(sourceHost(t, e, s), weakHosts)
		})
		if !strong {
			t.Errorf("%s rests only on wikis, blogs or aggregators", e.Slug)
		}
	}
}

// TestSourceRules checks the checks: each rule catches what it should.
func TestSourceRules(t *testing.T) {
	tests := []struct {
		host          string
		weak, wrapper bool
	}{
		{"en.wikipedia.org", true, false},
		{"ja.m.wikipedia.org", true, false},
		{"www.weblio.jp", true, false},
		{"translate.google.com", false, true},
		{"www.japantimes.co.jp", false, false},
		{"www.mofa.go.jp", false, false},
		{"notwikipedia.org", false, false},
	}
	for _, tt := range tests {
		if got := onHost(tt.host, weakHosts); got != tt.weak {
			t.Errorf("weak(%q) = %v, want %v", tt.host, got, tt.weak)
		}
		if got := onHost(tt.host, wrapperHosts); got != tt.wrapper {
			t.Errorf("wrapper(%q) = %v, want %v", tt.host, got, tt.wrapper)
		}
	}
}
