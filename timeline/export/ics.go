package export

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/japan-dprk/timeline/timeline"
)

// UIDDomain ends every event's iCalendar UID: "SLUG@japan-dprk-timeline".
const UIDDomain = "japan-dprk-timeline"

// WriteICS writes the events as an iCalendar (RFC 5545) calendar of all-day
// events: a day-precision date is that day, a month or a year is an
// all-day span over the whole month or year (the DESCRIPTION says how
// precisely the date is known), and a range runs from the first day of its
// start to the last day of its end. UIDs are stable (SLUG@japan-dprk-timeline),
// DTSTAMP is the event's last change, lines are folded at 75 octets and
// end with CRLF. There is no METHOD: the file is a calendar to subscribe
// to or open, not an iTIP message, and METHOD:PUBLISH would require an
// ORGANIZER in every event (RFC 5546).
func WriteICS(w io.Writer, m Meta, evs Events) error {
	var buf bytes.Buffer
	line := func(name, value string) { foldLine(&buf, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//"+UIDDomain+"//"+DatasetName+"//EN")
	line("CALSCALE", "GREGORIAN")
	line("X-WR-CALNAME", escapeText(m.Title()))
	line("X-WR-CALDESC", escapeText(m.citeAs()+": "+m.Citation()))
	if _, err := w.Write(buf.Bytes()); err != nil {
		return err
	}
	err := evs(func(e timeline.Event) error {
		buf.Reset()
		line("BEGIN", "VEVENT")
		line("UID", e.Slug+"@"+UIDDomain)
		line("DTSTAMP", e.UpdatedAt.UTC().Format("20060102T150405Z"))
		first, last := icsSpan(e)
		line("DTSTART;VALUE=DATE", icsDay(first))
		line("DTEND;VALUE=DATE", icsDay(dayAfter(last)))
		line("SUMMARY", escapeText(e.Title))
		line("DESCRIPTION", escapeText(icsDescription(m, e)))
		if e.Location != "" {
			line("LOCATION", escapeText(e.Location))
		}
		line("CATEGORIES", escapeText(e.Category.Label()))
		line("URL;VALUE=URI", m.Permalink(e.Slug))
		line("TRANSP", "TRANSPARENT")
		line("END", "VEVENT")
		_, err := w.Write(buf.Bytes())
		return err
	})
	if err != nil {
		return err
	}
	buf.Reset()
	line("END", "VCALENDAR")
	_, err = w.Write(buf.Bytes())
	return err
}

func icsDescription(m Meta, e timeline.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Date: %s (%s)\nEDTF: %s\n\n%s", e.DisplayDate(), precisionNote(e), timeline.Interval(e.Start, e.End), e.Summary)
	if len(e.Sources) > 0 {
		b.WriteString("\n\nSources:")
		for _, s := range e.Sources {
			b.WriteString("\n- " + sourceText(s))
			if s.URL != "" {
				b.WriteString(" " + s.URL)
			}
		}
	}
	b.WriteString("\n\n" + m.Permalink(e.Slug))
	return b.String()
}

// icsSpan is the days an all-day event covers: its widest reading, except
// that an open side is not a span of centuries: an open start begins with
// the end's first day, an open end ends with the start's last day (the
// DESCRIPTION says which side is open).
func icsSpan(e timeline.Event) (first, last timeline.Day) {
	first, last = e.Earliest(), e.Latest()
	if e.Start.Open {
		first = e.End.Earliest()
	}
	if e.End.Open {
		last = e.Start.Latest()
	}
	return first, last
}

// precisionNote says how precisely an event's dates are known:
// "known to the month; approximate", "known to the year; uncertain; no
// end given (open)".
func precisionNote(e timeline.Event) string {
	p := e.Start.Precision()
	if e.Start.Open || !e.End.IsZero() && !e.End.Open && e.End.Precision() < p {
		p = e.End.Precision()
	}
	s := "known to the " + p.String()
	if e.Start.YearX > 0 || e.End.YearX > 0 {
		s += "; some digits of the year unknown"
	}
	if q := e.Qual(); q&timeline.QualApproximate != 0 {
		s += "; approximate"
	}
	if q := e.Qual(); q&timeline.QualUncertain != 0 {
		s += "; uncertain"
	}
	if e.Start.Open {
		s += "; no start given (open)"
	}
	if e.End.Open {
		s += "; no end given (open)"
	}
	return s
}

// sourceText is "Publisher, “Title” (date)".
func sourceText(s timeline.Source) string {
	t := s.Publisher + ", “" + s.Title + "”"
	if !s.Date.IsZero() {
		t += " (" + s.Date.Format() + ")"
	}
	return t
}

func icsDay(d timeline.Day) string { return fmt.Sprintf("%08d", int(d)) }

func dayAfter(d timeline.Day) timeline.Day {
	x := d.Date()
	t := time.Date(x.Year, time.Month(x.Month), x.Day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	return timeline.DateOf(t).Earliest()
}

// escapeText escapes an iCalendar TEXT value: backslash, semicolon, comma
// and line breaks.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// foldLine writes a content line folded so that no line is longer than 75
// octets (continuation lines start with a space, which counts), never
// splitting a UTF-8 character, and ends it with CRLF.
func foldLine(buf *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		buf.WriteString(s[:cut])
		buf.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	buf.WriteString(s)
	buf.WriteString("\r\n")
}
