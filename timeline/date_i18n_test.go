package timeline

import "testing"

func TestFormatSpanIn(t *testing.T) {
	ja := DateStyle{Lang: "ja"}
	jaEra := DateStyle{Lang: "ja", Era: true}
	ko := DateStyle{Lang: "ko"}
	en := DateStyle{Lang: "en"}
	tests := []struct {
		name       string
		st         DateStyle
		start, end string
		approx     bool
		want       string
	}{
		{"ja day", ja, "2002-09-17", "", false, "2002年9月17日"},
		{"ja month", ja, "2014-05", "", false, "2014年5月"},
		{"ja year", ja, "1978", "", false, "1978年"},
		{"ja about a year", ja, "1980", "", true, "1980年頃"},
		{"ja about a day", ja, "2002-09-17", "", true, "2002年9月17日頃"},
		{"ja days in a month", ja, "2014-05-26", "2014-05-28", false, "2014年5月26日〜28日"},
		{"ja days across months", ja, "2014-05-26", "2014-06-02", false, "2014年5月26日〜6月2日"},
		{"ja months in a year", ja, "2014-05", "2014-08", false, "2014年5月〜8月"},
		{"ja months across years", ja, "2014-05", "2016-02", false, "2014年5月〜2016年2月"},
		{"ja days across years", ja, "2014-12-30", "2015-01-02", false, "2014年12月30日〜2015年1月2日"},
		{"ja years", ja, "1980", "1985", false, "1980年〜1985年"},
		{"ja decade", ja, "1980", "1989", false, "1980年代"},
		{"ja about a decade", ja, "1980", "1989", true, "1980年代頃"},
		{"ja not a decade", ja, "1981", "1990", false, "1981年〜1990年"},
		{"ja mixed precision", ja, "2014", "2016-02", false, "2014年〜2016年2月"},
		{"ja end equal", ja, "2002-09-17", "2002-09-17", false, "2002年9月17日"},
		{"ja empty", ja, "", "", false, ""},
		{"ja era day", jaEra, "2002-09-17", "", false, "2002年（平成14年）9月17日"},
		{"ja era month", jaEra, "2024-01", "", false, "2024年（令和6年）1月"},
		{"ja era year of two eras", jaEra, "1989", "", false, "1989年（昭和64年・平成元年）"},
		{"ja era first day", jaEra, "1989-01-08", "", false, "1989年（平成元年）1月8日"},
		{"ja era last day", jaEra, "1989-01-07", "", false, "1989年（昭和64年）1月7日"},
		{"ja era days in a month", jaEra, "2014-05-26", "2014-05-28", false, "2014年（平成26年）5月26日〜28日"},
		{"ja era across eras", jaEra, "2019-04", "2019-06", false, "2019年（平成31年）4月〜6月"},
		{"ja era across years", jaEra, "2014-05", "2016-02", false, "2014年（平成26年）5月〜2016年（平成28年）2月"},
		{"ja era before the reform", jaEra, "1872-05-01", "", false, "1872年5月1日"},
		{"ja era before 明治", jaEra, "1850", "", false, "1850年"},
		{"ko day", ko, "2002-09-17", "", false, "2002년 9월 17일"},
		{"ko month", ko, "2014-05", "", false, "2014년 5월"},
		{"ko year", ko, "1978", "", false, "1978년"},
		{"ko about a year", ko, "1980", "", true, "1980년경"},
		{"ko days in a month", ko, "2014-05-26", "2014-05-28", false, "2014년 5월 26~28일"},
		{"ko days across months", ko, "2014-05-26", "2014-06-02", false, "2014년 5월 26일~6월 2일"},
		{"ko months in a year", ko, "2014-05", "2014-08", false, "2014년 5~8월"},
		{"ko months across years", ko, "2014-05", "2016-02", false, "2014년 5월~2016년 2월"},
		{"ko years", ko, "1980", "1985", false, "1980년~1985년"},
		{"ko decade", ko, "1980", "1989", false, "1980년대"},
		{"ko era ignored", DateStyle{Lang: "ko", Era: true}, "2002-09-17", "", false, "2002년 9월 17일"},
		{"en as FormatSpan", en, "2014-05-26", "2014-05-28", true, "c. 26–28 May 2014"},
		{"unknown language is English", DateStyle{Lang: "fr"}, "2014-05", "", false, "May 2014"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var start, end Date
			if tt.start != "" {
				start = MustDate(tt.start)
			}
			if tt.end != "" {
				end = MustDate(tt.end)
			}
			if tt.approx {
				start, end = start.WithQual(QualApproximate), end.WithQual(QualApproximate)
			}
			if got := FormatSpanIn(tt.st, start, end); got != tt.want {
				t.Errorf("FormatSpanIn(%+v, %s, %s, %v) = %q, want %q", tt.st, tt.start, tt.end, tt.approx, got, tt.want)
			}
			if tt.end == "" && !tt.approx {
				if got := start.FormatIn(tt.st); got != tt.want {
					t.Errorf("FormatIn(%+v) = %q, want %q", tt.st, got, tt.want)
				}
			}
		})
	}
}
