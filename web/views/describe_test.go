package views

import (
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

func TestDescribeFilter(t *testing.T) {
	names := map[string]string{"abe-shinzo": "Abe Shinzo", "kim-jong-un": "Kim Jong Un"}
	name := func(s string) string { return names[s] }
	tests := []struct {
		f    timeline.Filter
		want string
	}{
		{timeline.Filter{}, "All events"},
		{timeline.Filter{Categories: []timeline.Category{"abduction"}, From: timeline.MustDate("1977"), To: timeline.MustDate("1983")}, "Abduction, 1977–1983"},
		{timeline.Filter{Categories: []timeline.Category{"summit", "negotiation", "agreement"}}, "Summit, Negotiation or Agreement"},
		{timeline.Filter{Actors: []string{"abe-shinzo", "kim-jong-un"}, Tags: []string{"sanctions"}, From: timeline.MustDate("2010")}, "Abe Shinzo and Kim Jong Un, tagged sanctions, from 2010"},
		{timeline.Filter{Query: "拉致", MinSignificance: 3, To: timeline.MustDate("2002-09")}, "“拉致”, major events, until September 2002"},
		{timeline.Filter{From: timeline.MustDate("2014-05"), To: timeline.MustDate("2014-05")}, "May 2014"},
		{timeline.Filter{MinSignificance: 2, From: timeline.MustDate("2014-01"), To: timeline.MustDate("2016-06")}, "Notable and major events, January 2014 – June 2016"},
	}
	for _, tt := range tests {
		if got := DescribeFilter(locales.For("en"), tt.f, name); got != tt.want {
			t.Errorf("DescribeFilter(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}
