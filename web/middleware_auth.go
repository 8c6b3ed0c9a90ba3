package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
)

// requireEditor lets through signed-in editors and admins. Anonymous page
// requests are sent to the login page (303, coming back to the page after);
// other anonymous requests get 401.
func (s *Server) requireEditor(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, ok := currentUser(c)
		if !ok {
			return s.refuseAnonymous(c)
		}
		if u.Role != timeline.RoleEditor && u.Role != timeline.RoleAdmin {
			return s.refuse(c, u, "needs the editor role")
		}
		return next(c)
	}
}

// requireAdmin lets through signed-in admins only; anonymous requests are
// treated as by requireEditor, editors get 403 (and an audit entry).
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, ok := currentUser(c)
		if !ok {
			return s.refuseAnonymous(c)
		}
		if !u.IsAdmin() {
			return s.refuse(c, u, "needs the admin role")
		}
		return next(c)
	}
}

// requireToken signs in a JSON API request by its "Authorization: Bearer
// TOKEN" header, and answers 401 with a JSON error otherwise. The user is
// then available through currentUser.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		scheme, token, _ := strings.Cut(c.Request().Header.Get("Authorization"), " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return unauthorizedJSON(c, "this request needs an API token: send Authorization: Bearer TOKEN")
		}
		u, err := s.store.TokenUser(c.Request().Context(), token)
		if errors.Is(err, timeline.ErrNotFound) {
			return unauthorizedJSON(c, "the API token is unknown, revoked, or its user is disabled")
		} else if err != nil {
			return err
		}
		setCurrentUser(c, u)
		return next(c)
	}
}

func unauthorizedJSON(c echo.Context, msg string) error {
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="timeline"`)
	return writeJSONError(c, &clientError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: msg})
}

// refuseAnonymous answers a request that needs a signed-in user.
func (s *Server) refuseAnonymous(c echo.Context) error {
	if isPageRequest(c) {
		target := "/login"
		if r := c.Request(); r.Method == http.MethodGet {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		return redirect(c, http.StatusSeeOther, target)
	}
	if wantsJSON(c) {
		return unauthorizedJSON(c, "sign in first")
	}
	return c.String(http.StatusUnauthorized, "401 Unauthorized: sign in first\n")
}

// refuse answers 403 to a signed-in user who lacks a permission, and
// records it.
func (s *Server) refuse(c echo.Context, u timeline.User, why string) error {
	s.audit(c, timeline.AuditEntry{Actor: u.Name, Action: timeline.AuditRefused, Target: c.Request().Method + " " + c.Request().URL.Path, Detail: why})
	if wantsJSON(c) {
		return writeJSONError(c, &clientError{Status: http.StatusForbidden, Code: "forbidden", Message: "your account " + why})
	}
	return echo.NewHTTPError(http.StatusForbidden, "Your account "+why+" to do this.")
}
