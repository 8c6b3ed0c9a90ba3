package web

import (
	"strconv"
	"strings"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/export"
	"github.com/japan-dprk/timeline/web/views"
)

// What search engines and reference managers read in a page's head: the
// Highwire citation_* tags (Google Scholar's convention, which Zotero's
// connector reads) and schema.org JSON-LD. Both are built from Go values;
// the JSON-LD is marshalled with encoding/json by templ.JSONScript.

// highwireDate is a date as the citation_* tags write it: "2026/11/26".
func highwireDate(d timeline.Date) string {
	return strings.TrimRight(strings.ReplaceAll(d.String(), "-", "/"), "/")
}

// eventMetaTags are an event page's citation_* tags: the event's page as
// an entry of the chronology, then each of its sources as a
// citation_reference.
func eventMetaTags(e timeline.Event, permalink string) []views.MetaTag {
	updated := highwireDate(timeline.DateOf(e.UpdatedAt.UTC()))
	tags := []views.MetaTag{
		{Name: "citation_title", Content: export.CiteTitle(e)},
		{Name: "citation_publisher", Content: export.DatasetName},
		{Name: "citation_publication_date", Content: updated},
		{Name: "citation_online_date", Content: updated},
		{Name: "citation_public_url", Content: permalink},
		{Name: "citation_abstract", Content: e.Summary},
		{Name: "citation_language", Content: "en"},
		{Name: "citation_version", Content: strconv.Itoa(e.Version)},
		{Name: "dc.rights", Content: export.LicenseName + " " + export.LicenseURL},
	}
	if len(e.Tags) > 0 {
		tags = append(tags, views.MetaTag{Name: "citation_keywords", Content: strings.Join(e.Tags, "; ")})
	}
	for _, s := range e.Sources {
		ref := []string{"citation_title=" + s.Title, "citation_publisher=" + s.Publisher}
		if !s.Date.IsZero() {
			ref = append(ref, "citation_publication_date="+highwireDate(s.Date))
		}
		if s.URL != "" {
			ref = append(ref, "citation_public_url="+s.URL)
		}
		tags = append(tags, views.MetaTag{Name: "citation_reference", Content: strings.Join(ref, "; ")})
	}
	return tags
}

// ldThing is a schema.org node: its type, then its properties, written
// by encoding/json in a fixed order.
type ldThing = map[string]any

// eventJSONLD is an event as a schema.org Event, with its sources as
// citation, its actors as performers, and the dataset it is part of.
func eventJSONLD(e timeline.Event, permalink, base string) ldThing {
	ev := ldThing{
		"@context":     "https://schema.org",
		"@type":        "Event",
		"@id":          permalink,
		"url":          permalink,
		"name":         e.Title,
		"description":  e.Summary,
		"startDate":    e.Start.String(),
		"dateModified": e.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z"),
		"version":      strconv.Itoa(e.Version),
		"license":      export.LicenseURL,
		"isPartOf":     datasetRef(base),
	}
	if !e.End.IsZero() {
		ev["endDate"] = e.End.String()
	}
	var alt []string
	for _, t := range []string{e.TitleJA, e.TitleKO} {
		if t != "" {
			alt = append(alt, t)
		}
	}
	if len(alt) > 0 {
		ev["alternateName"] = alt
	}
	if e.Location != "" {
		place := ldThing{"@type": "Place", "name": e.Location}
		var names []string
		for _, l := range []string{e.LocationJA, e.LocationKO} {
			if l != "" {
				names = append(names, l)
			}
		}
		if len(names) > 0 {
			place["alternateName"] = names
		}
		ev["location"] = place
	}
	if len(e.Tags) > 0 {
		ev["keywords"] = strings.Join(e.Tags, ", ")
	}
	var performers []ldThing
	for _, a := range e.Actors {
		typ := "Person"
		if a.Kind != "person" {
			typ = "Organization"
		}
		performers = append(performers, ldThing{"@type": typ, "name": a.Name, "url": base + views.ActorURL(a.Slug)})
	}
	if len(performers) > 0 {
		ev["performer"] = performers
	}
	var cites []ldThing
	for _, s := range e.Sources {
		c := ldThing{"@type": "CreativeWork", "name": s.Title, "publisher": ldThing{"@type": "Organization", "name": s.Publisher}}
		if s.URL != "" {
			c["url"] = s.URL
		}
		if !s.Date.IsZero() {
			c["datePublished"] = s.Date.String()
		}
		if s.Language != "other" {
			c["inLanguage"] = s.Language
		}
		cites = append(cites, c)
	}
	ev["citation"] = cites
	return ev
}

// datasetRef names the whole chronology as a schema.org Dataset.
func datasetRef(base string) ldThing {
	return ldThing{"@type": "Dataset", "name": export.DatasetName, "url": base + "/events", "license": export.LicenseURL}
}

// datasetJSONLD describes a list page's view as a schema.org Dataset:
// its name, address, licence and downloads (the exports of the view).
func datasetJSONLD(base, title, description, viewURL string, f timeline.Filter) ldThing {
	q := f.Values().Encode()
	if q != "" {
		q = "?" + q
	}
	var dl []ldThing
	for _, fm := range export.Formats {
		dl = append(dl, ldThing{"@type": "DataDownload", "encodingFormat": strings.TrimSuffix(fm.ContentType(), "; charset=utf-8"),
			"contentUrl": base + "/events" + fm.Ext() + q})
	}
	for _, fm := range export.CiteFormats {
		dl = append(dl, ldThing{"@type": "DataDownload", "encodingFormat": strings.TrimSuffix(fm.ContentType(), "; charset=utf-8"),
			"contentUrl": base + "/events" + fm.Ext() + q})
	}
	d := ldThing{
		"@context":            "https://schema.org",
		"@type":               "Dataset",
		"name":                title,
		"description":         description,
		"url":                 viewURL,
		"license":             export.LicenseURL,
		"isAccessibleForFree": true,
		"creator":             ldThing{"@type": "Organization", "name": export.DatasetName, "url": base + "/about"},
		"inLanguage":          "en",
		"distribution":        dl,
	}
	if !strings.HasSuffix(viewURL, "/events") {
		d["isPartOf"] = datasetRef(base)
	}
	return d
}
