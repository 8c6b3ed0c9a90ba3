package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/web/locales"
)

// langCookie remembers the language a reader chose with the switcher; with
// it, / never redirects by Accept-Language.
const langCookie = "timeline_lang"

// language reads the interface language from the path's prefix (/ja/…,
// /ko/…; none is English), takes the prefix off so that one route table
// serves all three, and puts the request's localizer in its context, where
// handlers and templ components find it (localizer, locales.From). Only /
// redirects by Accept-Language, and only a reader who has not chosen a
// language with the switcher; its answers vary on both.
func (s *Server) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		lang, rest := locales.Split(r.URL.Path)
		if rest == "" { // "/ja": the language's home is "/ja/"
			return c.Redirect(http.StatusMovedPermanently, locales.PathIn(lang, "/"))
		}
		if lang != "en" {
			r.URL.Path = rest
			if r.URL.RawPath != "" {
				_, r.URL.RawPath = locales.Split(r.URL.RawPath)
			}
		} else if r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			c.Response().Header().Add("Vary", "Accept-Language, Cookie")
			if _, err := r.Cookie(langCookie); err != nil {
				if want := locales.Match(r.Header.Get("Accept-Language")); want != "en" {
					c.Response().Header().Set("Cache-Control", "private, no-store")
					return c.Redirect(http.StatusFound, locales.PathIn(want, r.URL.RequestURI()))
				}
			}
		}
		l := locales.For(lang).At(r.URL.RequestURI(), s.cfg.BaseURL)
		c.SetRequest(r.WithContext(locales.NewContext(r.Context(), l)))
		return next(c)
	}
}

// localizer is the request's localizer.
func localizer(c echo.Context) *locales.Localizer { return locales.From(c.Request().Context()) }

// redirect answers with a redirect to path (a path of the site) in the
// request's language (a path that names a language keeps it).
func redirect(c echo.Context, status int, path string) error {
	if lang, rest := locales.Split(path); lang != "en" && rest != "" {
		return c.Redirect(status, path)
	}
	return c.Redirect(status, localizer(c).Path(path))
}

// handleLanguage (POST /lang) is the language switcher: it remembers the
// chosen language for a year and goes to the view the reader was reading
// (next, a path of the site without a language prefix) in that language.
func (s *Server) handleLanguage(c echo.Context) error {
	lang := c.FormValue("lang")
	if !locales.Valid(lang) {
		return newClientError(http.StatusBadRequest, localizer(c).T("err.lang"), map[string]string{"lang": localizer(c).T("err.lang")})
	}
	next := c.FormValue("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		next = "/"
	}
	if _, rest := locales.Split(next); rest != "" {
		next = rest
	}
	http.SetCookie(c.Response(), &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	return c.Redirect(http.StatusSeeOther, locales.PathIn(lang, next))
}
