package export

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/japan-dprk/timeline/timeline"
)

// WriteMarkdown writes a readable chronology: the citation line at the
// top, a "## YEAR" heading before the first event of each year, each event
// with its date as displayed, title (and its Japanese and Korean titles),
// category, summary, a link to its page and its sources as links.
func WriteMarkdown(w io.Writer, m Meta, evs Events) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# %s\n\n", mdEscape(m.Title()))
	fmt.Fprintf(&buf, "> %s: %s\n\n", mdEscape(m.citeAs()), mdEscape(m.Citation()))
	fmt.Fprintf(&buf, "%s. Dates are given only as precisely as the sources allow.\n", plural(m.Count, "event", "events"))
	if _, err := w.Write(buf.Bytes()); err != nil {
		return err
	}
	year := 0
	return evs(func(e timeline.Event) error {
		buf.Reset()
		if e.Year() != year {
			year = e.Year()
			fmt.Fprintf(&buf, "\n## %d\n", year)
		}
		fmt.Fprintf(&buf, "\n### %s: %s\n\n", mdEscape(e.DisplayDate()), mdEscape(e.Title))
		for _, t := range []string{e.TitleJA, e.TitleKO} {
			if t != "" {
				fmt.Fprintf(&buf, "%s  \n", mdEscapeBlock(oneLine(t)))
			}
		}
		meta := []string{e.Category.Label(), timeline.SignificanceLabels[e.Significance]}
		for _, l := range []string{e.Location, e.LocationJA, e.LocationKO} {
			if l != "" {
				meta = append(meta, l)
			}
		}
		fmt.Fprintf(&buf, "*%s*\n\n", mdEscape(strings.Join(meta, " · ")))
		for _, s := range []string{e.Summary, e.SummaryJA, e.SummaryKO} {
			if s != "" {
				fmt.Fprintf(&buf, "%s\n\n", mdEscapeBlock(oneLine(s)))
			}
		}
		fmt.Fprintf(&buf, "[Permalink](%s)\n", mdURL(m.Permalink(e.Slug)))
		if len(e.Sources) > 0 {
			buf.WriteString("\nSources:\n\n")
			for _, s := range e.Sources {
				if s.URL != "" {
					fmt.Fprintf(&buf, "- [%s](%s)\n", mdEscape(sourceText(s)), mdURL(s.URL))
				} else {
					fmt.Fprintf(&buf, "- %s\n", mdEscape(sourceText(s)))
				}
			}
		}
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// mdEscape escapes the characters that Markdown would read as markup
// inside a line, so that text shows as written in CommonMark (pandoc,
// GitHub) and in Python-Markdown alike. A backslash is used only before
// the punctuation that both accept escaped (Python-Markdown leaves a
// backslash before anything else, such as | or <, in the text). A & that
// would start a character reference and a < that would start a tag or an
// autolink become references themselves, so that "&copy;" stays literal
// and "<b>" is not HTML; any other & and < stay as they are, readable.
func mdEscape(s string) string { return mdEscapeText(s, false) }

// mdEscapeBlock is mdEscape for text that starts a line, where "-", "+"
// or "1990." would start a list or a thematic break.
func mdEscapeBlock(s string) string { return mdEscapeText(s, true) }

func mdEscapeText(s string, lineStart bool) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '&':
			if entityRE.MatchString(s[i:]) {
				b.WriteString("&amp;")
				continue
			}
		case '<':
			if i+1 < len(s) && strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/!?", rune(s[i+1])) {
				b.WriteString("&lt;")
				continue
			}
		case '\\', '`', '*', '_', '[', ']', '>', '#', '!':
			b.WriteByte('\\')
		case '-', '+', '.', ')':
			// Only a line's start can make a list item or a thematic break:
			// escape a marker at the start, and the dot or parenthesis after
			// leading digits ("1990. …").
			if lineStart && (i == 0 && (r == '-' || r == '+') || (r == '.' || r == ')') && allDigitsBefore(s, i)) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// entityRE matches the start of a character reference, as CommonMark and
// Python-Markdown read one.
var entityRE = regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

func allDigitsBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	for _, c := range s[:i] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// mdURL makes a URL safe inside the parentheses of a Markdown link.
func mdURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(u)
}

// oneLine joins the lines of a text with spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
