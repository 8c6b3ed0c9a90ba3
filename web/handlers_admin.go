package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
	"github.com/japan-dprk/timeline/web/views"
)

func (s *Server) renderUsers(c echo.Context, status int, m views.UsersView) error {
	users, err := s.store.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	me, _ := currentUser(c)
	m.Head, m.Users, m.Me = views.Head{Title: localizer(c).T("user.users")}, users, me.Name
	if m.Role == "" {
		m.Role = timeline.RoleEditor
	}
	return render(c, status, views.UsersPage(m))
}

// GET /admin/users: every account, with forms to add and change them.
func (s *Server) handleUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, views.UsersView{Notice: noticeText(localizer(c), c.QueryParam("done"))})
}

// noticeText is the message shown after a change (a fixed text chosen by
// key, so that a link cannot put words on the page).
func noticeText(l *locales.Localizer, key string) string {
	k, ok := map[string]string{
		"added":    "admin.added",
		"role":     "admin.role_changed",
		"disabled": "admin.disabled_done",
		"enabled":  "admin.enabled_done",
	}[key]
	if !ok {
		return ""
	}
	return l.T(k)
}

// POST /admin/users: adds an account (form fields name, role, password).
func (s *Server) handleUserAdd(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	me, _ := currentUser(c)
	name := strings.TrimSpace(form.Get("name"))
	role := form.Get("role")
	_, err = s.store.CreateUser(c.Request().Context(), name, role, form.Get("password"))
	var ve *timeline.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.renderUsers(c, http.StatusUnprocessableEntity, views.UsersView{Name: name, Role: role, Problems: ve.Problems})
	case errors.Is(err, timeline.ErrExists):
		return s.renderUsers(c, http.StatusUnprocessableEntity, views.UsersView{Name: name, Role: role, Problems: map[string]string{"name": "is already taken"}})
	case err != nil:
		return err
	}
	s.audit(c, timeline.AuditEntry{Actor: me.Name, Action: timeline.AuditUserAdd, Target: name, Detail: "role " + role})
	return redirect(c, http.StatusSeeOther, "/admin/users?done=added")
}

// POST /admin/users/:name/role: changes a role (form field role). Admins
// cannot change their own, so that the last admin cannot lock everyone out
// by accident.
func (s *Server) handleUserRole(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	me, _ := currentUser(c)
	name := c.Param("name")
	if name == me.Name {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "You cannot change your own role: ask another admin.")
	}
	role := form.Get("role")
	if err := s.store.SetUserRole(c.Request().Context(), name, role); err != nil {
		var ve *timeline.ValidationError
		if errors.As(err, &ve) {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, "role: must be editor or admin")
		}
		return err
	}
	s.audit(c, timeline.AuditEntry{Actor: me.Name, Action: timeline.AuditUserRole, Target: name, Detail: "role " + role})
	return redirect(c, http.StatusSeeOther, "/admin/users?done=role")
}

// POST /admin/users/:name/disable and /enable: disabling ends the user's
// sessions at once.
func (s *Server) handleUserDisabled(disabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		me, _ := currentUser(c)
		name := c.Param("name")
		if name == me.Name {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, "You cannot disable your own account.")
		}
		if err := s.store.SetUserDisabled(c.Request().Context(), name, disabled); err != nil {
			return err
		}
		action, done := timeline.AuditUserEnable, "enabled"
		if disabled {
			action, done = timeline.AuditUserDisable, "disabled"
		}
		s.audit(c, timeline.AuditEntry{Actor: me.Name, Action: action, Target: name})
		return redirect(c, http.StatusSeeOther, "/admin/users?done="+done)
	}
}

// GET /admin/audit: the audit log, newest first, 100 entries a page
// (?before=ID for older ones).
func (s *Server) handleAudit(c echo.Context) error {
	var before int64
	if b := c.QueryParam("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 1 {
			return echo.NewHTTPError(http.StatusBadRequest, "before: must be a positive entry number")
		}
		before = n
	}
	const pageSize = 100
	entries, err := s.store.AuditLog(c.Request().Context(), before, pageSize)
	if err != nil {
		return err
	}
	m := views.AuditView{Head: views.Head{Title: localizer(c).T("user.audit")}, Entries: entries}
	if len(entries) == pageSize {
		m.Older = "/admin/audit?before=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	return render(c, http.StatusOK, views.AuditPage(m))
}

// GET /admin/deleted: deleted events, for editors to find and restore.
func (s *Server) handleDeleted(c echo.Context) error {
	evs, err := s.store.DeletedEvents(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.DeletedPage(views.DeletedView{Head: views.Head{Title: localizer(c).T("hist.deleted_events")}, Events: evs}))
}
