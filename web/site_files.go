package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// The static copy's files (site.go): the file each URL becomes, writing
// a file only when its bytes changed, and removing what an earlier build
// left that the site no longer holds.

// sitePath is the file of URL u in the copy: /events/x is
// events/x/index.html, /events.csv is events.csv, and a query becomes a
// directory of its own, sorted by key (/events?from=2002&to=2002 is
// events/from-2002_to-2002/index.html, /events.csv?from=2002&to=2002 is
// from-2002_to-2002/events.csv). page says whether u is an HTML page.
func sitePath(u *url.URL, page bool) string {
	p := strings.Trim(u.Path, "/")
	q := siteQuerySeg(u.Query())
	if strings.HasPrefix(p, "static/") {
		q = ""
	}
	if page {
		return path.Join(p, q, "index.html")
	}
	return path.Join(path.Dir(p), q, path.Base(p))
}

var siteUnsafe = regexp.MustCompile(`[^a-zA-Z0-9.-]+`)

func siteQuerySeg(q url.Values) string {
	var parts []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, v := range q[k] {
			s := siteUnsafe.ReplaceAllString(v, "-")
			if s != v || len(s) > 40 {
				sum := sha256.Sum256([]byte(v))
				s = hex.EncodeToString(sum[:6])
			}
			parts = append(parts, siteUnsafe.ReplaceAllString(k, "-")+"-"+s)
		}
	}
	return strings.Join(parts, "_")
}

// put writes body as the file p of the site, unless the file already
// holds exactly these bytes, and counts it. Once written, a file's bytes
// are not kept: what the rest of the build needs is its path.
func (b *siteBuilder) put(p string, body []byte, page bool) error {
	b.mu.Lock()
	if b.files[p] {
		b.mu.Unlock()
		return fmt.Errorf("build-site: two URLs make the file %s", p)
	}
	b.files[p] = true
	b.report.Files++
	b.report.Bytes += int64(len(body))
	if page {
		b.report.Pages++
		b.pages = append(b.pages, p)
	}
	b.mu.Unlock()
	f := filepath.Join(b.out, filepath.FromSlash(p))
	same, err := sameBytes(f, body)
	if err != nil {
		return err
	}
	if !same {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(f, body, 0o644); err != nil {
			return err
		}
	}
	b.mu.Lock()
	if same {
		b.report.Unchanged++
	} else {
		b.report.Written++
	}
	b.mu.Unlock()
	return nil
}

// sameBytes says whether the file f exists and holds exactly body.
func sameBytes(f string, body []byte) (bool, error) {
	fi, err := os.Stat(f)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(body)) {
		return false, err
	}
	old, err := os.ReadFile(f)
	if err != nil {
		return false, err
	}
	return bytes.Equal(old, body), nil
}

// removeStale removes the files under out that this build did not make
// (what an earlier build wrote and the site no longer holds), and the
// directories that leaves empty.
func (b *siteBuilder) removeStale() error {
	var dirs []string
	err := filepath.WalkDir(b.out, func(f string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if f != b.out {
				dirs = append(dirs, f)
			}
			return nil
		}
		rel, err := filepath.Rel(b.out, f)
		if err != nil {
			return err
		}
		if b.files[filepath.ToSlash(rel)] {
			return nil
		}
		b.report.Removed++
		return os.Remove(f)
	})
	if err != nil {
		return err
	}
	// Deepest first, so that a directory whose subdirectories were all
	// stale is empty when its turn comes.
	for _, d := range slices.Backward(dirs) {
		if entries, err := os.ReadDir(d); err == nil && len(entries) == 0 {
			if err := os.Remove(d); err != nil {
				return err
			}
		}
	}
	return nil
}
