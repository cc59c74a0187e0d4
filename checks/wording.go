package checks

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xunjian/xunjian/rules"
)

// historical are words that, in the sentence of an old name or a repealed
// law, show it is spoken of as history: the reform or the repeal itself.
var historical = []string{"废止", "失效", "撤销", "更名", "改为", "组建", "不再保留", "划入", "整合", "改革", "挂牌", "原"}

// Wording checks a page's text against the rule set: typos, serious errors,
// renamed institutions and repealed laws cited as current, and cautioned
// wording. published is the page's publication date (zero when unknown):
// an old name in a page published before the change is history, and a page
// without a date is not judged for old names. Context keeps correct text
// quiet: a term inside a longer correct word (按装修), 原 before an old name,
// a sentence about the reform or the repeal, and the allowlist.
func Wording(text, pageURL string, published time.Time, set *rules.Set) []Finding {
	if set == nil {
		return nil
	}
	var out []Finding
	hits := set.Match(text)
	near, protected := set.Protect(text)
	for _, m := range near {
		if set.Allowed(m.Found, pageURL) || slices.ContainsFunc(hits, func(h rules.Hit) bool {
			return h.Rule.Kind != rules.Typo && h.Start < m.End && m.Start < h.End
		}) {
			continue // an exact rule says it better (中共人民共和国 is S002)
		}
		f := Finding{Category: SeriousError, Severity: High, URL: pageURL, Rule: string(rules.Serious) + "." + m.Protected.ID,
			Version: set.Version, Evidence: context(text, m.Start, m.End, m.Found),
			Message: fmt.Sprintf("严重表述错误：“%s”疑为“%s”之误（严重表述错误可单项否决，请立即更正）", m.Found, m.Protected.Term)}
		if strings.Count(text[:m.Start], "\n") < 2 {
			f.Message += "；位于标题或首段，影响尤其严重"
		}
		out = append(out, f)
	}
	for _, m := range set.Mismatches(text) {
		out = append(out, Finding{Category: SeriousError, Severity: High, URL: pageURL, Rule: "serious_error.leader_title",
			Version: set.Version, Evidence: context(text, m.Start, m.End, text[m.Start:m.End]),
			Message: fmt.Sprintf("严重表述错误：%s的职务不是“%s”（“%s”为%s），请核对领导姓名与职务", m.Name, m.Title, m.Title, strings.Join(m.Holders, "、"))})
	}
	for _, sp := range suspects(text, set) {
		if set.Allowed(sp.wrong, pageURL) || slices.ContainsFunc(hits, func(h rules.Hit) bool { return h.Start < sp.end && sp.start < h.End }) ||
			slices.ContainsFunc(protected, func(p [2]int) bool { return p[0] < sp.end && sp.start < p[1] }) ||
			slices.ContainsFunc(near, func(m rules.NearMiss) bool { return m.Start < sp.end && sp.start < m.End }) {
			continue
		}
		out = append(out, suspectFinding(text, pageURL, sp, set))
	}
	for _, h := range hits {
		r := h.Rule
		if set.Allowed(h.Term, pageURL) || excepted(text, h) {
			continue
		}
		// A typo inside a protected term's near miss is the serious error
		// (生态坏境部: 生态环境部 misspelt, not only 坏境).
		if r.Kind == rules.Typo && slices.ContainsFunc(near, func(m rules.NearMiss) bool { return h.Start < m.End && m.Start < h.End }) {
			continue
		}
		// A protected term written right is right, whatever a typo pair
		// says (区长关健: the configured leader 关健, not 关键).
		if r.Kind == rules.Typo && slices.ContainsFunc(protected, func(p [2]int) bool { return p[0] < h.End && h.Start < p[1] }) {
			continue
		}
		f := Finding{URL: pageURL, Rule: string(r.Kind) + "." + r.ID, Version: set.Version,
			Evidence: context(text, h.Start, h.End, h.Term)}
		switch r.Kind {
		case rules.Typo:
			f.Category, f.Severity = Typo, Medium
			f.Message = fmt.Sprintf("疑似错别字：“%s”应为“%s”", h.Term, r.Right)
		case rules.Serious:
			f.Category, f.Severity = SeriousError, High
			f.Message = fmt.Sprintf("严重表述错误：“%s”应为“%s”（严重表述错误可单项否决，请立即更正）", h.Term, r.Right)
			if strings.Count(text[:h.Start], "\n") < 2 {
				f.Message += "；位于标题或首段，影响尤其严重"
			}
		case rules.Obsolete, rules.Law:
			if published.IsZero() || published.Before(r.Since) || historicalMention(text, h) || r.Kind == rules.Obsolete && foreign(text, h.Start) {
				continue
			}
			f.Category, f.Severity = ObsoleteName, Medium
			f.Evidence = sentenceOf(text, h)
			what := "机构名称“%s”已于 %s 调整，现为“%s”；如指现机构请更正，如为历史表述请加“原”"
			if r.Kind == rules.Law {
				what = "%s已于 %s 废止，现行为《%s》；请勿作为现行依据引用"
			}
			f.Message = fmt.Sprintf(what, h.Term, r.Since.Format("2006-01-02"), r.Right)
		case rules.Sensitive:
			f.Category, f.Severity, f.Suspected = SensitiveWord, Low, true
			f.Message = fmt.Sprintf("慎用表述“%s”：%s（请人工审核）", h.Term, r.Right)
		default:
			continue
		}
		out = append(out, f)
	}
	return out
}

// excepted reports whether the hit sits in one of its rule's exception
// contexts: a longer word containing it (rules.Hit.InException), or "…X"
// for X later in the same sentence.
func excepted(text string, h rules.Hit) bool {
	if h.InException(text) {
		return true
	}
	for _, e := range h.Rule.Except {
		if after, ok := strings.CutPrefix(e, "…"); ok && strings.Contains(sentenceAfter(text, h.End), after) {
			return true
		}
	}
	return false
}

// historicalMention reports an old name or law spoken of as history: 原
// just before it, or its sentence telling of a reform or repeal.
func historicalMention(text string, h rules.Hit) bool {
	before := text[max(0, h.Start-12):h.Start]
	if i := strings.LastIndex(before, "原"); i >= 0 && !strings.ContainsAny(before[i:], "，。；：\n") {
		return true // 原 with no pause between it and the name: 在原区安监局办公楼
	}
	s := sentenceBefore(text, h.Start) + sentenceAfter(text, h.End)
	for _, w := range historical {
		if w != "原" && (strings.Contains(s, w) || containsOneOff(s, w)) {
			return true
		}
	}
	return false
}

// containsOneOff reports whether s holds w (of 4+ characters) with one
// character changed: a reform sentence stays one with a typo in it
// (不再保流 for 不再保留 — the typo is reported on its own).
func containsOneOff(s, w string) bool {
	rs := []rune(w)
	if len(rs) < 4 {
		return false
	}
	for k := range rs {
		prefix, suffix := string(rs[:k]), string(rs[k+1:])
		for rest := s; ; {
			i := strings.Index(rest, prefix)
			if i < 0 {
				break
			}
			after := rest[i+len(prefix):]
			if _, size := utf8.DecodeRuneInString(after); size > 0 && strings.HasPrefix(after[size:], suffix) {
				return true
			}
			if prefix == "" {
				break
			}
			rest = rest[i+len(prefix):]
		}
	}
	return false
}

// countries are states and regions whose own ministries share a name with
// an abolished Chinese one (美国农业部, 印尼农业部长, 法国文化部长).
var countries = []string{
	"美国", "英国", "法国", "德国", "日本", "韩国", "朝鲜", "俄罗斯", "俄", "意大利", "西班牙", "葡萄牙", "荷兰", "比利时",
	"瑞士", "瑞典", "挪威", "丹麦", "芬兰", "冰岛", "爱尔兰", "奥地利", "波兰", "捷克", "匈牙利", "希腊", "土耳其", "乌克兰",
	"白俄罗斯", "哈萨克斯坦", "乌兹别克斯坦", "蒙古", "印度", "巴基斯坦", "孟加拉国", "斯里兰卡", "尼泊尔", "印尼",
	"印度尼西亚", "马来西亚", "新加坡", "泰国", "越南", "老挝", "柬埔寨", "缅甸", "菲律宾", "文莱", "澳大利亚", "新西兰",
	"加拿大", "墨西哥", "巴西", "阿根廷", "智利", "秘鲁", "哥伦比亚", "委内瑞拉", "古巴", "埃及", "南非", "尼日利亚",
	"肯尼亚", "埃塞俄比亚", "沙特", "沙特阿拉伯", "伊朗", "伊拉克", "以色列", "阿联酋", "卡塔尔", "科威特", "约旦", "叙利亚",
	"阿富汗", "欧盟", "联合国", "美方", "日方", "英方", "法方", "德方", "俄方", "外国", "该国", "各国", "国外",
}

// foreign reports an organ name right after a country's name (at most two
// characters between: 美国的农业部), which is that country's, not China's.
func foreign(text string, start int) bool {
	before := text[max(0, start-30):start]
	for _, c := range countries {
		if i := strings.LastIndex(before, c); i >= 0 && utf8.RuneCountInString(before[i+len(c):]) <= 2 &&
			!strings.ContainsAny(before[i+len(c):], "，。；：、") {
			return true
		}
	}
	return false
}

const sentenceEnds = "。！？；\n"

// sentenceOf quotes the sentence holding the hit (at most about 60
// characters either side of it).
func sentenceOf(text string, h rules.Hit) string {
	before, after := []rune(sentenceBefore(text, h.Start)), []rune(sentenceAfter(text, h.End))
	if len(before) > 60 {
		before = append([]rune("…"), before[len(before)-60:]...)
	}
	if len(after) > 60 {
		after = append(after[:60], '…')
	}
	return strings.TrimSpace(string(before) + h.Term + string(after))
}

func sentenceAfter(text string, i int) string {
	if j := strings.IndexAny(text[i:], sentenceEnds); j >= 0 {
		return text[i : i+j]
	}
	return text[i:]
}

func sentenceBefore(text string, i int) string {
	j := strings.LastIndexAny(text[:i], sentenceEnds)
	if j < 0 {
		return text[:i]
	}
	_, size := utf8.DecodeRuneInString(text[j:])
	return text[j+size : i]
}
