package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Request body limits (limitBody, per route group). Forms are small;
// imports and the JSON API may send a whole dataset.
const (
	MaxFormBody   = 1 << 20  // 1 MiB
	MaxImportBody = 20 << 20 // 20 MiB
)

// limitBody answers 413 to a body over the limit: at once when
// Content-Length says so, otherwise when reading passes the limit (the read
// fails with a 413 *echo.HTTPError, which ParseForm and c.FormParams pass
// on to the error handler).
func limitBody(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > limit {
				return tooLarge(limit)
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = &limitedBody{rc: http.MaxBytesReader(c.Response(), r.Body, limit), limit: limit}
			}
			return next(c)
		}
	}
}

func tooLarge(limit int64) error {
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than the limit of %d MiB.", limit>>20))
}

// limitedBody turns the *http.MaxBytesError of an over-long body into a
// 413 error that the error handler understands.
type limitedBody struct {
	rc    io.ReadCloser
	limit int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return n, tooLarge(b.limit)
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
