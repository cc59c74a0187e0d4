package checks

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xunjian/xunjian/rules"
)

var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestValidID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true},
		{"110105194912310021", false}, // wrong check character
		{"110105194913310024", false}, // month 13
		{"110105203012310028", false}, // born in the future
		{"910105194912310025", false}, // no such province
		{"11010519491231002", false},
		{"440304199003073913", true},
	}
	for _, tt := range tests {
		if got := ValidID(tt.id, now); got != tt.want {
			t.Errorf("ValidID(%s) = %v", tt.id, got)
		}
	}
}

func TestPersonalData(t *testing.T) {
	tests := []struct {
		name, text string
		rules      []string
		evidence   string
	}{
		{"ID in a 公示 table", "张某 11010519491231002X 保障人数2", []string{RuleIDCard}, "张某 110105********002X 保障人数2"},
		{"ID with a digit check", "身份证号：440304199003073913。", []string{RuleIDCard}, "身份证号：440304********3913。"},
		{"masked ID is fine", "李某 33010619800101**** 139****2222", nil, ""},
		{"masked ID, middle", "110101********1234", nil, ""},
		{"invalid checksum is no ID", "张某 110105194912310022", nil, ""},
		{"index number is no ID", "索引号：113301990000000017", nil, ""},
		{"mobile in a list", "王某 13900001111 城东街道", []string{RuleMobile}, "王某 139****1111 城东街道"},
		{"office landline is public", "联系电话：0571-88880000", nil, ""},
		{"mobile as a contact: for review", "联系人：张科长，手机：13812345678", []string{RuleMobile}, ""},
		{"longer digit runs are no mobile", "流水号 213812345678901", nil, ""},
		{"bank card named", "开户银行卡号：6222020200112233446", []string{RuleBankCard}, "开户银行卡号：6222***********3446"},
		{"long number without a card label", "批次 6222020200112233446", nil, ""},
		{"card failing Luhn", "卡号 6222020200112233445", nil, ""},
		// Table cells are lines (crawler/extract): the label may be the cell
		// before, and a number alone in its cell is shown with that cell.
		{"ID in a cell after a name cell", "张某\n11010519491231002X\n2000", []string{RuleIDCard}, "张某 110105********002X"},
		{"index number in the cell after its label", "索引号\n113301990000000017\n统一社会信用代码\n11330199MB1234567X", nil, ""},
		{"a label cell two lines up does not count", "索引号\n2026-11-20\n11010519491231002X", []string{RuleIDCard}, "2026-11-20 110105********002X"},
		{"numbers in prose", "全年地区生产总值增长5.5%，一般公共预算收入1234567890元。", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := PersonalData(tt.text, "http://x/", now)
			var rules []string
			for _, f := range fs {
				rules = append(rules, f.Rule)
				for _, digits := range []string{"11010519491231002X", "13900001111", "6222020200112233446", "440304199003073913"} {
					if strings.Contains(f.Evidence+f.Message, digits) {
						t.Errorf("the finding republishes %s: %q / %q", digits, f.Evidence, f.Message)
					}
				}
			}
			if strings.Join(rules, ",") != strings.Join(tt.rules, ",") {
				t.Fatalf("rules %v, want %v (%+v)", rules, tt.rules, fs)
			}
			if tt.evidence != "" && fs[0].Evidence != tt.evidence {
				t.Errorf("evidence %q, want %q", fs[0].Evidence, tt.evidence)
			}
		})
	}
	// A number's context never shows a neighbouring number unmasked.
	for _, f := range PersonalData("张某\t11010519491231002X\t13900001111\t2", "http://x/", now) {
		if strings.Contains(f.Evidence, "19491231") || strings.Contains(f.Evidence, "0000111") {
			t.Errorf("evidence %q shows personal data", f.Evidence)
		}
	}
	if fs := PersonalData("联系人：张科长，手机：13812345678", "http://x/", now); len(fs) != 1 || fs[0].Severity != Low {
		t.Errorf("a contact mobile should be a low-severity finding: %+v", fs)
	}
}

func TestPunctuationMarks(t *testing.T) {
	tests := []struct {
		name, text string
		rules      []string
	}{
		{"half-width comma in Chinese", "为贯彻落实安全生产法,确保群众温暖过冬。", []string{RuleHalfWidth}},
		{"half-width colon", "通知如下:一、加强领导。", []string{RuleHalfWidth}},
		{"half-width parentheses", "区安监局(现区应急管理局)通报了问题。", []string{RuleHalfWidth, RuleHalfWidth}},
		{"half-width semicolon at the end of an item", "（一）询问有关情况;\n（二）查阅资料。", nil},
		{"title broken by a line break", "根据《\n中华人民共和国著作权法\n》第五条", nil},
		{"full-width is right", "为贯彻落实安全生产法，确保群众温暖过冬。", nil},
		{"numbers", "全年完成投资1,234.5亿元，增长5.5%。", nil},
		{"English and URLs", "详见 http://www.gov.cn/a,b 和 Hello, world.", nil},
		{"time", "会议于10:30召开。", nil},
		{"unclosed book title", "依据《中华人民共和国安全生产法规定，", []string{RuleUnpaired}},
		{"unopened bracket", "现将有关事项通知如下）：", []string{RuleUnpaired}},
		{"list numbers with a half bracket", "1）加强组织领导。\n2）落实工作责任（试行）。\n一）明确任务。", nil},
		{"paired", "依据《中华人民共和国安全生产法》（2021年修正）和“三同步”要求。", nil},
		{"quotation over paragraphs", "他说：“第一段。\n“第二段。\n“第三段。”", nil},
		{"lone quote: may run on", "他说：“第一段。\n第二段。", nil},
		{"unbalanced quotes in one paragraph", "要落实“三同步”和“放管服要求。", []string{RuleUnpaired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rules []string
			for _, f := range PunctuationMarks(tt.text, "http://x/") {
				rules = append(rules, f.Rule)
			}
			if strings.Join(rules, ",") != strings.Join(tt.rules, ",") {
				t.Errorf("rules %v, want %v", rules, tt.rules)
			}
		})
	}
}

// TestCleanCorpus_FalseAlarms runs the text checks over clean official
// prose: seven government work reports and 4,636 People's Daily sentences.
// Target: at most 1 finding per 100,000 characters; every finding is logged.
// Two more files are measured and logged but not held to the target: the
// policy-title list (its source normalised every full-width bracket to
// half-width: 0 of its 5,608 titles keeps a （, while the published titles use
// （）) and the LawRefBook law texts (their conversion left half-width ; and ( in
// places where the official texts have ； and （).
func TestCleanCorpus_FalseAlarms(t *testing.T) {
	measure := func(name string) (chars int, found []Finding) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("testdata", "corpus", name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		found = append(PersonalData(text, name, now), PunctuationMarks(text, name)...)
		// The corpora's dates are not known: renamed bodies and repealed
		// laws are judged in TestLawTexts_NoOldNamesAsCurrent instead.
		found = append(found, Wording(text, name, time.Time{}, corpusRules(t))...)
		return utf8.RuneCountInString(text), found
	}
	known := knownErrors(t)
	chars, found := 0, 0
	for _, name := range []string{"gov_work_reports_2010_2016.txt", "acc_rmrb_clean_sentences.txt"} {
		n, fs := measure(name)
		chars += n
		for _, f := range fs {
			if slices.ContainsFunc(known[name], func(w string) bool { return strings.Contains(f.Evidence, w) }) {
				t.Logf("%s: an error of the corpus found: %s %q", name, f.Rule, f.Evidence)
				continue
			}
			found++
			t.Logf("%s: %s %q", name, f.Rule, f.Evidence)
		}
	}
	rate := float64(found) / float64(chars) * 100000
	t.Logf("clean prose: %d findings in %d characters = %.2f per 100,000", found, chars, rate)
	if rate > 1 {
		t.Errorf("%.2f false alarms per 100,000 characters, target ≤ 1", rate)
	}
	for _, name := range []string{"ecspell_policy_regulation_titles.txt", "lawrefbook_sample.md"} {
		n, fs := measure(name)
		byRule := map[string]int{}
		for _, f := range fs {
			byRule[f.Rule]++
		}
		t.Logf("%s: %d findings in %d characters %v", name, len(fs), n, byRule)
	}
}

// knownErrors are the errors of the clean corpora themselves
// (testdata/corpus/KNOWN_ERRORS.tsv): file → wrong forms.
func knownErrors(t *testing.T) map[string][]string {
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", "KNOWN_ERRORS.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) < 2 {
			continue
		}
		out[f[0]] = append(out[f[0]], f[1])
	}
	return out
}

// BenchmarkTextChecks runs the personal-data and punctuation checks over the
// government work reports (394 KB).
func BenchmarkTextChecks(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", "gov_work_reports_2010_2016.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := string(data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		PersonalData(text, "x", now)
		PunctuationMarks(text, "x")
	}
}

var corpusRuleSet *rules.Set

func corpusRules(t testing.TB) *rules.Set {
	if corpusRuleSet == nil {
		corpusRuleSet = ruleSet(t)
	}
	return corpusRuleSet
}

// TestOfficialDocumentTypos_PrecisionRecall measures the typo and serious
// error checks on ECSpell's official-document training file: 1,720
// sentences, 993 with character errors (the detector's weights were fitted
// on it: rules/curate/detector.py gives the cross-validated figures). A
// sentence counts as flagged when any check fires. Three layers in one run:
// the rule lists alone, with the protected terms' near misses, and with the
// typo detector — everything, as a scan runs it. The n-gram checker of the
// literature reaches precision ≈0.69 at recall ≈0.15 on SIGHAN-15.
func TestOfficialDocumentTypos_PrecisionRecall(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "csc", "ecspell_odw.train.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	all := corpusRules(t)
	noDetector := *all
	noDetector.Suspect.Confidence = 0
	layers := []struct {
		name string
		set  *rules.Set
		keep func(Finding) bool
	}{
		{"rule lists alone", &noDetector, func(f Finding) bool {
			return strings.HasPrefix(f.Rule, "typo.T") || strings.HasPrefix(f.Rule, "serious_error.S")
		}},
		{"with near misses", &noDetector, func(Finding) bool { return true }},
		{"everything", all, func(Finding) bool { return true }},
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for _, layer := range layers {
		var tp, fp, fn, tn int
		for _, line := range lines {
			f := strings.Split(line, "\t")
			if len(f) != 3 {
				continue
			}
			hasError := f[0] != "0"
			flagged := false
			for _, fd := range Wording(f[1], "odw", time.Time{}, layer.set) {
				if (fd.Category == Typo || fd.Category == SeriousError) && layer.keep(fd) {
					flagged = true
				}
			}
			switch {
			case flagged && hasError:
				tp++
			case flagged:
				fp++
				if layer.set == all {
					t.Logf("flagged a correct sentence: %s", f[1])
				}
			case hasError:
				fn++
			default:
				tn++
			}
		}
		precision := float64(tp) / float64(max(tp+fp, 1))
		recall := float64(tp) / float64(max(tp+fn, 1))
		t.Logf("%s: sentences %d: tp %d fp %d fn %d tn %d; precision %.2f recall %.3f", layer.name, tp+fp+fn+tn, tp, fp, fn, tn, precision, recall)
		if layer.set == all && (precision < 0.95 || recall < 0.28) {
			t.Errorf("precision %.2f recall %.3f: below 0.95 and 0.28", precision, recall)
		}
	}
}

// A number labelled by its table column's header: a credit code that
// passes the ID check is no ID under 统一社会信用代码, an ID under 身份证号 is.
func TestPersonalDataIn_ColumnHeaders(t *testing.T) {
	text := "某合作社\n123311200103154275\n张某\n330106198703152315"
	headers := map[string]string{"123311200103154275": "统一社会信用代码", "330106198703152315": "身份证号"}
	fs := PersonalDataIn(text, "x", now, headers)
	if len(fs) != 1 || !strings.Contains(fs[0].Evidence, "330106********2315") {
		t.Errorf("%+v", fs)
	}
	if len(PersonalData(text, "x", now)) != 2 {
		t.Errorf("without headers both numbers read as IDs")
	}
}
