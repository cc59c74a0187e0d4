package checks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/rules"
)

// The typo detector beside the correct text it must leave alone.
func TestSuspectTypos(t *testing.T) {
	def := corpusRules(t)
	low := *def
	low.Suspect.Margin = 8 // staff lowered the threshold: more found, more to review
	tests := []struct {
		text, wrong string // wrong "" when nothing must be found
		lowOnly     bool   // found only with the lower threshold
	}{
		{"要抓住关健环节，压实工作责任。", "关健", false},
		{"要抓住关键环节，压实工作责任。", "", false},
		{"确保信号全面复盖全区行政村。", "复盖", true},
		{"确保信号全面覆盖全区行政村。", "", false},
		{"一旦发现火情，立即报告。", "", false},
		{"深入了解群众生产生活情况。", "", false},
		{"区财政局已下达专项拨款。", "", false},
		{"这些成绩，是在极为复杂严峻的国际环境中取得的。", "", false}, // 是在: two common words
		{"一是着力稳增长，二是着力调结构。", "", false},
		{"机关健身活动中心今日开放。", "", false}, // 机关 + 健身, not 关健
		{"王健同志任区民政局局长。", "", false},  // a name
		{"副区长程立同志出席会议。", "", false},
		{"何建义的职务已调整。", "", false},
	}
	for _, set := range []*rules.Set{def, &low} {
		for _, tt := range tests {
			var got []string
			for _, f := range Wording(tt.text, "x", time.Time{}, set) {
				if f.Rule == RuleSuspectTypo {
					got = append(got, f.Evidence)
				}
			}
			want := tt.wrong != "" && (set == &low || !tt.lowOnly)
			switch {
			case !want && len(got) > 0:
				t.Errorf("margin %v: %s: flagged %q", set.Suspect.Margin, tt.text, got)
			case want && len(got) != 1:
				t.Errorf("margin %v: %s: %q, want %s", set.Suspect.Margin, tt.text, got, tt.wrong)
			}
		}
	}
	// Off when the configuration says so.
	quiet := *def
	quiet.Suspect.Margin = 0
	if fs := Wording("要抓住关健环节。", "x", time.Time{}, &quiet); len(fs) != 0 {
		t.Errorf("margin 0: %+v", fs)
	}
}

// BenchmarkWording runs every wording check — rules, protected terms'
// near misses and the typo detector — over the government work reports.
func BenchmarkWording(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", "gov_work_reports_2010_2016.txt"))
	if err != nil {
		b.Fatal(err)
	}
	set := corpusRules(b)
	text := string(data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Wording(text, "x", time.Time{}, set)
	}
}

// BenchmarkWordingRoster is the worst case measured: a roster repeating
// 中华人民共和国 on every line, the start of 47 protected law names.
func BenchmarkWordingRoster(b *testing.B) {
	set := corpusRules(b)
	text := strings.Repeat("张三\t男\t中华人民共和国\t汉族\n", 5000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Wording(text, "x", time.Time{}, set)
	}
}
