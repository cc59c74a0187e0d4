package checks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xunjian/xunjian/rules"
)

func ruleSet(t testing.TB) *rules.Set {
	t.Helper()
	s, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWording(t *testing.T) {
	set := ruleSet(t)
	y2026 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	y2017 := time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		text      string
		published time.Time
		want      string // category:evidence-substring, "" for none
	}{
		{"typo", "督促重点企业按装视频监控。", y2026, "typo:按装视频"},
		{"typo inside a correct longer word", "按装修标准验收。", y2026, ""},
		{"既使 as 即使", "既使在节假日期间也要值守。", y2026, ""}, // 既使…也: could be 即使, but 既…也 is correct too: quiet
		{"既使 alone", "既使困难再大，我们必须完成。", y2026, "typo:既使"},
		{"既使…又 construction", "既使企业受益，又让群众满意。", y2026, ""},
		{"correct form", "再接再厉，一如既往地做好工作。", y2026, ""},
		{"idiom typo", "全区干部再接再励，奋勇争先。", y2026, "typo:再接再励"},
		{"serious error", "贯彻落实《中华人民共合国安全生产法》", y2026, "serious_error:中华人民共合国"},
		{"correct country name", "《中华人民共和国安全生产法》", y2026, ""},
		{"renamed institution cited as current", "按照国家工商行政管理总局有关规定办理。", y2026, "obsolete_name:国家工商行政管理总局"},
		{"with 原: history", "原国家工商行政管理总局的职责划入国家市场监督管理总局。", y2026, ""},
		{"with 原 after a comma in the window: history", "11月15日，在原区安监局办公楼改造项目现场调研。", y2026, ""},
		{"a foreign ministry is no Chinese organ", "美国农业部发布报告，印尼农业部长表示，法国文化部长访华。", y2026, ""},
		{"a foreign ministry with 的", "据美国的农业部统计。", y2026, ""},
		{"a Chinese organ after a foreign one", "美国农业部发布报告。根据农业部有关要求办理。", y2026, "obsolete_name:根据农业部"},
		{"in a document before the reform", "按照国家工商行政管理总局有关规定办理。", y2017, ""},
		{"page without a date: not judged", "按照国家工商行政管理总局有关规定办理。", time.Time{}, ""},
		{"the reform itself", "组建国家市场监督管理总局，不再保留国家工商行政管理总局。", y2026, ""},
		{"the reform with a typo in 不再保留 stays the reform", "组建国家市场监督管理总局，不再保流国家工商行政管理总局。", y2026, ""},
		{"卫生部门 is no 卫生部", "各级卫生部门要加强监管。", y2026, ""},
		{"监察部门 is no 监察部", "纪检监察部门要加强监督。", y2026, ""},
		{"district bureau", "区安监局通报了检查情况。", y2026, "obsolete_name:区安监局"},
		{"repealed law cited", "合同争议依照《中华人民共和国合同法》处理。", y2026, "obsolete_name:《中华人民共和国合同法》"},
		{"short title", "依照《合同法》处理。", y2026, "obsolete_name:《合同法》"},
		{"劳动合同法 is in force", "依照《劳动合同法》处理。", y2026, ""},
		{"repeal clause", "本法自2021年1月1日起施行。《中华人民共和国合同法》同时废止。", y2026, ""},
		{"law before its repeal", "依照《合同法》处理。", y2017, ""},
		{"cautioned wording", "与北朝鲜开展贸易。", y2026, "sensitive_word:北朝鲜"},
		{"recommended form", "与朝鲜开展贸易，帮扶残疾人。", y2026, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Wording(tt.text, "http://x/", tt.published, set)
			if tt.want == "" {
				if len(fs) != 0 {
					t.Errorf("false alarm: %+v", fs)
				}
				return
			}
			cat, ev, _ := strings.Cut(tt.want, ":")
			if len(fs) != 1 || string(fs[0].Category) != cat || !strings.Contains(fs[0].Evidence, ev) || fs[0].Version != set.Version {
				t.Errorf("got %+v, want %s", fs, tt.want)
			}
		})
	}
}

func TestWording_Allowlist(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "allow.tsv"), []byte("按装\thttp://x/a.html\n"), 0o644)
	set, err := rules.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fs := Wording("按装监控", "http://x/a.html", now, set); len(fs) != 0 {
		t.Errorf("allowlisted on this page: %+v", fs)
	}
	if fs := Wording("按装监控", "http://x/b.html", now, set); len(fs) != 1 {
		t.Errorf("only that page is allowlisted: %+v", fs)
	}
}

// TestLawTexts_NoOldNamesAsCurrent: 20 laws and regulations in force name
// repealed laws only in repeal clauses and renamed bodies only in longer
// valid names; judged as of today, none may be reported.
func TestLawTexts_NoOldNamesAsCurrent(t *testing.T) {
	set := ruleSet(t)
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", "lawrefbook_sample.md"))
	if err != nil {
		t.Fatal(err)
	}
	fs := Wording(string(data), "law", now, set)
	for _, f := range fs {
		t.Logf("%s %q", f.Rule, f.Evidence)
	}
	if len(fs) > 0 {
		t.Errorf("%d findings in %d characters of law texts in force", len(fs), utf8.RuneCount(data))
	}
}
