package checks

import (
	"strings"
	"testing"

	"github.com/xunjian/xunjian/crawler/extract"
)

func goodDoc() PolicyDoc {
	return PolicyDoc{URL: "http://x/zcwj/a.html", Title: "青溪区人民政府关于印发《青溪区优化营商环境若干措施》的通知", Column: "政策文件",
		Policy: extract.Policy{Index: "11330199MB0000000X/2026-00012", Issuer: "青溪区人民政府", Written: "2026-08-20",
			Published: "2026-08-28", Number: "青政发〔2026〕5号", Validity: "有效", Type: "规范性文件",
			Present: map[string]bool{"index": true, "issuer": true, "written": true, "published": true, "number": true, "validity": true, "type": true}},
		LinksToInterpretation: true}
}

func TestPolicyChecks(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *PolicyDoc)
		rules  []string
	}{
		{"complete and consistent", func(d *PolicyDoc) {}, nil},
		{"missing 索引号", func(d *PolicyDoc) { d.Index = "" }, []string{RulePolicyMissing + "index"}},
		{"empty 文号 shown", func(d *PolicyDoc) { d.Number = "" }, []string{RulePolicyMissing + "number"}},
		{"no 文号 label on an ordinary document", func(d *PolicyDoc) {
			d.Number, d.Type, d.Validity = "", "", ""
			delete(d.Present, "number")
		}, nil},
		{"规范性文件 without 有效性", func(d *PolicyDoc) { d.Validity = "" }, []string{RulePolicyMissing + "validity"}},
		{"published before written", func(d *PolicyDoc) { d.Published = "2026-08-18" }, []string{RulePolicyDateOrder}},
		{"published 21 working days later", func(d *PolicyDoc) { d.Published = "2026-09-18" }, []string{RulePolicyLate}},
		{"published 20 working days later", func(d *PolicyDoc) { d.Published = "2026-09-17" }, nil},
		{"文号 year differs", func(d *PolicyDoc) { d.Number = "青政发〔2025〕5号" }, []string{RulePolicyNumberYear}},
		{"square brackets", func(d *PolicyDoc) { d.Number = "青政发[2026]5号" }, []string{RulePolicyBrackets}},
		{"round brackets, wrong year", func(d *PolicyDoc) { d.Number = "青政发（2019）8号" }, []string{RulePolicyBrackets, RulePolicyNumberYear}},
		{"malformed 文号", func(d *PolicyDoc) { d.Number = "第5号" }, []string{RulePolicyNumberForm}},
		{"malformed 索引号", func(d *PolicyDoc) { d.Index = "2026-12" }, []string{RulePolicyIndexForm}},
		{"old-style 索引号 is fine", func(d *PolicyDoc) { d.Index = "000014349/2017-00110" }, nil},
		{"expired, listed as current", func(d *PolicyDoc) { d.Validity = "失效" }, []string{RulePolicyExpired}},
		{"expired and marked in the title", func(d *PolicyDoc) { d.Validity, d.Title = "失效", d.Title+"（已失效）" }, nil},
		{"no interpretation", func(d *PolicyDoc) { d.LinksToInterpretation = false }, []string{RulePolicyNoInterp}},
		{"ordinary document needs none", func(d *PolicyDoc) { d.LinksToInterpretation, d.Type, d.Validity = false, "其他文件", "" }, nil},
		{"page in a policy column with no metadata", func(d *PolicyDoc) { d.Policy = extract.Policy{}; d.LinksToInterpretation = false },
			[]string{RulePolicyMissing + "index", RulePolicyMissing + "issuer", RulePolicyMissing + "written", RulePolicyMissing + "published"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := goodDoc()
			tt.change(&d)
			var got []string
			for _, f := range PolicyChecks([]PolicyDoc{d}, nil, DefaultPolicyRules()) {
				got = append(got, f.Rule)
			}
			if strings.Join(got, ",") != strings.Join(tt.rules, ",") {
				t.Errorf("rules %v, want %v", got, tt.rules)
			}
		})
	}
}

func TestPolicyChecks_InterpretationAndDuplicates(t *testing.T) {
	a, b := goodDoc(), goodDoc()
	a.LinksToInterpretation, b.LinksToInterpretation = false, false
	b.URL = "http://x/zcwj/b.html"
	interps := []Interpretation{
		{URL: "http://x/jd/1.html", Title: "《青溪区优化营商环境若干措施》政策解读"}, // names a's title
	}
	var got []string
	for _, f := range PolicyChecks([]PolicyDoc{a, b}, interps, DefaultPolicyRules()) {
		got = append(got, f.Rule+"@"+strings.TrimPrefix(f.URL, "http://x/zcwj/"))
	}
	// Both carry the same 索引号; the interpretation's title covers both
	// (same title), so neither lacks one.
	if strings.Join(got, ",") != RulePolicyIndexDup+"@a.html,"+RulePolicyIndexDup+"@b.html" {
		t.Errorf("got %v", got)
	}
	b.Title, b.Number = "关于加强农村集体资产管理的通知", "青政办〔2026〕9号"
	interps = []Interpretation{{URL: "http://x/jd/2.html", Title: "图解：青政办〔2026〕9号文件解读"}}
	b.Index = "11330199MB0000000X/2026-00013"
	if fs := PolicyChecks([]PolicyDoc{b}, interps, DefaultPolicyRules()); len(fs) != 0 {
		t.Errorf("interpretation by 文号: %+v", fs)
	}
	interps = []Interpretation{{URL: "http://x/jd/3.html", Title: "解读", Links: []string{b.URL}}}
	if fs := PolicyChecks([]PolicyDoc{b}, interps, DefaultPolicyRules()); len(fs) != 0 {
		t.Errorf("interpretation linking to it: %+v", fs)
	}
}
