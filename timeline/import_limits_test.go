package timeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestImportReportsTheFirstProblems: a file with thousands of problems is
// answered with the first MaxReportedProblems, in file order, and how
// many there are in all, so that the answer stays small.
func TestImportReportsTheFirstProblems(t *testing.T) {
	s := newTestStore(t)
	in := &ImportFile{Format: "json"}
	for i := range 3000 {
		in.Add(Event{}, fmt.Sprintf("record %d", i+1), nil)
	}
	_, err := s.ImportFile(context.Background(), in, ImportFileOptions{DryRun: true})
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an *ImportError", err)
	}
	if len(ie.Problems) != MaxReportedProblems || ie.Total < 3000*3 {
		t.Errorf("%d problems kept of %d, want the first %d of at least %d", len(ie.Problems), ie.Total, MaxReportedProblems, 3000*3)
	}
	if ie.Problems[0].Record != "record 1" || ie.Problems[MaxReportedProblems-1].Record == "record 3000" {
		t.Errorf("problems not the first in file order: %v … %v", ie.Problems[0], ie.Problems[MaxReportedProblems-1])
	}
	if msg := ie.Error(); !strings.Contains(msg, fmt.Sprintf("%d problem(s)", ie.Total)) || len(msg) > 10000 {
		t.Errorf("error message of %d bytes: %.200s", len(msg), msg)
	}
}

// TestImportFileCapsItsEvents: events past MaxImportEvents are counted,
// not kept, and make one problem.
func TestImportFileCapsItsEvents(t *testing.T) {
	in := &ImportFile{Format: "json"}
	for i := range MaxImportEvents + 500 {
		in.Add(Event{}, fmt.Sprintf("record %d", i+1), nil)
	}
	if len(in.Dataset.Events) != MaxImportEvents || len(in.Labels) != MaxImportEvents {
		t.Errorf("kept %d events, want %d", len(in.Dataset.Events), MaxImportEvents)
	}
	if len(in.Problems) != 1 || !strings.Contains(in.Problems[0].Rule, "split") {
		t.Errorf("problems %v, want one asking to split the file", in.Problems)
	}
}
