package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// --phases prints each phase of the load with how long it took, in order.
func TestSynthPrintsItsPhases(t *testing.T) {
	out, stderr, err := runCmd(t, "", "synth", "--db", filepath.Join(t.TempDir(), "synth.db"), "--events", "200", "--phases")
	if err != nil || !strings.Contains(out, "wrote 200 synthetic events") {
		t.Fatalf("synth: %q, %v\n%s", out, err, stderr)
	}
	var names []string
	for line := range strings.Lines(stderr) {
		name, _, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("stderr line %q is not a phase: took", line)
		}
		names = append(names, name)
	}
	want := "events counts facet_events indexes packs search index merge analyze"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("got phases %q, want %q", got, want)
	}
}
