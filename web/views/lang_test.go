package views

import (
	"reflect"
	"testing"
)

func TestLangRuns(t *testing.T) {
	tests := []struct {
		in   string
		want []LangRun
	}{
		{"", nil},
		{"Koizumi visits Pyongyang", []LangRun{{"Koizumi visits Pyongyang", ""}}},
		{"Kōno Yōhei — “Sin Kwang Su”, 1985", []LangRun{{"Kōno Yōhei — “Sin Kwang Su”, 1985", ""}}},
		{"ᄀ", []LangRun{{"ᄀ", "ko"}}},
		{"@[`{ 拉致", []LangRun{{"@[`{ ", ""}, {"拉致", "ja"}}},
		{"日朝首脳会談", []LangRun{{"日朝首脳会談", "ja"}}},
		{"Events in which Koizumi Junichiro (고이즈미 준이치로) took part.",
			[]LangRun{{"Events in which Koizumi Junichiro (", ""}, {"고이즈미 준이치로", "ko"}, {") took part.", ""}}},
		{"Tokyo Metropolitan Government, “政府・救う会認定計24人の拉致被害者（発生順）”. https://example.org/",
			[]LangRun{{"Tokyo Metropolitan Government, “", ""}, {"政府・救う会認定計24人の拉致被害者（発生順）", "ja"}, {"”. https://example.org/", ""}}},
		{"전인철, '이은혜 문제 철회 않으면 교섭 1년 중단도 불사' (Kyodo interview)",
			[]LangRun{{"전인철, '이은혜 문제 철회 않으면 교섭 1년 중단도 불사", "ko"}, {"' (Kyodo interview)", ""}}},
		{"拉致, 납치", []LangRun{{"拉致", "ja"}, {", ", ""}, {"납치", "ko"}}},
		{"北核 문제", []LangRun{{"北核 문제", "ko"}}},
		{"Search: “拉致”", []LangRun{{"Search: “", ""}, {"拉致", "ja"}, {"”", ""}}},
	}
	for _, tt := range tests {
		if got := LangRuns(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("LangRuns(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
