package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/japan-dprk/timeline/web/locales"
	"github.com/japan-dprk/timeline/web/views"
)

// errorTitleKeys are the catalog keys of the error pages' titles, by status.
var errorTitleKeys = map[int]string{
	http.StatusBadRequest:            "err.title.400",
	http.StatusUnauthorized:          "err.title.401",
	http.StatusForbidden:             "err.title.403",
	http.StatusNotFound:              "err.title.404",
	http.StatusMethodNotAllowed:      "err.title.405",
	http.StatusConflict:              "err.title.409",
	http.StatusRequestEntityTooLarge: "err.title.413",
	http.StatusUnsupportedMediaType:  "err.title.415",
	http.StatusUnprocessableEntity:   "err.title.422",
	http.StatusTooManyRequests:       "err.title.429",
	http.StatusInternalServerError:   "err.title.500",
	http.StatusServiceUnavailable:    "err.title.503",
	http.StatusInsufficientStorage:   "err.title.507",
}

// errorMessageKeys are the catalog keys of the messages errorFor and the
// middleware give, by their English text.
var errorMessageKeys = map[string]string{
	msgNotFound:    "err.not_found",
	msgConflict:    "err.conflict",
	msgExists:      "err.exists",
	msgTooSlow:     "err.too_slow",
	msgInternal:    "err.internal",
	msgFull:        "err.full",
	msgCorrupt:     "err.corrupt",
	msgCrossOrigin: "err.cross_origin",
	msgReadOnly:    "err.read_only",
}

// errorView is ce as an error page in l's language: the title by status,
// a known message translated, the problems of each parameter listed, and
// any other message (a rule from the data) kept, marked as English.
func errorView(l *locales.Localizer, ce *clientError) views.ErrorView {
	v := views.ErrorView{Status: ce.Status, Title: ce.Title, Message: ce.Message}
	if k, ok := errorTitleKeys[ce.Status]; ok {
		v.Title = l.T(k)
	}
	switch k, ok := errorMessageKeys[ce.Message]; {
	case ok:
		v.Message = l.T(k)
	case ce.Message == http.StatusText(ce.Status):
		v.Message = v.Title
	case len(ce.Fields) > 0 && l.Lang != "en":
		v.Message = l.T("err.fields")
		keys := make([]string, 0, len(ce.Fields))
		for k := range ce.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			pr := views.ProblemIn(l, ce.Fields[k])
			p := views.ProblemLink{Label: views.ParamLabel(l, k), Problem: pr.Text}
			if pr.Lang != l.Lang {
				p.Lang = pr.Lang
			}
			v.Problems = append(v.Problems, p)
		}
	case l.Lang != "en":
		v.MessageLang = "en"
	}
	v.Head = views.Head{Title: v.Title}
	v.Message = strings.TrimSpace(v.Message)
	return v
}
