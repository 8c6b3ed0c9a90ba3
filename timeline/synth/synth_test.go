package synth

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// synthBenchEvents is how many events BenchmarkFill writes.
var synthBenchEvents = 100_000

func BenchmarkFill(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, err := timeline.Open(context.Background(), filepath.Join(b.TempDir(), "synth.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := Fill(context.Background(), s, Options{Events: synthBenchEvents, Seed: 2}); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	b.ReportMetric(float64(synthBenchEvents), "events/op")
}
