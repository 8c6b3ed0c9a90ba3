package timeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
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

// TestDryRunImportDoesNotHoldTheWriteLock: while a dry run checks a file,
// other writes go ahead (before, the dry run ran inside the one write
// transaction and every writer waited for it).
func TestDryRunImportDoesNotHoldTheWriteLock(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	mustCreate(t, s, testEvent("2001-01-01", "Stored before"))
	var ds Dataset
	for i := range 250 {
		e := testEvent("2002-01-01", fmt.Sprintf("Imported %d", i))
		if i == 1 {
			e.Related = []Relation{{Slug: "2002-01-01-imported-0", Relation: "follows"}}
		}
		ds.Events = append(ds.Events, e)
	}
	ds.Events = append(ds.Events, testEvent("2001-01-01", "Stored before")) // unchanged
	wrote := false
	opt := ImportOptions{DryRun: true, Progress: func(done, total int) {
		if wrote || done == total {
			return
		}
		wrote = true
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		e := testEvent("2003-01-01", "Written during the dry run")
		if err := s.CreateEvent(wctx, &e, Change{Author: "other"}); err != nil {
			t.Errorf("a write during a dry-run import: %v", err)
		}
	}}
	rep, err := s.Import(ctx, ds, Change{Author: "test"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !wrote {
		t.Fatal("the dry run reported no progress")
	}
	if rep.Created != 250 || rep.Unchanged != 1 || rep.Actors != 0 {
		t.Errorf("dry run: %+v, want 250 created, 1 unchanged", rep)
	}
	if _, err := s.GetEvent(ctx, "2002-01-01-imported-0"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the dry run wrote: %v", err)
	}
	// A dry run finds what the real import would refuse.
	bad := Dataset{Events: []Event{testEvent("2004-01-01", "Refers to nothing")}}
	bad.Events[0].Actors = []EventActor{{Actor: Actor{Slug: "no-such-actor"}, Role: "x"}}
	var ie *ImportError
	if _, err := s.Import(ctx, bad, Change{Author: "test"}, ImportOptions{DryRun: true}); !errors.As(err, &ie) {
		t.Errorf("dry run of an event naming an unknown actor: %v, want an *ImportError", err)
	}
}
