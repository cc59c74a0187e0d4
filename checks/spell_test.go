package checks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The typo detector beside the correct text it must leave alone: each
// wrong sentence with its corrected form, then the traps — names, places,
// quotations, rare but correct words.
func TestSuspectTypos(t *testing.T) {
	def := corpusRules(t)
	tests := []struct {
		text, wrong, right string // wrong "" when nothing must be found
	}{
		{"要抓住关健环节，压实工作责任。", "关健", "关键"},
		{"要抓住关键环节，压实工作责任。", "", ""},
		{"确保信号全面复盖全区行政村。", "复盖", "覆盖"},
		{"确保信号全面覆盖全区行政村。", "", ""},
		{"深入了解群众生产生活清况。", "清况", "情况"},
		{"深入了解群众生产生活情况。", "", ""},
		{"内蒙古自治区乌兰察布市大力培育发展大数局产业。", "数局", "数据"},
		{"内蒙古自治区乌兰察布市大力培育发展大数据产业。", "", ""},
		{"一旦发现火情，立即报告。", "", ""},
		{"区财政局已下达专项拨款。", "", ""},
		{"这些成绩，是在极为复杂严峻的国际环境中取得的。", "", ""},
		{"一是着力稳增长，二是着力调结构。", "", ""},
		{"机关健身活动中心今日开放。", "", ""},
		// Names, places, quotations.
		{"王健同志任区民政局局长。", "", ""},
		{"副区长程立同志出席会议。", "", ""},
		{"何建义的职务已调整。", "", ""},
		{"授予赵永吉等49名同志警衔。", "", ""},
		{"白宫发言人麦柯里27日在此间举行新闻发布会。", "", ""},
		{"他决定到下叔村看一看。", "", ""},
		{"跨度为1991米的明石海峡大桥。", "", ""},
		{"有的企业成了某个行业的“一霸”。", "", ""},
	}
	for _, tt := range tests {
		var got []Finding
		for _, f := range Wording(tt.text, "x", time.Time{}, def) {
			if f.Rule == RuleSuspectTypo {
				got = append(got, f)
			}
		}
		switch {
		case tt.wrong == "" && len(got) > 0:
			t.Errorf("%s: flagged %q", tt.text, got[0].Message)
		case tt.wrong != "" && len(got) != 1:
			t.Errorf("%s: %d findings, want %s → %s", tt.text, len(got), tt.wrong, tt.right)
		case tt.wrong != "" && !strings.Contains(got[0].Message, "“"+tt.wrong+"”可能应为“"+tt.right+"”"):
			t.Errorf("%s: %s, want %s → %s", tt.text, got[0].Message, tt.wrong, tt.right)
		}
	}
	// Staff who lower the confidence see more; 0 turns the detector off.
	low := *def
	low.Suspect.Confidence = 0.5
	if fs := Wording("发展大数局产业。", "x", time.Time{}, &low); len(fs) != 1 {
		t.Errorf("confidence 0.5: %+v", fs)
	}
	quiet := *def
	quiet.Suspect.Confidence = 0
	if fs := Wording("要抓住关健环节。", "x", time.Time{}, &quiet); len(fs) != 0 {
		t.Errorf("confidence 0: %+v", fs)
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
