package checks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/crawler/extract"
)

// PolicyDoc is a policy document page with its disclosure metadata.
type PolicyDoc struct {
	URL, Title, Column string // page URL, page title, its ColumnName
	extract.Policy
	// LinksToInterpretation: the page links to its 政策解读 (相关解读).
	LinksToInterpretation bool
}

// Interpretation is a page whose title says it interprets a document (解读).
type Interpretation struct {
	URL, Title string
	Links      []string // the pages it links to (normalised URLs)
}

// PolicyRules configure the policy checks.
type PolicyRules struct {
	Required       []string // fields every document must fill: index, issuer, written, published
	MaxWorkingDays int      // publish within this many working days of 成文日期 (条例 art. 26: 20)
	// InterpretationTypes: documents whose 文件类型 contains one of these
	// need a 政策解读.
	InterpretationTypes []string
}

// DefaultPolicyRules are the disclosure rules' defaults.
func DefaultPolicyRules() PolicyRules {
	return PolicyRules{Required: []string{"index", "issuer", "written", "published"}, MaxWorkingDays: 20,
		InterpretationTypes: []string{"规范性"}}
}

var fieldLabel = map[string]string{
	"index": "索引号", "issuer": "发文机关", "written": "成文日期", "published": "发布日期", "number": "文号",
	"validity": "有效性", "topic": "主题分类", "title": "标题", "type": "文件类型",
}

// PolicyFieldLabel is a policy metadata field (policy_required: index,
// issuer, …) as the findings name it: 索引号, 发文机关, …; an unknown field
// is returned as it is.
func PolicyFieldLabel(field string) string {
	if l, ok := fieldLabel[field]; ok {
		return l
	}
	return field
}

// Policy rules, one per problem.
const (
	RulePolicyMissing    = "policy_metadata.missing_"          // + field
	RulePolicyDateOrder  = "policy_metadata.date_order"        // 发布日期 before 成文日期
	RulePolicyLate       = "policy_metadata.late"              // published > N working days after written
	RulePolicyNumberYear = "policy_metadata.number_year"       // 文号 year ≠ 成文日期 year
	RulePolicyBrackets   = "policy_metadata.number_brackets"   // [2019] or （2019） instead of 〔2019〕
	RulePolicyNumberForm = "policy_metadata.number_form"       // not 机关代字〔年份〕序号号
	RulePolicyIndexForm  = "policy_metadata.index_form"        // not 前段码/YYYY-NNNNN
	RulePolicyIndexDup   = "policy_metadata.index_duplicate"   // the same 索引号 on two documents
	RulePolicyExpired    = "policy_metadata.expired_current"   // 失效 but listed as current
	RulePolicyNoInterp   = "policy_metadata.no_interpretation" // 规范性文件 without 政策解读
)

var (
	goodNumber  = regexp.MustCompile(`^\S+〔(\d{4})〕\d+号$`)
	looseNumber = regexp.MustCompile(`^\S+?[\[［(（](\d{4})[\]］)）]\d+号$`)
	goodIndex   = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z-]{5,24}/\d{4}-\d{5}$`)
	expired     = []string{"失效", "废止", "已修订", "已修改"}
	policyCols  = []string{"政策", "文件", "规范性", "信息公开"}
)

// PolicyChecks judges every policy document of a site: missing and
// inconsistent metadata, malformed or duplicated 索引号, late publication,
// expired documents presented as current, and 规范性文件 without an
// interpretation.
func PolicyChecks(docs []PolicyDoc, interps []Interpretation, r PolicyRules) []Finding {
	var out []Finding
	byIndex := map[string][]string{}
	for _, d := range docs {
		out = append(out, policyDoc(d, interps, r)...)
		if d.Index != "" {
			byIndex[d.Index] = append(byIndex[d.Index], d.URL)
		}
	}
	for idx, urls := range byIndex {
		if len(urls) < 2 {
			continue
		}
		slices.Sort(urls)
		for _, u := range urls {
			others := slices.DeleteFunc(slices.Clone(urls), func(o string) bool { return o == u })
			out = append(out, Finding{Category: PolicyMetadata, Severity: Medium, URL: u, Rule: RulePolicyIndexDup,
				Evidence: "索引号：" + idx, Message: fmt.Sprintf("索引号与其他 %d 个文件重复（%s），索引号应唯一", len(others), strings.Join(others, "，"))})
		}
	}
	return out
}

func policyDoc(d PolicyDoc, interps []Interpretation, r PolicyRules) []Finding {
	var out []Finding
	add := func(sev Severity, rule, evidence, msg string) {
		out = append(out, Finding{Category: PolicyMetadata, Severity: sev, URL: d.URL, Rule: rule, Evidence: evidence, Message: msg})
	}
	normative := strings.Contains(d.Type, "规范性")
	required := slices.Clone(r.Required)
	if d.Present == nil { // a page in a policy column without any metadata
		d.Present = map[string]bool{}
	}
	if d.Present["number"] || normative {
		required = append(required, "number")
	}
	if normative {
		required = append(required, "validity")
	}
	for _, f := range required {
		if value(d.Policy, f) == "" {
			add(Medium, RulePolicyMissing+f, fieldLabel[f]+"：（空）", fmt.Sprintf("政策文件缺少“%s”，公开要素应完整", fieldLabel[f]))
		}
	}
	ref := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	written, wok := extract.ParseDate(d.Written, ref, false)
	published, pok := extract.ParseDate(d.Published, ref, false)
	if wok && pok {
		switch {
		case published.Before(written):
			add(Medium, RulePolicyDateOrder, fmt.Sprintf("成文日期：%s，发布日期：%s", d.Written, d.Published), "发布日期早于成文日期，请核实")
		case r.MaxWorkingDays > 0 && workingDays(written, published) > r.MaxWorkingDays:
			add(Low, RulePolicyLate, fmt.Sprintf("成文日期：%s，发布日期：%s", d.Written, d.Published),
				fmt.Sprintf("成文后 %d 个工作日才公开，超过《政府信息公开条例》第二十六条规定的 %d 个工作日", workingDays(written, published), r.MaxWorkingDays))
		}
	}
	if n := strings.TrimSpace(d.Number); n != "" {
		var year string
		switch {
		case goodNumber.MatchString(n):
			year = goodNumber.FindStringSubmatch(n)[1]
		case looseNumber.MatchString(n):
			year = looseNumber.FindStringSubmatch(n)[1]
			add(Low, RulePolicyBrackets, "文号："+n, "文号年份应使用六角括号“〔〕”，如“青政发〔2019〕8号”")
		default:
			add(Low, RulePolicyNumberForm, "文号："+n, "文号应为“机关代字〔年份〕序号”格式，如“青政发〔2026〕5号”")
		}
		if year != "" && wok && year != fmt.Sprint(written.Year()) {
			add(Medium, RulePolicyNumberYear, fmt.Sprintf("文号：%s，成文日期：%s", n, d.Written), "文号中的年份与成文日期的年份不一致，请核实")
		}
	}
	if d.Index != "" && !goodIndex.MatchString(d.Index) {
		add(Low, RulePolicyIndexForm, "索引号："+d.Index, "索引号应为“前段码/年份-五位流水号”格式，如“11330199MB0000000X/2026-00012”")
	}
	if isExpired(d.Validity) && containsAny(d.Column, policyCols) && !containsAny(d.Title, expired) {
		add(High, RulePolicyExpired, "有效性："+d.Validity, fmt.Sprintf("文件已%s，但仍在“%s”栏目中作为现行文件展示，标题未标注；请标注或移出", d.Validity, d.Column))
	}
	if containsAny(d.Type, r.InterpretationTypes) && !hasInterpretation(d, interps) {
		add(Medium, RulePolicyNoInterp, "文件类型：规范性文件", "规范性文件未找到配套的政策解读（解读应与文件同步发布、相互链接）")
	}
	return out
}

func value(p extract.Policy, field string) string {
	if f := p.Field(field); f != nil {
		return strings.TrimSpace(*f)
	}
	return ""
}

func isExpired(v string) bool { return containsAny(v, expired) && !strings.Contains(v, "有效") }

func containsAny(s string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(s, w) })
}

// coreTitle strips a document title to what an interpretation's title
// repeats: 关于印发《X》的通知 → X.
var titleWrap = regexp.MustCompile(`^.*?关于(?:印发)?《?|》?的(?:通知|决定|意见|批复|公告)$|_.*$`)

func coreTitle(t string) string { return strings.Trim(titleWrap.ReplaceAllString(t, ""), "《》 ") }

func hasInterpretation(d PolicyDoc, interps []Interpretation) bool {
	if d.LinksToInterpretation {
		return true
	}
	core := coreTitle(d.Title)
	for _, in := range interps {
		if slices.Contains(in.Links, d.URL) {
			return true
		}
		if d.Number != "" && strings.Contains(in.Title, d.Number) {
			return true
		}
		if len([]rune(core)) >= 6 && strings.Contains(in.Title, core) {
			return true
		}
	}
	return false
}

// workingDays counts Monday–Friday days after from up to and including to
// (public holidays are not known, so a few days' margin is the reader's).
func workingDays(from, to time.Time) int {
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}
