package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
)

func TestErrorFor(t *testing.T) {
	ve := &timeline.ValidationError{Problems: map[string]string{"sig": "must be 1, 2 or 3"}}
	for _, tt := range []struct {
		name     string
		err      error
		status   int
		code     string
		title    string
		message  string // a part of it
		fields   bool
		internal bool
	}{
		{"not found", fmt.Errorf("timeline: event %q: %w", "x", timeline.ErrNotFound), 404, "not_found", "Page not found", "no page at this address", false, false},
		{"conflict", fmt.Errorf("wrapped: %w", timeline.ErrConflict), 409, "conflict", "Conflict", "changed by someone else", false, false},
		{"exists", timeline.ErrExists, 409, "conflict", "Conflict", "exists already", false, false},
		{"invalid", fmt.Errorf("wrapped: %w", ve), 400, "bad_request", "Bad request", "sig: must be 1, 2 or 3", true, false},
		{"too slow", fmt.Errorf("query: %w", context.DeadlineExceeded), 503, "unavailable", "Too slow", "took too long", false, false},
		{"echo 404", echo.ErrNotFound, 404, "not_found", "Page not found", "no page at this address", false, false},
		{"echo 413", echo.NewHTTPError(413, "The request body is too large."), 413, "too_large", "Request Entity Too Large", "too large", false, false},
		{"client error", newClientError(422, "version is required", map[string]string{"version": "required"}), 422, "invalid", "Unprocessable Entity", "version is required", true, false},
		{"disk full", fmt.Errorf("timeline: create: %w", timeline.ErrStorageFull), 507, "storage_full", "Writes are paused", "reads still work", false, false},
		{"damaged file", fmt.Errorf("timeline: list: %w", timeline.ErrCorrupt), 500, "internal", "Something went wrong", "database is damaged", false, false},
		{"unknown", errors.New("disk on fire"), 500, "internal", "Something went wrong", "could not answer", false, true},
		// An error's text decides nothing: only its type does.
		{"text alone", errors.New("not found"), 500, "internal", "Something went wrong", "could not answer", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ce, internal := errorFor(tt.err)
			if ce.Status != tt.status || ce.Code != tt.code || ce.Title != tt.title {
				t.Errorf("got %d %q %q, want %d %q %q", ce.Status, ce.Code, ce.Title, tt.status, tt.code, tt.title)
			}
			wantContains(t, fmt.Sprintf("message: got %q, want it to contain %q", ce.Message, tt.message), ce.Message, tt.message)
			if got := len(ce.Fields) > 0; got != tt.fields {
				t.Errorf("fields: got %v, want some: %v", ce.Fields, tt.fields)
			}
			if internal != tt.internal {
				t.Errorf("internal: got %v, want %v", internal, tt.internal)
			}
			wantLacks(t, fmt.Sprintf("message %q shows the cause of a server fault", ce.Message), ce.Message, "disk on fire")
		})
	}
}

func TestLoginFailure(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"unknown user", &timeline.LoginError{Name: "bob", Reason: timeline.LoginUnknownUser}, "unknown user"},
		{"wrapped", fmt.Errorf("login: %w", &timeline.LoginError{Name: "al", Reason: timeline.LoginDisabled}), "account disabled"},
		{"bare sentinel", timeline.ErrBadCredentials, "refused"},
		// Text that reads like a reason is not one.
		{"text alone", fmt.Errorf("timeline: authenticate %q: wrong password: %w", "x", timeline.ErrBadCredentials), "refused"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := loginFailure(tt.err); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestErrorForms: one failure, answered in the form of the route's group.
func TestErrorForms(t *testing.T) {
	env := newAuthEnv(t, Config{})
	for _, tt := range []struct {
		path        string
		status      int
		contentType string
		body        string
	}{
		{"/events?sig=9", 400, "text/html", `data-testid="problem-sig"`},
		{"/api/v1/events?sig=9", 400, "application/json", `"fields":{"sig":"must be`},
		{"/events.csv?sig=9", 400, "text/plain", "400 Bad request: invalid: sig: must be"},
		{"/events/nope", 404, "text/html", "Page not found"},
		{"/api/v1/events/nope", 404, "application/json", `"code":"not_found"`},
		{"/api/v1/nope", 404, "application/json", "no such API resource"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp := env.request(http.MethodGet, tt.path, nil, nil)
			body := respBody(t, resp)
			if resp.StatusCode != tt.status {
				t.Errorf("status: got %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.contentType) {
				t.Errorf("Content-Type: got %q, want %q", got, tt.contentType)
			}
			wantContains(t, fmt.Sprintf("body: got %q, want it to contain %q", body, tt.body), body, tt.body)
		})
	}
}
