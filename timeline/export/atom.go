package export

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Author  atomPerson `xml:"author"`
	Link    atomLink   `xml:"link"`
	Summary string     `xml:"summary"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Rights  string      `xml:"rights"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

// WriteAtom writes changes (newest first) as an Atom feed (RFC 4287) of
// the site at base named site: each change an entry with a tag URI that is
// stable and unique per version, linking to the event's page. The feed's
// time is that of the newest change, or now when there is none.
func WriteAtom(w io.Writer, base, site string, now time.Time, changes []timeline.ChangeRecord) error {
	feed := atomFeed{
		ID:      base + "/feed.atom",
		Title:   site + ": recent changes",
		Updated: now.UTC().Format(time.RFC3339),
		Author:  atomPerson{Name: site},
		Rights:  "The data is licensed " + LicenseName + ": " + LicenseURL,
		Links: []atomLink{
			{Href: base + "/feed.atom", Rel: "self", Type: "application/atom+xml"},
			{Href: base + "/events", Rel: "alternate", Type: "text/html"},
			{Href: LicenseURL, Rel: "license"}, // RFC 4946
		},
	}
	if len(changes) > 0 {
		feed.Updated = changes[0].Time.UTC().Format(time.RFC3339)
	}
	verbs := map[string]string{"create": "Added", "update": "Updated", "delete": "Deleted", "restore": "Restored"}
	m := Meta{BaseURL: base}
	for _, ch := range changes {
		verb := verbs[ch.Action]
		if verb == "" {
			verb = ch.Action
		}
		summary := fmt.Sprintf("%s (version %d) by %s.", verb, ch.Version, ch.Author)
		if ch.Summary != "" {
			summary += " " + ch.Summary
		}
		feed.Entries = append(feed.Entries, atomEntry{
			// A tag URI (RFC 4151) per change: stable, and unique per version.
			ID:      fmt.Sprintf("tag:%s,%s:events/%s/%d", UIDDomain, ch.Time.UTC().Format("2006-01-02"), ch.Slug, ch.Version),
			Title:   verb + ": " + ch.Title,
			Updated: ch.Time.UTC().Format(time.RFC3339),
			Author:  atomPerson{Name: ch.Author},
			Link:    atomLink{Href: m.Permalink(ch.Slug), Rel: "alternate", Type: "text/html"},
			Summary: summary,
		})
	}
	b, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
