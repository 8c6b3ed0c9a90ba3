package data

import (
	"context"
	"testing"
)

// TestVerificationRecord holds the verification record to its format:
// every line parses and names a shipped event, and the record loads into
// the store whole.
func TestVerificationRecord(t *testing.T) {
	ds, s := loaded(t)
	checks, err := Checks()
	if err != nil {
		t.Fatal(err)
	}
	events := map[string]bool{}
	for _, e := range ds.Events {
		events[e.Slug] = true
	}
	for _, c := range checks {
		if !events[c.Slug] {
			t.Errorf("check of %s: no shipped event has that slug", c.Slug)
		}
	}
	written, skipped, err := s.SyncChecks(context.Background(), checks)
	if err != nil || !written || skipped != 0 {
		t.Errorf("sync of the record: got written %v, skipped %d, %v; want all of it written", written, skipped, err)
	}
}
