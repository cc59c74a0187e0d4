package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// VetoState is where a site or an account stands on a veto item (单项否决).
type VetoState string

// The states of a veto item.
const (
	VetoMet    VetoState = "met"    // 达标
	VetoRisk   VetoState = "risk"   // 临界：inside the line, close to it
	VetoFailed VetoState = "failed" // 否决：the evaluation fails whatever the score
	VetoManual VetoState = "manual" // 需人工评估：nothing xunjian measures decides it
)

// Label is the state in Chinese.
func (s VetoState) Label() string {
	switch s {
	case VetoMet:
		return "达标"
	case VetoRisk:
		return "临界预警"
	case VetoFailed:
		return "单项否决"
	}
	return "需人工评估"
}

// VetoItem is one veto item of 《政府网站与政务新媒体检查指标》 and the
// evidence for its state.
type VetoItem struct {
	Name     string // 站点无法访问 …
	State    VetoState
	Evidence string // 近 7 天探测 336 次，失败 19 次（5.7%，否决线 5%）
	Issues   int    // unresolved issues behind the state
}

// ScoreItem is a deduction item: what it counts, its points (it never
// loses more) and what each unresolved issue costs. A manual item is left
// to people: its points are at stake, not deducted.
type ScoreItem struct {
	ID     string  `yaml:"id"`
	Name   string  `yaml:"name"`
	Points float64 `yaml:"points"`
	Each   float64 `yaml:"each"`
	// Categories and Rules select the issues counted (a rule ending in "."
	// is a prefix); none for a manual item.
	Categories []checks.Category `yaml:"categories"`
	Rules      []string          `yaml:"rules"`
	Manual     bool              `yaml:"manual"`
}

// counts reports whether the item counts the issue.
func (it ScoreItem) counts(is store.Issue) bool {
	if len(it.Categories) > 0 && !slices.Contains(it.Categories, is.Category) {
		return false
	}
	if len(it.Rules) == 0 {
		return len(it.Categories) > 0
	}
	for _, r := range it.Rules {
		if is.Rule == r || strings.HasSuffix(r, ".") && strings.HasPrefix(is.Rule, r) {
			return true
		}
	}
	return false
}

// Deduction is a deduction item as scored.
type Deduction struct {
	ScoreItem
	Count int     // unresolved issues counted
	Lost  float64 // points lost (0 for a manual item)
}

// ScoreRules are the scorecard's lines and items. Defaults:
// DefaultScoreRules.
type ScoreRules struct {
	// Availability: the probe share that fails the site, the share that
	// warns, and the probes needed to judge at all.
	ProbeVeto, ProbeWarn float64
	MinProbes            int
	// 栏目不更新: late, long-not-updated and empty columns that fail the
	// site, and the counts that warn.
	Late, Long, Empty             int
	LateWarn, LongWarn, EmptyWarn int
	Site, Account                 []ScoreItem
}

// DefaultScoreRules are the national indicators' veto lines (DOMAIN.md §1)
// and a deduction table of the items xunjian measures. The 2019 table's
// points per item are not public in full: these are a starting point for
// the local 考评方案, set in the configuration (scorecard:).
func DefaultScoreRules() ScoreRules {
	dead := []checks.Category{checks.DeadLink}
	return ScoreRules{
		ProbeVeto: 0.05, ProbeWarn: 0.03, MinProbes: 20,
		Late: 5, Long: 10, Empty: 5, LateWarn: 4, LongWarn: 8, EmptyWarn: 4,
		Site: []ScoreItem{
			{ID: "home_links", Name: "首页链接可用性", Points: 5, Each: 1, Categories: dead, Rules: []string{checks.RuleDeadLinkHome}},
			{ID: "links", Name: "其他页面链接可用性", Points: 5, Each: 0.2, Categories: dead,
				Rules: []string{checks.RuleDeadLinkPage, checks.RuleDeadLinkTemplate, checks.RuleMalformedLink}},
			{ID: "columns", Name: "栏目更新", Points: 10, Each: 1, Categories: []checks.Category{checks.StaleColumn},
				Rules: []string{checks.RuleStaleColumn, checks.RuleStaleUndated, checks.RuleFutureDate}},
			{ID: "empty", Name: "空白栏目", Points: 5, Each: 1, Categories: []checks.Category{checks.EmptyColumn}},
			{ID: "typos", Name: "错别字", Points: 10, Each: 0.5, Categories: []checks.Category{checks.Typo}},
			{ID: "wording", Name: "表述规范（慎用词、标点）", Points: 5, Each: 0.2, Categories: []checks.Category{checks.SensitiveWord, checks.Punctuation}},
			{ID: "obsolete", Name: "过时机构名称与已废止法规", Points: 5, Each: 1, Categories: []checks.Category{checks.ObsoleteName}},
			{ID: "policy", Name: "政策文件要素", Points: 10, Each: 0.5, Categories: []checks.Category{checks.PolicyMetadata}},
			{ID: "privacy", Name: "个人信息保护", Points: 10, Each: 2, Categories: []checks.Category{checks.PrivacyLeak}},
			{ID: "certificate", Name: "网站证书", Points: 3, Each: 3, Categories: []checks.Category{checks.Certificate}},
			{ID: "interaction", Name: "互动回应时效", Points: 7, Each: 1, Categories: []checks.Category{checks.InteractionUnanswered}},
			{ID: "services", Name: "办事服务（办事指南要素、在线办理）", Points: 15, Manual: true},
			{ID: "design", Name: "功能设计（搜索、无障碍、适老化）", Points: 5, Manual: true},
			{ID: "interpretation", Name: "解读回应（政策解读质量、回应关切）", Points: 5, Manual: true},
		},
		Account: []ScoreItem{
			{ID: "updates", Name: "更新频率", Points: 20, Each: 5, Categories: []checks.Category{checks.StaleAccount}},
			{ID: "typos", Name: "错别字", Points: 10, Each: 0.5, Categories: []checks.Category{checks.Typo}},
			{ID: "wording", Name: "表述规范（慎用词、标点）", Points: 5, Each: 0.2, Categories: []checks.Category{checks.SensitiveWord, checks.Punctuation}},
			{ID: "privacy", Name: "个人信息保护", Points: 10, Each: 2, Categories: []checks.Category{checks.PrivacyLeak}},
			{ID: "links", Name: "链接可用性", Points: 5, Each: 0.5, Categories: dead},
			{ID: "ads", Name: "商业广告与外链", Points: 10, Each: 5, Categories: []checks.Category{checks.DarkLink}},
			{ID: "reachable", Name: "账号可读取", Points: 10, Each: 10, Categories: []checks.Category{checks.AccountUnreachable},
				Rules: []string{checks.RuleAccountUnreadable}},
			{ID: "interaction", Name: "互动回应（留言回复）", Points: 15, Manual: true},
			{ID: "service", Name: "服务功能（菜单、办事入口）", Points: 15, Manual: true},
		},
	}
}

// ScoreInput is what a target's scorecard is computed from: all in the
// store after a scan.
type ScoreInput struct {
	Target store.Target
	// Open are the target's unresolved issues; ignored ones are never
	// here.
	Open []store.Issue
	// Columns is the site's column register (the class of each column).
	Columns []store.ColumnEntry
	// Probes in the last 7 days, and how many failed.
	ProbeTotal, ProbeFailed int
}

// Scorecard is a target's projected score (考评预估): its veto items, its
// deduction items, the score, and the health index for the trend.
type Scorecard struct {
	TargetID            int64
	Target, Kind, Owner string
	Portal              bool // the site the assessment leads with
	Vetoes              []VetoItem
	Deductions          []Deduction
	// Score is 100 less the measured deductions: the items left to people
	// count as full marks here, and Manual says how many points they hold.
	Score, Manual float64
	// Failed: a veto item failed; the evaluation fails whatever the score.
	Failed bool
	// Health is a 0–100 index for the trend: the score, at most 59 while a
	// veto item fails, less 5 for each veto item at risk.
	Health int
}

// Score computes a target's scorecard.
func Score(in ScoreInput, r ScoreRules) Scorecard {
	sc := Scorecard{TargetID: in.Target.ID, Target: in.Target.Name, Kind: in.Target.Kind, Owner: in.Target.Owner}
	items := r.Site
	if in.Target.Kind == "account" {
		items = r.Account
		sc.Vetoes = accountVetoes(in.Open)
	} else {
		sc.Vetoes = siteVetoes(in, r)
	}
	sc.Score = 100
	for _, it := range items {
		d := Deduction{ScoreItem: it}
		if it.Manual {
			sc.Manual += it.Points
		} else {
			for _, is := range in.Open {
				if it.counts(is) {
					d.Count++
				}
			}
			d.Lost = math.Min(it.Points, float64(d.Count)*it.Each)
			sc.Score -= d.Lost
		}
		sc.Deductions = append(sc.Deductions, d)
	}
	sc.Score = math.Max(0, math.Round(sc.Score*10)/10)
	health := sc.Score
	for _, v := range sc.Vetoes {
		switch v.State {
		case VetoFailed:
			sc.Failed = true
			health = math.Min(health, 59)
		case VetoRisk:
			health -= 5
		}
	}
	sc.Health = int(math.Max(0, math.Round(health)))
	return sc
}

// siteVetoes judges a site's veto items.
func siteVetoes(in ScoreInput, r ScoreRules) []VetoItem {
	by := func(c checks.Category, rules ...string) (high, other int) {
		for _, is := range in.Open {
			if is.Category != c || len(rules) > 0 && !slices.Contains(rules, is.Rule) {
				continue
			}
			if is.Severity == checks.High && !is.Suspected {
				high++
			} else {
				other++
			}
		}
		return high, other
	}
	var out []VetoItem

	// 站点无法访问: the week's probes.
	v := VetoItem{Name: "站点无法访问"}
	switch {
	case in.ProbeTotal < r.MinProbes:
		v.State, v.Evidence = VetoManual, fmt.Sprintf("近 7 天探测 %d 次，不足 %d 次，无法判断（请运行 xunjian serve 或 xunjian probe）", in.ProbeTotal, r.MinProbes)
	default:
		share := float64(in.ProbeFailed) / float64(in.ProbeTotal)
		v.Evidence = fmt.Sprintf("近 7 天探测 %d 次，失败 %d 次（%.1f%%，否决线 %.0f%%）", in.ProbeTotal, in.ProbeFailed, 100*share, 100*r.ProbeVeto)
		v.State = state(share >= r.ProbeVeto, share >= r.ProbeWarn)
	}
	v.Issues, _ = by(checks.SiteUnreachable)
	out = append(out, v)

	// 首页不更新.
	high, other := by(checks.HomepageStale)
	v = VetoItem{Name: "首页不更新", State: state(high > 0, other > 0), Issues: high + other}
	v.Evidence = map[VetoState]string{VetoFailed: "首页超过更新期限无新信息", VetoRisk: "首页接近更新期限无新信息（预警）", VetoMet: "首页在更新期限内有更新"}[v.State]
	out = append(out, v)

	// 栏目不更新: the register against the three lines.
	var fs []checks.Finding
	n := 0
	for _, is := range in.Open {
		if is.Category == checks.EmptyColumn || is.Rule == checks.RuleStaleColumn || is.Rule == checks.RuleStaleUndated {
			fs = append(fs, checks.Finding{Category: is.Category, Rule: is.Rule, URL: is.URL})
			n++
		}
	}
	var cols []checks.Column
	for _, c := range in.Columns {
		cols = append(cols, checks.Column{URL: c.URL, Class: c.Class})
	}
	vc := checks.VetoCounts(fs, cols)
	v = VetoItem{Name: "栏目不更新", Issues: n,
		State: state(vc.Late >= r.Late || vc.LongNotUpdated >= r.Long || vc.Empty >= r.Empty,
			vc.Late >= r.LateWarn || vc.LongNotUpdated >= r.LongWarn || vc.Empty >= r.EmptyWarn),
		Evidence: fmt.Sprintf("更新不及时栏目 %d/%d，长期未更新栏目 %d/%d，空白栏目 %d/%d", vc.Late, r.Late, vc.LongNotUpdated, r.Long, vc.Empty, r.Empty)}
	if len(in.Columns) == 0 {
		v.State, v.Evidence = VetoManual, "尚无完整扫描的栏目台账"
	}
	out = append(out, v)
	out = append(out, wordingVeto(in.Open), securityVeto(in.Open))

	// 互动回应差.
	high, other = by(checks.InteractionUnanswered)
	v = VetoItem{Name: "互动回应差", State: state(high > 0, other > 0), Issues: high + other}
	v.Evidence = map[VetoState]string{VetoFailed: fmt.Sprintf("%d 条留言超过 3 个月未回复，或无可用的咨询渠道", high),
		VetoRisk: fmt.Sprintf("%d 条留言接近 3 个月未回复（预警）", other), VetoMet: "未发现超期未回复的留言"}[v.State]
	out = append(out, v)
	out = append(out, VetoItem{Name: "服务不实用", State: VetoManual, Evidence: "办事指南要素与在线办理由人工评估"})
	return out
}

// accountVetoes judges an account's veto items.
func accountVetoes(open []store.Issue) []VetoItem {
	high, other := 0, 0
	for _, is := range open {
		if is.Category == checks.StaleAccount {
			if is.Severity == checks.High {
				high++
			} else {
				other++
			}
		}
	}
	v := VetoItem{Name: "内容不更新", State: state(high > 0, other > 0), Issues: high + other}
	v.Evidence = map[VetoState]string{VetoFailed: "超过更新期限无新发布", VetoRisk: "接近更新期限无新发布（预警）", VetoMet: "更新期限内有发布"}[v.State]
	if v.State == VetoMet && slices.ContainsFunc(open, func(is store.Issue) bool { return is.Rule == checks.RuleAccountUnreadable }) {
		v.State, v.Evidence = VetoManual, "账号内容无法读取，无法判断是否按时更新"
	}
	return []VetoItem{v, wordingVeto(open), securityVeto(open),
		{Name: "互动回应差", State: VetoManual, Evidence: "留言回复由人工评估"}}
}

// wordingVeto is 严重表述错误: one serious error fails; a suspected one is
// at risk until a person looks.
func wordingVeto(open []store.Issue) VetoItem {
	sure, suspected := 0, 0
	for _, is := range open {
		if is.Category == checks.SeriousError {
			if is.Suspected {
				suspected++
			} else {
				sure++
			}
		}
	}
	v := VetoItem{Name: "严重表述错误", State: state(sure > 0, suspected > 0), Issues: sure + suspected}
	v.Evidence = map[VetoState]string{VetoFailed: fmt.Sprintf("%d 处严重表述错误未整改", sure),
		VetoRisk: fmt.Sprintf("%d 处疑似严重表述错误待核实", suspected), VetoMet: "未发现严重表述错误"}[v.State]
	return v
}

// securityVeto is 安全: hidden links and gambling links fail; commercial
// links and faked dates are at risk until a person looks.
func securityVeto(open []store.Issue) VetoItem {
	sure, other := 0, 0
	for _, is := range open {
		switch {
		case is.Category == checks.DarkLink && is.Rule != checks.RuleCommercialLink:
			sure++
		case is.Category == checks.DarkLink, is.Rule == checks.RuleFutureDate:
			other++
		}
	}
	v := VetoItem{Name: "安全", State: state(sure > 0, other > 0), Issues: sure + other}
	v.Evidence = map[VetoState]string{VetoFailed: fmt.Sprintf("%d 个暗链或赌博类链接", sure),
		VetoRisk: fmt.Sprintf("%d 处商业链接或疑似虚假发布日期待核实", other), VetoMet: "未发现暗链、赌博链接或虚假发布日期"}[v.State]
	return v
}

func state(failed, risk bool) VetoState {
	switch {
	case failed:
		return VetoFailed
	case risk:
		return VetoRisk
	}
	return VetoMet
}

// Changes say what moved a scorecard from before to after: veto items
// whose state changed and deduction items whose loss changed, in Chinese.
func Changes(before, after Scorecard) []string {
	var out []string
	was := map[string]VetoState{}
	for _, v := range before.Vetoes {
		was[v.Name] = v.State
	}
	for _, v := range after.Vetoes {
		if w, ok := was[v.Name]; ok && w != v.State {
			out = append(out, fmt.Sprintf("%s：%s → %s（%s）", v.Name, w.Label(), v.State.Label(), v.Evidence))
		}
	}
	lost := map[string]Deduction{}
	for _, d := range before.Deductions {
		lost[d.ID] = d
	}
	for _, d := range after.Deductions {
		if b, ok := lost[d.ID]; ok && b.Lost != d.Lost {
			out = append(out, fmt.Sprintf("%s：扣 %s 分 → %s 分（问题 %d → %d 个）", d.Name, trim(b.Lost), trim(d.Lost), b.Count, d.Count))
		}
	}
	return out
}

// trim writes a score without a trailing .0.
func trim(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
}
