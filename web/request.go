package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// userKey is where the signed-in user is kept in the echo.Context.
const userKey = "timeline.user"

// currentUser returns the user signed in by session cookie or API token,
// if any.
func currentUser(c echo.Context) (timeline.User, bool) {
	u, ok := c.Get(userKey).(timeline.User)
	return u, ok
}

// setCurrentUser records u for the handlers (currentUser) and for the
// templates (views.UserFromContext).
func setCurrentUser(c echo.Context, u timeline.User) {
	c.Set(userKey, u)
	r := c.Request()
	c.SetRequest(r.WithContext(views.WithUser(r.Context(), views.SignedIn{Name: u.Name, Admin: u.IsAdmin()})))
}

// isPageRequest reports whether a browser asked for a page (and so should
// be sent to the login page rather than given a bare 401).
func isPageRequest(c echo.Context) bool {
	r := c.Request()
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return !wantsJSON(c)
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// wantsJSON reports whether errors should be answered in JSON: on the
// API's routes (jsonErrors), or when the client asks for JSON.
func wantsJSON(c echo.Context) bool {
	return isAPI(c) || strings.Contains(c.Request().Header.Get("Accept"), "application/json")
}

// isAPI reports whether the request was routed to the JSON API.
func isAPI(c echo.Context) bool { return errorFormat(c) == formatJSON }

// isPartial reports whether the request is an htmx request for a fragment
// (not a history restore, which needs the whole page).
func isPartial(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-History-Restore-Request") != "true"
}
