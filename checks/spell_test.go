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
		{"深入了解群众生产生活清况。", "清况", "情况"},
		{"深入了解群众生产生活情况。", "", ""},
		{"内蒙古自治区乌兰察布市大力培育发展大数局产业。", "数局", "数据"},
		{"内蒙古自治区乌兰察布市大力培育发展大数据产业。", "", ""},
		{"一旦发现火情，立即报告。", "", ""},
		{"区财政局已下达专项拨款。", "", ""},
		{"这些成绩，是在极为复杂严峻的国际环境中取得的。", "", ""},
		{"一是着力稳增长，二是着力调结构。", "", ""},
		{"机关健身活动中心今日开放。", "", ""},
		{"各街道要加强巡查，及时消除安全引患。", "引患", "隐患"},
		{"各街道要加强巡查，及时消除安全隐患。", "", ""},
		{"进一步优化营商环竟，激发市场主体活力。", "环竟", "环境"},
		{"进一步优化营商环境，激发市场主体活力。", "", ""},
		{"加快推进项目建设近度，确保年底前完工。", "近度", "进度"},
		{"加快推进项目建设进度，确保年底前完工。", "", ""},
		{"切实保障群众的合法权易。", "权易", "权益"},
		{"切实保障群众的合法权益。", "", ""},
		{"加强对重点人群的健康监测，落实各项防控措失。", "措失", "措施"},
		{"加强对重点人群的健康监测，落实各项防控措施。", "", ""},
		// Names, places, quotations.
		{"王健同志任区民政局局长。", "", ""},
		{"副区长程立同志出席会议。", "", ""},
		{"何建义的职务已调整。", "", ""},
		{"授予赵永吉等49名同志警衔。", "", ""},
		{"白宫发言人麦柯里27日在此间举行新闻发布会。", "", ""},
		{"他决定到下叔村看一看。", "", ""},
		{"跨度为1991米的明石海峡大桥。", "", ""},
		{"有的企业成了某个行业的“一霸”。", "", ""},
		{`有的企业成了某个行业的"一霸"。`, "", ""},
		{`他说"好"，要及时消除安全引患。`, "引患", "隐患"}, // after a closed ASCII quotation
	}
	for _, tt := range tests {
		// The detector alone: a rule list may know the same slip.
		got := suspects(tt.text, def)
		switch {
		case tt.wrong == "" && len(got) > 0:
			t.Errorf("%s: flagged %s → %s (%.3f)", tt.text, got[0].wrong, got[0].right, got[0].confidence)
		case tt.wrong != "" && len(got) != 1:
			t.Errorf("%s: %d findings, want %s → %s", tt.text, len(got), tt.wrong, tt.right)
		case tt.wrong != "" && (got[0].wrong != tt.wrong || got[0].right != tt.right):
			t.Errorf("%s: %s → %s, want %s → %s", tt.text, got[0].wrong, got[0].right, tt.wrong, tt.right)
		}
	}
	// The finding staff read.
	f := suspectFinding("消除安全引患。", "x", suspects("消除安全引患。", def)[0], def)
	if f.Rule != RuleSuspectTypo || !f.Suspected || !strings.HasPrefix(f.Message, "疑似错别字：“引患”可能应为“隐患”（置信度 9") {
		t.Errorf("%+v", f)
	}
	// Staff who lower the confidence see more; 0 turns the detector off.
	low := *def
	low.Suspect.Confidence = 0.5
	if got := suspects("发展大数局产业。", &low); len(got) != 1 {
		t.Errorf("confidence 0.5: %+v", got)
	}
	quiet := *def
	quiet.Suspect.Confidence = 0
	if got := suspects("要抓住关健环节。", &quiet); len(got) != 0 {
		t.Errorf("confidence 0: %+v", got)
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

// BenchmarkWordingSlips is a hostile page: one run of 32,000 characters
// without punctuation, a slip every 8 — every candidate weighed and
// reported (the detector once spent 50 s here: it segmented the whole run
// for each slip).
func BenchmarkWordingSlips(b *testing.B) {
	set := corpusRules(b)
	text := strings.Repeat("及时消除安全引患", 4000)
	b.SetBytes(int64(len(text)))
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
