package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// clientError is a failure as the client is told it: a status, a stable
// code (for the JSON API), a title (for the page), a message safe to show
// and, for bad input, the problem of each field. Handlers return one when
// they know exactly what to say; errorFor makes one from any other error.
type clientError struct {
	Status  int
	Code    string
	Title   string
	Message string
	Fields  map[string]string
}

func (e *clientError) Error() string { return e.Message }

func newClientError(status int, msg string, fields map[string]string) *clientError {
	return &clientError{Status: status, Message: msg, Fields: fields}
}

// invalid turns a validation error into a client error with the given
// status (400 for query parameters, 422 for a request body).
func invalid(status int, ve *timeline.ValidationError) *clientError {
	return newClientError(status, ve.Error(), ve.Problems)
}

// Messages for the errors every renderer shares.
const (
	msgNotFound = "There is no page at this address. The event may have been renamed or removed."
	msgConflict = "This was changed by someone else since you read it: load it again and reapply your change."
	msgExists   = "Something of that name exists already."
	msgTooSlow  = "This request took too long and was stopped. Try narrowing it."
	msgInternal = "The server could not answer this request. Please try again."
	msgFull     = "The server's disk is full: writes are paused until space is freed; reads still work."
	msgCorrupt  = "The server's database is damaged, so this could not be read; the operator has been told."
	// msgCrossOrigin and msgReadOnly are the middleware's refusals.
	msgCrossOrigin = "This request came from another site and was refused. Send the form from this site's own pages."
	msgReadOnly    = "This is a read-only copy of the chronology: sign in and make changes on the primary."
)

// errorFor is the one table from errors to what the client is told (as
// wtf's http.ErrorStatusCode is): domain errors by type or sentinel, never
// by their text. Anything it does not know is a 500 that says nothing of
// the cause; internal reports that, so that the cause is logged.
func errorFor(err error) (ce *clientError, internal bool) {
	var he *echo.HTTPError
	var ve *timeline.ValidationError
	switch {
	case errors.As(err, &ce):
		ce = &clientError{Status: ce.Status, Code: ce.Code, Title: ce.Title, Message: ce.Message, Fields: ce.Fields}
	case errors.As(err, &he):
		ce = &clientError{Status: he.Code, Message: http.StatusText(he.Code)}
		if m, ok := he.Message.(string); ok {
			ce.Message = m
		}
		if he.Code == http.StatusNotFound {
			ce.Title, ce.Message = "Page not found", msgNotFound
		}
	case errors.As(err, &ve):
		ce = &clientError{Status: http.StatusBadRequest, Title: "Bad request", Message: ve.Error(), Fields: ve.Problems}
	case errors.Is(err, timeline.ErrNotFound):
		ce = &clientError{Status: http.StatusNotFound, Title: "Page not found", Message: msgNotFound}
	case errors.Is(err, timeline.ErrConflict):
		ce = &clientError{Status: http.StatusConflict, Message: msgConflict}
	case errors.Is(err, timeline.ErrExists):
		ce = &clientError{Status: http.StatusConflict, Message: msgExists}
	case errors.Is(err, context.DeadlineExceeded):
		ce = &clientError{Status: http.StatusServiceUnavailable, Title: "Too slow", Message: msgTooSlow}
	case errors.Is(err, timeline.ErrStorageFull):
		ce = &clientError{Status: http.StatusInsufficientStorage, Title: "Writes are paused", Message: msgFull}
	case errors.Is(err, timeline.ErrCorrupt):
		ce = &clientError{Status: http.StatusInternalServerError, Title: "Something went wrong", Message: msgCorrupt}
	default:
		return &clientError{Status: http.StatusInternalServerError, Code: errorCodes[500], Title: "Something went wrong", Message: msgInternal}, true
	}
	if ce.Code == "" {
		ce.Code = errorCodes[ce.Status]
	}
	if ce.Code == "" {
		ce.Code = strings.ToLower(strings.ReplaceAll(http.StatusText(ce.Status), " ", "_"))
	}
	if ce.Title == "" {
		ce.Title = http.StatusText(ce.Status)
	}
	return ce, false
}

// errorCodes names each status in JSON error bodies.
var errorCodes = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              "conflict",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusUnprocessableEntity:   "invalid",
	http.StatusServiceUnavailable:    "unavailable",
	http.StatusInternalServerError:   "internal",
	http.StatusInsufficientStorage:   "storage_full",
}

// How a route group wants its errors answered (errorsAs).
type errorForm int

const (
	formatPage errorForm = iota // an HTML page (the default)
	formatJSON                  // the JSON API's {"error": …}
	formatText                  // one line of plain text (exports)
)

// errorFormKey is where errorsAs leaves the form in the echo.Context.
const errorFormKey = "timeline.errors"

// errorsAs makes the error handler answer the group's errors in form f.
func errorsAs(f errorForm) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(errorFormKey, f)
			return next(c)
		}
	}
}

// errorFormat is how the request's errors are answered.
func errorFormat(c echo.Context) errorForm {
	f, _ := c.Get(errorFormKey).(errorForm)
	return f
}

// handleError is the one place that turns an error into a response, in
// the form the route's group asked for (jsonErrors, textErrors) or as a
// page: users see a safe message and the right status; the log gets the
// real error of a server fault.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	// A driver error may be a fault of the file: the store records it (so
	// that /readyz tells) and names it.
	err = s.store.NoteFault(err)
	ce, internal := errorFor(err)
	switch {
	case errors.Is(err, timeline.ErrCorrupt):
		s.log.Error("database corruption", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	case errors.Is(err, timeline.ErrStorageFull):
		// Not logged per request: serve's fault watch says it once a minute.
	case internal || ce.Status >= 500:
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "status", ce.Status, "err", err)
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(ce.Status)
		return
	}
	var werr error
	switch errorFormat(c) {
	case formatJSON:
		werr = writeJSONError(c, ce)
	case formatText:
		werr = c.String(ce.Status, ce.textLine())
	default:
		werr = render(c, ce.Status, views.ErrorPage(errorView(localizer(c), ce)))
	}
	if werr != nil {
		s.log.Error("write error response", "err", werr)
	}
}

// writeJSONError answers {"error": {"code", "message", "fields"}}.
func writeJSONError(c echo.Context, ce *clientError) error {
	body := map[string]any{"code": ce.Code, "message": ce.Message}
	if len(ce.Fields) > 0 {
		body["fields"] = ce.Fields
	}
	return c.JSON(ce.Status, map[string]any{"error": body})
}

// textLine is the error as one line of plain text: "400 Bad request: …".
func (e *clientError) textLine() string {
	return strconv.Itoa(e.Status) + " " + e.Title + ": " + e.Message + "\n"
}
