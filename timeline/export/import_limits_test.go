package export

import (
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestReadJSONCapsEvents: a file of more records than one import takes is
// read to the end, but only the first timeline.MaxImportEvents are kept.
func TestReadJSONCapsEvents(t *testing.T) {
	n := timeline.MaxImportEvents + 5000
	for _, doc := range []string{
		"[" + strings.TrimSuffix(strings.Repeat("{},", n), ",") + "]",
		`{"meta":{"x":1},"events":[` + strings.TrimSuffix(strings.Repeat("{},", n), ",") + `],"actors":[]}`,
	} {
		in, err := Read(strings.NewReader(doc), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Dataset.Events) != timeline.MaxImportEvents {
			t.Errorf("kept %d events, want %d", len(in.Dataset.Events), timeline.MaxImportEvents)
		}
		if len(in.Problems) != 1 || !strings.Contains(in.Problems[0].Rule, "split it") {
			t.Errorf("problems %v", in.Problems)
		}
	}
	if _, err := Read(strings.NewReader(`[{}] [{}]`), "json"); err == nil {
		t.Error("two JSON values were read as one file")
	}
	if _, err := Read(strings.NewReader("[{},\n{},\n{]"), "json"); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("syntax error: %v, want it on line 3", err)
	}
}
