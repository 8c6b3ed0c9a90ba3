package data

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// The consistency rules of issue 15: governments listed where they took
// part, one definition per actor, slugs that agree with their dates.

// notBetweenGovernments are the summits, negotiations and agreements that
// are not between the two governments, each with the reason. Every other
// event in those categories lists both japan and north-korea.
var notBetweenGovernments = map[string]string{
	"1955-10-18-diet-delegation-meets-kim-il-sung":           "Diet members, not the Japanese government",
	"1972-kuno-delegation-trade-agreement":                   "a Diet members' league, not the Japanese government",
	"1974-09-05-jsp-wpk-joint-statement":                     "party to party (JSP and WPK)",
	"1975-07-22-ldp-volunteer-delegation":                    "LDP members on a private visit",
	"kanemaru-delegation-1990":                               "party delegations (LDP and JSP)",
	"three-party-declaration-1990":                           "party to party (LDP, JSP and WPK)",
	"1995-03-28-coalition-delegation-watanabe":               "party to party (ruling coalition and WPK)",
	"1999-12-01-murayama-multiparty-delegation":              "Diet members and the WPK",
	"1998-03-28-ldp-delegation-nakayama":                     "party to party (LDP and WPK)",
	"1992-04-13-party-delegations-kim-il-sung-80th-birthday": "party to party (LDP, JSP and WPK)",
	"1978-06-26-fisheries-agreement-extended":                "a Diet members' league and the DPRK's Committee for Cultural Relations with Foreign Countries",
	"1987-09-24-doi-meets-kim-il-sung":                       "party to party (JSP and Kim Il Sung as WPK leader)",
	"1981-03-16-jsp-wpk-nuclear-free-zone-declaration":       "party to party (JSP and WPK)",
	"1984-09-19-kim-il-sung-receives-ishibashi":              "party to party (JSP and Kim Il Sung as WPK leader)",
	"1997-11-11-ruling-coalition-delegation-mori":            "party to party (ruling coalition and WPK)",
	"1977-09-05-interim-fisheries-agreement":                 "non-governmental fisheries agreement",
	"1984-11-15-private-fisheries-agreement-renewed":         "a Diet members' league and a DPRK fisheries federation",
	"1959-04-13-geneva-red-cross-talks":                      "Red Cross societies",
	"calcutta-repatriation-agreement-1959":                   "Red Cross societies",
	"1965-06-22-japan-rok-basic-treaty":                      "Japan and South Korea",
	"2018-06-12-singapore-summit-raises-abductions":          "the United States and North Korea",
	"2018-04-27-moon-raises-abductions-with-kim":             "South Korea and North Korea",
	"2011-07-20-nakai-song-il-ho-changchun":                  "a former minister's unofficial contact; the government denied taking part",
	"2004-04-dalian-yamasaki-hirasawa-contact":               "LDP politicians on an unauthorised trip",
	"2007-01-09-yamasaki-visits-pyongyang":                   "an LDP politician's private visit, disowned by the government",
	"2003-12-20-hirasawa-beijing-meeting-jong-thae-hwa":      "a Diet member (Hirasawa) and North Korean officials, not the Japanese government",
	"2019-02-27-trump-raises-abductions-in-hanoi":            "the United States and North Korea",
}

func hasActor(e timeline.Event, slug string) bool {
	for _, a := range e.Actors {
		if a.Slug == slug {
			return true
		}
	}
	return false
}

// TestGovernmentsOnTheirTalks: every summit, negotiation and agreement
// between Japan and North Korea lists both states as actors, so that
// actor=japan&category=summit finds every summit.
func TestGovernmentsOnTheirTalks(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range loadEvents(t) {
		switch e.Category {
		case "summit", "negotiation", "agreement":
		default:
			continue
		}
		both := hasActor(e, "japan") && hasActor(e, "north-korea")
		if reason, ok := notBetweenGovernments[e.Slug]; ok {
			seen[e.Slug] = true
			if both {
				t.Errorf("%s lists both governments but is exempted (%s): drop the exemption", e.Slug, reason)
			}
			continue
		}
		if !both {
			t.Errorf("%s (%s) is between the two governments but does not list both japan and north-korea", e.Slug, e.Category)
		}
	}
	for slug := range notBetweenGovernments {
		if !seen[slug] {
			t.Errorf("exemption %s names no summit, negotiation or agreement", slug)
		}
	}
}

// TestActorsDefinedOnce: each actor slug is defined in exactly one of
// actors/*.json, so that there is one record to correct.
func TestActorsDefinedOnce(t *testing.T) {
	names, err := fs.Glob(files, "actors/*.json")
	if err != nil {
		t.Fatal(err)
	}
	where := map[string]string{}
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var list []timeline.Actor
		if err := json.Unmarshal(b, &list); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, a := range list {
			if first, ok := where[a.Slug]; ok {
				t.Errorf("actor %s is defined in %s and again in %s", a.Slug, first, name)
				continue
			}
			where[a.Slug] = name
		}
	}
}

var slugDate = regexp.MustCompile(`^(\d{4}(?:-\d{2}(?:-\d{2})?)?)-`)

// TestSlugDatesMatchStart: a slug that begins with a date begins with the
// event's start, at the slug's precision or coarser ("1972-kuno-…" may
// start 1972-01; "1955-10-20-…" may not start 1955-10-18).
func TestSlugDatesMatchStart(t *testing.T) {
	for _, e := range loadEvents(t) {
		m := slugDate.FindStringSubmatch(e.Slug)
		if m == nil {
			continue
		}
		if start := e.Start.String(); !strings.HasPrefix(start, m[1]) {
			t.Errorf("%s starts %s, not on the slug's date %s", e.Slug, start, m[1])
		}
	}
}

// TestAliases: aliases.json parses, every group names at least two terms,
// no term is blank or padded, and no term (ignoring case) is in two groups.
func TestAliases(t *testing.T) {
	groups, err := Aliases()
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) == 0 {
		t.Fatal("no alias groups")
	}
	where := map[string]int{}
	for i, g := range groups {
		if len(g) < 2 {
			t.Errorf("group %d %v: fewer than two terms", i, g)
		}
		for _, term := range g {
			if term == "" || strings.TrimSpace(term) != term {
				t.Errorf("group %d: term %q is blank or padded", i, term)
			}
			k := strings.ToLower(term)
			if j, ok := where[k]; ok && j != i {
				t.Errorf("term %q is in groups %d and %d", term, j, i)
			}
			where[k] = i
		}
	}
}
