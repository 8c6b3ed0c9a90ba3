package data

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

func TestLoadedDataValidates(t *testing.T) {
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := timeline.Open(context.Background(), filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(context.Background(), ds, timeline.Change{Author: "test"}, timeline.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
}
