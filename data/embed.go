// Package data is the shipped chronology: actors, eras and events in the
// event JSON shape, embedded in the binary and loaded into a new database
// on first start.
package data

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"

	"github.com/japan-dprk/timeline/timeline"
)

//go:embed actors/*.json events/*.json eras.json redirects.json aliases.json
var files embed.FS

// Load decodes the whole dataset. Actors defined in several files must
// agree; the events of each file keep their order, files in name order.
func Load() (timeline.Dataset, error) {
	var ds timeline.Dataset
	actors := map[string]timeline.Actor{}
	names, err := fs.Glob(files, "actors/*.json")
	if err != nil {
		return ds, err
	}
	sort.Strings(names)
	for _, name := range names {
		var list []timeline.Actor
		if err := decode(name, &list); err != nil {
			return ds, err
		}
		for _, a := range list {
			if old, ok := actors[a.Slug]; ok {
				if old != a {
					return ds, fmt.Errorf("data: %s: actor %q differs from an earlier definition", name, a.Slug)
				}
				continue
			}
			actors[a.Slug] = a
			ds.Actors = append(ds.Actors, a)
		}
	}
	if err := decode("eras.json", &ds.Eras); err != nil {
		return ds, err
	}
	names, err = fs.Glob(files, "events/*.json")
	if err != nil {
		return ds, err
	}
	sort.Strings(names)
	for _, name := range names {
		var list []timeline.Event
		if err := decode(name, &list); err != nil {
			return ds, err
		}
		ds.Events = append(ds.Events, list...)
	}
	return ds, nil
}

func decode(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("data: %s: %w", name, err)
	}
	return nil
}

// Aliases decodes aliases.json: groups of terms that name the same thing
// across English, Japanese and Korean (spellings, readings, the other
// side's usage), for search to treat as equivalent. No term is in two
// groups.
func Aliases() ([][]string, error) {
	var groups [][]string
	if err := decode("aliases.json", &groups); err != nil {
		return nil, err
	}
	return groups, nil
}
