package timeline

import (
	"strconv"
	"strings"
	"testing"
)

// TestMatchCache: an entry is found for its words, limit and data version
// only; the cache keeps at most matchCacheBytes of ids, dropping the
// oldest entries first, and a newer version replaces an entry in place.
func TestMatchCache(t *testing.T) {
	var c matchCache
	ids := func(n int) string {
		var b strings.Builder
		b.WriteByte('[')
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(100000 + i))
		}
		return b.String() + "]"
	}
	c.put("kim", 1000, matchEntry{1, ids(3)})
	c.put("common", 1000, matchEntry{1, nil}) // too many: remembered as such
	for _, tt := range []struct {
		expr    string
		max     int
		version int64
		want    any
		ok      bool
	}{
		{"kim", 1000, 1, ids(3), true},
		{"kim", 1000, 2, nil, false}, // written since
		{"kim", 5000, 1, nil, false}, // another limit
		{"abe", 1000, 1, nil, false},
		{"common", 1000, 1, nil, true},
	} {
		got, ok := c.get(tt.expr, tt.max, tt.version)
		if ok != tt.ok || got != tt.want {
			t.Errorf("get(%q, %d, %d) = %v, %v; want %v, %v", tt.expr, tt.max, tt.version, got, ok, tt.want, tt.ok)
		}
	}
	c.put("kim", 1000, matchEntry{2, ids(4)})
	if got, ok := c.get("kim", 1000, 2); !ok || got != ids(4) {
		t.Errorf("after a write, get = %v, %v; want the new ids", got, ok)
	}
	if len(c.order) != 2 {
		t.Errorf("order holds %d keys, want 2 (a replaced entry keeps its place)", len(c.order))
	}

	// Entries of 5,000 ids (about 35 KB each) until well past the bound:
	// the first ones go, the last ones stay, and the total stays bounded.
	big := ids(5000)
	n := 3 * matchCacheBytes / len(big)
	for i := range n {
		c.put("w"+strconv.Itoa(i), 5000, matchEntry{2, big})
	}
	if c.bytes > matchCacheBytes {
		t.Errorf("the cache holds %d bytes, more than %d", c.bytes, matchCacheBytes)
	}
	if _, ok := c.get("w0", 5000, 2); ok {
		t.Error("the oldest entry is still there")
	}
	if _, ok := c.get("kim", 1000, 2); ok {
		t.Error("an early entry is still there")
	}
	if _, ok := c.get("w"+strconv.Itoa(n-1), 5000, 2); !ok {
		t.Error("the newest entry is gone")
	}
	total := 0
	for k, e := range c.entries {
		total += e.size(k)
	}
	if total != c.bytes || len(c.entries) != len(c.order) {
		t.Errorf("bookkeeping: %d bytes counted, %d held; %d entries, %d in order", c.bytes, total, len(c.entries), len(c.order))
	}
}
