// Package static embeds the site's CSS and vendored scripts
// (htmx 2.0.11 from the npm package htmx.org, dist/htmx.min.js) and names
// each by a fingerprint of its content, so that browsers and proxies may
// keep them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

//go:embed *.css *.js
var FS embed.FS

var hashes = func() map[string]string {
	m := map[string]string{}
	entries, _ := fs.ReadDir(FS, ".")
	for _, e := range entries {
		b, _ := FS.ReadFile(e.Name())
		sum := sha256.Sum256(b)
		m[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return m
}()

// Hash returns the fingerprint of the named asset ("" if there is none).
func Hash(name string) string { return hashes[name] }

// Path returns the URL of the named asset with its fingerprint.
func Path(name string) string { return "/static/" + name + "?v=" + hashes[name] }
