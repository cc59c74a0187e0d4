package checks

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xunjian/xunjian/rules"
)

// RuleSuspectTypo is the typo detector's finding: two characters that form
// no word where one look-alike or same-sound character would form a common
// one (关健 → 关键, 复盖 → 覆盖, 清况 → 情况).
const RuleSuspectTypo = "typo.suspect"

// suspect is a pair of characters the detector doubts, at byte offsets
// [start, end).
type suspect struct {
	start, end   int
	wrong, right string
}

// suspects finds, in each run of Chinese text, neighbouring characters that
// the segmenter leaves alone (no word of the list covers them) where
// changing one of them to a character confused with it by shape or sound
// (lookalike.tsv) makes a common word that explains the text far better
// than the two characters standing alone: 关健 (no reading) → 关键, while
// 是在 (two common words) stays quiet. The thresholds are set.Suspect.
func suspects(text string, set *rules.Set) []suspect {
	if set == nil || set.Suspect.Margin <= 0 {
		return nil
	}
	var out []suspect
	for _, run := range rules.HanRuns(text) {
		seg := text[run[0]:run[1]]
		toks := set.Segment(seg)
		for i := 0; i+1 < len(toks); i++ {
			a, b := toks[i], toks[i+1]
			if a.Word || b.Word {
				continue
			}
			if nameCue(seg, a.Start, b.End) {
				continue // 副区长程立同志: a name, not 成立
			}
			ca, cb := seg[a.Start:a.End], seg[b.Start:b.End]
			right, count := bestCorrection(set, ca, cb)
			if count < set.Suspect.MinCount || set.LogProb(right)-set.LogProb(ca)-set.LogProb(cb) < set.Suspect.Margin {
				continue
			}
			out = append(out, suspect{run[0] + a.Start, run[0] + b.End, ca + cb, right})
			i++ // the next pair starts after this one
		}
	}
	return out
}

// Words that stand right before a person's name, or right after one.
var (
	beforeName = []string{"长", "书记", "主任", "委员", "经理", "记者", "代表", "同志", "老师", "医生", "先生", "女士", "村民", "市民", "群众"}
	afterName  = []string{"同志", "先生", "女士", "主持", "出席", "指出", "强调", "表示", "介绍", "说"}
)

// nameCue reports a pair of characters that a title precedes or a verb of
// speech follows, as names are written: 副区长程立同志, 何建义的职务.
func nameCue(run string, start, end int) bool {
	before, after := run[:start], run[end:]
	for _, w := range beforeName {
		if strings.HasSuffix(before, w) || strings.HasSuffix(trimLastRune(before), w) {
			return true
		}
	}
	for _, w := range afterName {
		if strings.HasPrefix(after, w) {
			return true
		}
	}
	// A common surname before the pair and 的, 等, 和 … after it: a
	// three-character name (何建义的职务), not 高复盖率.
	if sur, _ := utf8.DecodeLastRuneInString(before); strings.ContainsRune(surnames, sur) {
		for _, w := range []string{"的", "等", "和", "与", "、", "在", "为", "任"} {
			if strings.HasPrefix(after, w) {
				return true
			}
		}
	}
	return false
}

// surnames are the commonest Chinese family names.
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"

// trimLastRune drops the last character (the surname before a two-character
// given name: 区长何建义).
func trimLastRune(s string) string {
	_, size := utf8.DecodeLastRuneInString(s)
	return s[:len(s)-size]
}

// bestCorrection is the most common word made by changing one of the two
// characters a, b to a confusable one, and its count.
func bestCorrection(set *rules.Set, a, b string) (string, int) {
	ra, _ := utf8.DecodeRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	best, count := "", 0
	try := func(w string) {
		if c := set.WordCount(w); c > count {
			best, count = w, c
		}
	}
	for _, c := range set.Lookalikes(ra) {
		try(string(c) + b)
	}
	for _, c := range set.Lookalikes(rb) {
		try(a + string(c))
	}
	return best, count
}

func suspectFinding(text, pageURL string, s suspect, set *rules.Set) Finding {
	return Finding{Category: Typo, Severity: Low, Suspected: true, URL: pageURL, Rule: RuleSuspectTypo,
		Version: set.Version, Evidence: context(text, s.start, s.end, s.wrong),
		Message: fmt.Sprintf("疑似错别字：“%s”可能应为“%s”（请人工核实）", s.wrong, s.right)}
}
