package export

import (
	"bytes"
	"context"
	"html"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// markupEvents have titles and summaries full of what Markdown reads as
// markup, and Korean titles.
func markupEvents() []timeline.Event {
	src := []timeline.Source{{Publisher: "KCNA | Pyongyang", Title: "Statement <b>on</b> the [talks] & more", URL: "https://example.org/a_(b)?x=1&y=2"}}
	mk := func(slug, title, ja, ko, summary string) timeline.Event {
		return timeline.Event{Slug: slug, Start: timeline.MustDate("2002-09-17"), Title: title, TitleJA: ja, TitleKO: ko,
			Summary: summary, Category: "summit", Significance: 3, Sources: src, Location: "Pyongyang | Tokyo"}
	}
	return []timeline.Event{
		mk("pipes", "Talks | round 2 &copy; <b>not bold</b> & friends", "日朝首脳会談｜第二回", "북일 정상회담 (제2차)", "A | B; &copy; stays; <i>raw</i> stays; 5 * 3 = 15; snake_case_name; [not a link](x); `code`; #1 priority! ~tilde~ {braces} back\\slash."),
		mk("starts", "#1 - the first * item", "", "조선민주주의인민공화국", "- starts like a list"),
		mk("numbered", "1990. A year", "", "", "1990. Starts like an ordered list"),
		mk("plus", "+ plus", "", "", "+ starts like a list; > not a quote; 3) neither; 5 < 6 && 7 > 6; &#169; &#x27;"),
	}
}

var htmlTagRE = regexp.MustCompile(`<[^>]*>`)

// visibleText is what a reader sees of rendered HTML: tags removed,
// character references decoded, spaces collapsed.
func visibleText(h string) string {
	return strings.Join(strings.Fields(html.UnescapeString(htmlTagRE.ReplaceAllString(h, " "))), " ")
}

func TestMarkdownEscapingShowsTextAsWritten(t *testing.T) {
	var buf bytes.Buffer
	m := Meta{Count: 4, Version: 7, Generated: testClock, BaseURL: "https://example.org"}
	evs := markupEvents()
	if err := WriteMarkdown(&buf, m, Slice(evs)); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		"Talks | round 2 &amp;copy; &lt;b\\>not bold&lt;/b\\> & friends", // no backslash before |
		"북일 정상회담 (제2차)  \n",                                              // Korean titles are written
		"\n\\- starts like a list\n",
		"\n1990\\. Starts like an ordered list\n",
		"\n\\+ starts like a list; \\> not a quote; 3) neither; 5 < 6 && 7 \\> 6; &amp;\\#169; &amp;\\#x27;\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	for _, stray := range []string{`\|`, `\<`, `\=`, `\&`, `\~`, `\{`} {
		if strings.Contains(md, stray) {
			t.Errorf("Markdown has %q, which Python-Markdown shows as written", stray)
		}
	}

	// Rendered by real renderers, every text shows exactly as written.
	renderers := []struct {
		name string
		cmd  []string
	}{
		{"CommonMark (pandoc)", []string{"pandoc", "-f", "commonmark", "-t", "html"}},
		{"Python-Markdown", []string{"/usr/bin/python3", "-m", "markdown"}},
	}
	ran := 0
	for _, r := range renderers {
		if _, err := exec.LookPath(r.cmd[0]); err != nil {
			t.Logf("%s is not installed (Debian: pandoc, python3-markdown): not checked", r.name)
			continue
		}
		if r.cmd[0] == "/usr/bin/python3" && exec.Command(r.cmd[0], "-c", "import markdown").Run() != nil {
			t.Logf("%s is not installed (Debian: python3-markdown): not checked", r.name)
			continue
		}
		ran++
		cmd := exec.CommandContext(context.Background(), r.cmd[0], r.cmd[1:]...)
		cmd.Stdin = strings.NewReader(md)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		text := visibleText(string(out))
		for _, e := range evs {
			for _, s := range []string{e.Title, e.TitleJA, e.TitleKO, e.Summary, sourceText(e.Sources[0]), e.Location} {
				if s != "" && !strings.Contains(text, strings.Join(strings.Fields(s), " ")) {
					t.Errorf("%s shows %q otherwise:\n%s", r.name, s, text)
				}
			}
		}
		if strings.Count(text, `\`) != 1 { // the one in "back\slash"
			t.Errorf("%s shows stray backslashes:\n%s", r.name, text)
		}
		for tag, n := range map[string]int{"<b>": 0, "<i>": 0, "<em>": len(evs), "<ul>": len(evs), "<ol>": 0, "<blockquote>": 1, "<code>": 0, "<hr": 0, "<a ": 2 * len(evs)} {
			if got := strings.Count(string(out), tag); got != n {
				t.Errorf("%s made %d %s, want %d (text read as markup?):\n%s", r.name, got, tag, n, out)
			}
		}
		if !strings.Contains(string(out), `href="https://example.org/a_%28b%29?x=1&amp;y=2"`) {
			t.Errorf("%s: the source link is not the source's URL:\n%s", r.name, out)
		}
	}
	if ran == 0 {
		t.Log("no Markdown renderer installed: only the text checks ran")
	}
}
