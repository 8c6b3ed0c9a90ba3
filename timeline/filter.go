package timeline

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Filter selects events. The zero Filter selects every live event.
// Categories combine with OR (an event has one category); actors and tags
// combine with AND (each narrows the list further).
type Filter struct {
	From Date // events whose dates overlap [From.Earliest, To.Latest]
	To   Date
	// Certain narrows the filter to what is certain (certainty=certain):
	// events whose dates carry no qualifier (?, ~, %) and whose widest
	// reading lies inside [From.Earliest, To.Latest]. Without it
	// (certainty=possible), an event is in when its widest reading
	// overlaps the range, whatever its qualifiers.
	Certain         bool
	Categories      []Category // any of these
	Actors          []string   // actor slugs, all of them
	Tags            []string   // all of these tags
	MinSignificance int        // 0 or 1–3
	Query           string     // words; see SearchTerms
	// AsOf is the moment the view shows (as_of; zero: now). The store's
	// queries do not read it: the caller runs the filter on the chronology
	// of that moment (Store.Snapshot). It is here so that every URL made
	// from the filter (Values) keeps the moment.
	AsOf time.Time
}

// The values of the certainty parameter.
const (
	CertaintyPossible = "possible"
	CertaintyCertain  = "certain"
	CertaintyRule     = "must be possible (the default: events that may fall in the range, their widest reading overlapping it) " +
		"or certain (events that surely do: no ?, ~ or % on their dates, and their widest reading inside the range)"
)

// Filter limits.
const (
	MaxFilterValues = 20
	MaxQueryLen     = 200
)

// ResolveFilter reads a filter from query parameters (from, to, certainty,
// category, actor, tag, sig, q, as_of; category, actor and tag
// repeatable, the others given once) and checks that the actors it names
// exist and that a live event has each tag it names, so that a typo is not
// a silently empty list. It is the
// one way to read a filter: lists, the timeline, the story, exports, the
// API and the command line all use it. Every problem is reported at once
// in a *ValidationError keyed by parameter; the Filter holds what could be
// read, for a form to show back.
func (s *Store) ResolveFilter(ctx context.Context, v url.Values) (Filter, error) {
	f, p := parseFilter(v)
	if _, bad := p["actor"]; !bad {
		for _, a := range f.Actors {
			if _, err := s.GetActor(ctx, a); errors.Is(err, ErrNotFound) {
				p.add("actor", "no actor has the slug %q", a)
			} else if err != nil {
				return f, err
			}
		}
	}
	if _, bad := p["tag"]; !bad {
		for _, t := range f.Tags {
			if err := s.CheckTag(ctx, t); errors.Is(err, ErrNotFound) {
				p.add("tag", "no event has the tag %q", t)
			} else if err != nil {
				return f, err
			}
		}
	}
	return f, p.err()
}

// parseFilter reads a filter from query parameters, collecting the
// problems of every bad value; it knows nothing of which actors exist.
func parseFilter(v url.Values) (Filter, problems) {
	var f Filter
	p := problems{}
	// A parameter that takes one value, given two (a link edited by hand,
	// two forms merged), would be read as its first, silently.
	for _, k := range []string{"from", "to", "certainty", "sig", "q", "as_of"} {
		var vals []string
		for _, s := range nonEmpty(v[k]) {
			if !slices.Contains(vals, s) {
				vals = append(vals, s)
			}
		}
		if len(vals) > 1 {
			p.add(k, "given %d different values: give one", len(vals))
		}
	}
	for _, k := range []string{"from", "to"} {
		s := strings.TrimSpace(v.Get(k))
		if s == "" {
			continue
		}
		d, err := ParseDateOrEra(s)
		if err != nil {
			p.add(k, "%v", err)
		}
		if k == "from" {
			f.From = d
		} else {
			f.To = d
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Latest() < f.From.Earliest() {
		p.add("to", "must not be before from (%s)", f.From)
	}
	switch c := strings.TrimSpace(v.Get("certainty")); c {
	case "", CertaintyPossible:
	case CertaintyCertain:
		f.Certain = true
	default:
		p.add("certainty", "%s", CertaintyRule)
	}
	for _, c := range nonEmpty(v["category"]) {
		if !Category(c).Valid() {
			p.add("category", "%q is not a category: use one of %s", c, strings.Join(categoryNames(), ", "))
		} else if !slices.Contains(f.Categories, Category(c)) {
			f.Categories = append(f.Categories, Category(c))
		}
	}
	for _, a := range nonEmpty(v["actor"]) {
		if !ValidSlug(a) {
			p.add("actor", "%q is not an actor slug: %s", a, slugRule)
		} else if !slices.Contains(f.Actors, a) {
			f.Actors = append(f.Actors, a)
		}
	}
	for _, t := range nonEmpty(v["tag"]) {
		t = strings.ToLower(t)
		if !ValidSlug(t) {
			p.add("tag", "%q is not a tag: %s", t, slugRule)
		} else if !slices.Contains(f.Tags, t) {
			f.Tags = append(f.Tags, t)
		}
	}
	for k, n := range map[string]int{"category": len(f.Categories), "actor": len(f.Actors), "tag": len(f.Tags)} {
		if n > MaxFilterValues {
			p.add(k, "at most %d values", MaxFilterValues)
		}
	}
	if s := strings.TrimSpace(v.Get("sig")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 3 {
			p.add("sig", "must be 1 (minor and up), 2 (notable and up) or 3 (major only)")
		}
		f.MinSignificance = n
	}
	if s := strings.TrimSpace(v.Get("as_of")); s != "" {
		t, err := ParseAsOf(s)
		if ve, ok := errors.AsType[*ValidationError](err); ok {
			p.add("as_of", "%s", ve.Problems["as_of"])
		}
		f.AsOf = t
	}
	f.Query = strings.TrimSpace(v.Get("q"))
	if msg := CheckText(f.Query, MaxQueryLen, false); msg != "" {
		p.add("q", "%s", msg)
	}
	return f, p
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Values writes the filter back as query parameters, in a stable order, so
// that a filtered view has one permalink.
func (f Filter) Values() url.Values {
	v := url.Values{}
	if !f.From.IsZero() {
		v.Set("from", f.From.String())
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.String())
	}
	if f.Certain {
		v.Set("certainty", CertaintyCertain)
	}
	for _, c := range f.Categories {
		v.Add("category", string(c))
	}
	for _, a := range f.Actors {
		v.Add("actor", a)
	}
	for _, t := range f.Tags {
		v.Add("tag", t)
	}
	if f.MinSignificance > 0 {
		v.Set("sig", strconv.Itoa(f.MinSignificance))
	}
	if f.Query != "" {
		v.Set("q", f.Query)
	}
	if !f.AsOf.IsZero() {
		v.Set("as_of", FormatAsOf(f.AsOf))
	}
	return v
}

// IsZero reports whether the filter selects everything.
func (f Filter) IsZero() bool {
	return f.From.IsZero() && f.To.IsZero() && !f.Certain && len(f.Categories) == 0 && len(f.Actors) == 0 &&
		len(f.Tags) == 0 && f.MinSignificance == 0 && f.Query == ""
}
