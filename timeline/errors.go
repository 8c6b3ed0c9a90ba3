package timeline

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Errors the store returns; callers compare with errors.Is.
var (
	// ErrNotFound means no live record has the asked-for slug.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the record changed since the version the caller read.
	ErrConflict = errors.New("conflict: the record was changed by someone else")
	// ErrExists means a record with that name already exists.
	ErrExists = errors.New("already exists")
)

// ValidationError holds every problem found in a record, keyed by field
// ("title", "start", "sources[1].publisher"). Each is a new value, so a
// caller may keep or change its Problems.
type ValidationError struct {
	Problems map[string]string
	// cause, when set, is a sentinel that errors.Is finds (ErrBadCursor,
	// ErrTooBroad).
	cause error
}

// Unwrap returns the sentinel the problems stand for, if any.
func (e *ValidationError) Unwrap() error { return e.cause }

// invalid returns a new *ValidationError with one problem, standing for
// cause.
func invalid(cause error, field, problem string) *ValidationError {
	return &ValidationError{Problems: map[string]string{field: problem}, cause: cause}
}

// Error lists the problems in field order.
func (e *ValidationError) Error() string {
	keys := e.Fields()
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Problems[k]
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// Fields returns the fields with problems, sorted.
func (e *ValidationError) Fields() []string {
	keys := make([]string, 0, len(e.Problems))
	for k := range e.Problems {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// problems collects field problems; the first problem for a field wins.
type problems map[string]string

func (p problems) add(field, format string, args ...any) {
	if _, ok := p[field]; !ok {
		p[field] = fmt.Sprintf(format, args...)
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: map[string]string(p)}
}
