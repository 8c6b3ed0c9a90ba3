package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// JSONMeta is the "meta" object of a JSON export.
type JSONMeta struct {
	Dataset   string     `json:"dataset"`
	Version   int64      `json:"version"`   // the data version of the store it came from
	URL       string     `json:"url"`       // the view's permalink
	Filter    url.Values `json:"filter"`    // the view's filter, as query parameters
	Count     int        `json:"count"`     // number of events
	Generated string     `json:"generated"` // RFC 3339, UTC
	Citation  string     `json:"citation"`
	License   License    `json:"license"` // the data's licence
}

// License names a licence and its text's address.
type License struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// NewJSONMeta fills the meta object from m.
func NewJSONMeta(m Meta) JSONMeta {
	v := m.Filter.Values()
	if v == nil {
		v = url.Values{}
	}
	return JSONMeta{Dataset: DatasetName, Version: m.Version, URL: m.ViewURL(), Filter: v, Count: m.Count,
		Generated: m.Generated.UTC().Format(time.RFC3339), Citation: m.Citation(),
		License: License{Name: LicenseName, URL: LicenseURL}}
}

// WriteJSON writes {"meta": …, "events": […], "actors": […], "eras": […]}:
// the events in the event JSON shape, one per line; then the actors they
// name and the eras overlapping the view, so that the file is a whole
// dataset that imports into an empty database.
func WriteJSON(w io.Writer, m Meta, evs Events) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteString(`{"meta":`)
	if err := enc.Encode(NewJSONMeta(m)); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode ends with a newline
	buf.WriteString(",\n\"events\":[")
	actors := map[string]timeline.Actor{}
	n := 0
	err := evs(func(e timeline.Event) error {
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		buf.WriteByte('\n')
		for _, a := range e.Actors {
			actors[a.Slug] = a.Actor
		}
		if err := enc.Encode(e); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
		_, err := w.Write(buf.Bytes())
		buf.Reset()
		return err
	})
	if err != nil {
		return err
	}
	buf.WriteString("\n],\n\"actors\":[")
	slugs := make([]string, 0, len(actors))
	for s := range actors {
		slugs = append(slugs, s)
	}
	sort.Strings(slugs)
	for i, s := range slugs {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		if err := enc.Encode(actors[s]); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteString("\n],\n\"eras\":[")
	for i, r := range ErasIn(m.Eras, m.Filter) {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		if err := enc.Encode(r); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteString("\n]}\n")
	_, err = w.Write(buf.Bytes())
	return err
}

// ReadJSON reads our JSON: an export ({"meta", "events", "actors",
// "eras"}), a dataset ({"actors", "eras", "events"}) or a bare array of
// events. Events are labelled "record N" (counting from 1); one that does
// not decode is reported by its number and the rest are still read. The
// events are decoded one at a time, and past timeline.MaxImportEvents only
// counted, so that a file of millions of tiny records costs no more
// memory than the file itself.
func ReadJSON(r io.Reader) (*timeline.ImportFile, error) {
	return readJSON(r, 0)
}

func readJSON(r io.Reader, sizeHint int64) (*timeline.ImportFile, error) {
	var buf bytes.Buffer
	if sizeHint > 0 && sizeHint <= 1<<30 {
		buf.Grow(int(sizeHint) + bytes.MinRead) // read without growing
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	b := bytes.TrimPrefix(buf.Bytes(), []byte(bom))
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("the file is empty")
	}
	in := &timeline.ImportFile{Format: string(JSON)}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(b, err)
	}
	switch tok {
	case json.Delim('['):
		if err := readJSONEvents(dec, in); err != nil {
			return nil, jsonError(b, err)
		}
	case json.Delim('{'):
		events := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, jsonError(b, err)
			}
			k, _ := kt.(string)
			switch k {
			case "events":
				events = true
				if t, err := dec.Token(); err != nil {
					return nil, jsonError(b, err)
				} else if t != json.Delim('[') {
					return nil, errors.New("events: must be an array of events")
				}
				if err := readJSONEvents(dec, in); err != nil {
					return nil, jsonError(b, err)
				}
			case "actors", "eras", "meta":
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return nil, jsonError(b, err)
				}
				switch k {
				case "actors":
					err = strictDecode(raw, &in.Dataset.Actors)
				case "eras":
					err = strictDecode(raw, &in.Dataset.Eras)
				}
				if err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
			default:
				return nil, fmt.Errorf("key %q is not one of meta, events, actors, eras", k)
			}
		}
		if _, err := dec.Token(); err != nil { // the closing brace
			return nil, jsonError(b, err)
		}
		if !events {
			return nil, errors.New(`no "events" array: expected an export, a dataset or an array of events`)
		}
	default:
		return nil, errors.New("not our JSON: expected an export, a dataset or an array of events")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not our JSON: more follows the first JSON value")
	}
	return in, nil
}

// readJSONEvents reads the elements of an events array whose opening
// bracket dec has just read, and the closing bracket.
func readJSONEvents(dec *json.Decoder, in *timeline.ImportFile) error {
	var m json.RawMessage
	for i := 1; dec.More(); i++ {
		m = m[:0]
		if err := dec.Decode(&m); err != nil {
			return err
		}
		label := "record " + strconv.Itoa(i)
		if in.Full() {
			in.Add(timeline.Event{}, label, nil) // counted, not kept
			continue
		}
		var e timeline.Event
		if err := strictDecode(m, &e); err != nil {
			in.Add(timeline.Event{}, label, nil)
			in.Unreadable()
			in.Problem(label, "", err.Error())
			continue
		}
		in.Add(e, label, nil)
	}
	_, err := dec.Token()
	return err
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// jsonError names the line of a syntax error.
func jsonError(b []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// A streaming decoder's offsets are not the file's: check the whole
		// file, which finds the same error at its place (and allocates
		// nothing, since Unmarshal validates before it decodes).
		var raw json.RawMessage
		if err2 := json.Unmarshal(b, &raw); errors.As(err2, &se) {
			err = err2
		}
		line := 1 + bytes.Count(b[:min(int(se.Offset), len(b))], []byte("\n"))
		return fmt.Errorf("line %d: not valid JSON: %v", line, err)
	}
	return fmt.Errorf("not readable as our JSON: %w", err)
}
