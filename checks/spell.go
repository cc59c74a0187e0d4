package checks

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xunjian/xunjian/rules"
)

// RuleSuspectTypo is the typo detector's finding: a character where one
// that sounds or looks like it fits the text far better (关健 → 关键,
// 复盖 → 覆盖, 清况 → 情况).
const RuleSuspectTypo = "typo.suspect"

// suspect is a span the detector doubts, at byte offsets [start, end), with
// the span as it probably should read and how sure the detector is (0–1).
type suspect struct {
	start, end   int
	wrong, right string
	confidence   float64
}

// suspects finds, in each run of Chinese text, characters that a character
// that sounds the same or looks alike (rules.Set.Confusables) would fit far
// better: the character model (rules.CharLM, trained on official prose)
// finds the change makes the neighbouring characters much likelier, and the
// word list finds it turns characters that form no word into a common one.
// Each candidate's signals are weighed by suspectModel into a confidence;
// those at or above set.Suspect.Confidence are reported. Names (a title or a
// surname before, 同志 after), quotations and numbers are left alone.
func suspects(text string, set *rules.Set) []suspect {
	if set == nil || set.Suspect.Confidence <= 0 || set.LM() == nil {
		return nil
	}
	var out []suspect
	for _, run := range rules.HanRuns(text) {
		for _, c := range candidates(text, run, set) {
			// Written so that a NaN confidence (an inconsistent model) is
			// never reported.
			if !(c.confidence() >= set.Suspect.Confidence) || c.name {
				continue
			}
			sp := c.suspect(text, run, set)
			if n := len(out); n > 0 && out[n-1].end > sp.start {
				continue // overlaps the one before: one slip, one finding
			}
			out = append(out, sp)
		}
	}
	return out
}

// candidate is the best change of one character of a run and the signals
// that judge it.
type candidate struct {
	at           int // byte offset in the run
	wrong, right rune
	runes        []rune // the run
	i            int    // the character's index in runes
	name         bool   // the text around reads as a person's or a place's name
	f            features
}

// features are the signals the detector weighs, in the order of
// suspectModel's weights.
type features struct {
	lm        float64 // log-likelihood gain of the change by the character model
	seg       float64 // log-likelihood gain by the word list (best segmentation of ±4 characters)
	wrongWord float64 // log(1+count) of the word the character stands in, 0 if it stands alone
	rightWord float64 // the same for the changed character
	pairWrong float64 // log(1+count) of the rarer of the character's pairs with its neighbours
	pairRight float64 // the same for the changed character
	wrongFreq float64 // log(1+count) of the character in the model's corpus
	rightFreq float64 // the same for the changed character
}

// lmFloor is the least character-model gain worth weighing: below it no
// weights make a change likely (measured on ECSpell's training file).
const lmFloor = 2.0

// candidates weighs, for every character of a run of Han characters
// text[run[0]:run[1]], its best confusable change.
func candidates(text string, run [2]int, set *rules.Set) []candidate {
	lm := set.LM()
	seg := text[run[0]:run[1]]
	rs := []rune(seg)
	if len(rs) < 2 {
		return nil
	}
	syms := lm.Symbols(rs)
	var out []candidate
	at := 0
	for i, x := range rs {
		start := at
		at += utf8.RuneLen(x)
		// Nearly every slip makes a pair never seen in the corpus: a
		// character seen beside both neighbours is left alone.
		if !lm.Broken(syms, i+1) {
			continue
		}
		conf := set.Confusables(x)
		if len(conf) == 0 {
			continue
		}
		sym, best, ok := lm.BestChange(syms, i+1, conf, lmFloor)
		if !ok {
			continue
		}
		fix := lm.Char(sym)
		var prev, next rune
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		c := candidate{at: start, wrong: x, right: fix, runes: rs, i: i}
		c.f.lm = best
		c.f.pairWrong = logCount(min(lm.PairCount(prev, x), lm.PairCount(x, next)))
		c.f.pairRight = logCount(min(lm.PairCount(prev, fix), lm.PairCount(fix, next)))
		c.f.wrongFreq = logCount(lm.Count(x))
		c.f.rightFreq = logCount(lm.Count(fix))
		// Only the window around the character is copied and segmented: a
		// page of one long run costs linear time, whatever it holds.
		lo, hi := max(0, i-4), min(len(rs), i+5)
		fixed := slices.Clone(rs[lo:hi])
		fixed[i-lo] = fix
		var ws, wc int
		c.f.seg, ws, wc = segGain(set, rs[lo:hi], fixed, i-lo)
		c.f.wrongWord, c.f.rightWord = logCount(ws), logCount(wc)
		c.name = nameCue(seg, start, at) || placeCue(seg[at:])
		out = append(out, c)
	}
	if len(out) > 0 && quoted(text, run[0]) {
		return nil // a quotation, or a slogan in quotation marks
	}
	return out
}

func logCount(n int) float64 { return math.Log1p(float64(n)) }

// segGain is how much likelier the best segmentation of fixed is than that
// of orig (the same characters but the one at i), and the counts of the
// words that cover i in each (0 where it stands alone).
func segGain(set *rules.Set, orig, fixed []rune, i int) (gain float64, wrongWord, rightWord int) {
	score := func(rs []rune) (float64, int) {
		s := string(rs)
		var lp float64
		word, n := 0, 0
		for _, t := range set.Segment(s) {
			w := s[t.Start:t.End]
			lp += set.LogProb(w)
			k := utf8.RuneCountInString(w)
			if t.Word && i >= n && i < n+k {
				word = set.WordCount(w)
			}
			n += k
		}
		return lp, word
	}
	a, wa := score(orig)
	b, wb := score(fixed)
	return b - a, wa, wb
}

// suspectModel are the weights of a logistic model over features.values,
// fitted by rules/curate/detector.py on the wrong characters of ECSpell's
// official-document training file against every change the detector
// weighs in the clean corpora: the score is bias + Σ weight·value.
var suspectModel = struct {
	bias    float64
	weights [16]float64
}{-2.2446, [16]float64{0.1117, 0.0812, -0.0229, -0.1445, 0.1214, -0.0806, 0.0249, -0.0286, 0.1308, 0.0251, 0.4758, 0.0461, 0.7256, -0.0309, 0.0920, -0.0156}}

// values are the features and the combinations of them the model weighs,
// in its order.
func (f features) values() [16]float64 {
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	return [16]float64{f.lm, f.seg, f.wrongWord, f.rightWord, f.pairWrong, f.pairRight, f.wrongFreq, f.rightFreq,
		f.lm * b(f.rightWord > 0), f.seg * b(f.wrongWord == 0), b(f.wrongWord == 0 && f.rightWord > 0), f.lm * b(f.wrongWord == 0),
		b(f.pairWrong == 0), f.lm * b(f.pairWrong == 0), min(f.lm, 20), max(0, f.rightWord-f.wrongWord)}
}

// confidence is the probability the model gives the change being right.
func (c candidate) confidence() float64 {
	s := suspectModel.bias
	for k, v := range c.f.values() {
		s += suspectModel.weights[k] * v
	}
	return 1 / (1 + math.Exp(-s))
}

// suspect reports the change on the word it mends: 复盖 → 覆盖 rather than
// 复 → 覆; a character that makes no word is shown with its neighbour.
func (c candidate) suspect(text string, run [2]int, set *rules.Set) suspect {
	// The words around the character: a window of the longest word either
	// side, so a run of any length costs the same.
	wlo, whi := max(0, c.i-maxWordRunes), min(len(c.runes), c.i+maxWordRunes+1)
	fixed := slices.Clone(c.runes[wlo:whi])
	fixed[c.i-wlo] = c.right
	lo, hi := c.i, c.i+1
	s := string(fixed)
	n := wlo
	for _, t := range set.Segment(s) {
		k := utf8.RuneCountInString(s[t.Start:t.End])
		if c.i >= n && c.i < n+k && k > 1 {
			lo, hi = n, n+k
		}
		n += k
	}
	if hi-lo == 1 {
		if hi < len(c.runes) {
			hi++
		} else if lo > 0 {
			lo--
		}
	}
	// Byte offsets from the character's own (c.at), not by re-encoding the
	// run's start.
	start := run[0] + c.at - len(string(c.runes[lo:c.i]))
	end := run[0] + c.at + len(string(c.runes[c.i:hi]))
	return suspect{start: start, end: end, wrong: string(c.runes[lo:hi]), right: string(fixed[lo-wlo : hi-wlo]), confidence: c.confidence()}
}

// maxWordRunes is the longest word of the word list, in characters.
const maxWordRunes = 6

// placeCue reports text that starts with what ends a place's name: the
// character before it is left alone (下叔村, 明石海峡 are names, not typos).
func placeCue(after string) bool {
	r, _ := utf8.DecodeRuneInString(after)
	if strings.ContainsRune("村镇乡县市省州路街巷岛湾港峡", r) {
		return true
	}
	for _, w := range []string{"海峡", "大桥", "大街", "大道", "社区", "街道", "小区", "公园", "水库"} {
		if strings.HasPrefix(after, w) {
			return true
		}
	}
	return false
}

// quoted reports whether byte offset i of text is inside quotation marks:
// the nearest Chinese mark before it on its line opens a quotation, or an
// odd number of ASCII ones precede it there.
func quoted(text string, i int) bool {
	// ASCII quotation marks open and close alike: an odd number of them
	// before i on its line opens one.
	if line := text[strings.LastIndexByte(text[:i], '\n')+1 : i]; strings.Count(line, `"`)%2 == 1 {
		return true
	}
	for n := 0; i > 0 && n < 200; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		i -= size
		switch r {
		case '“', '‘', '「', '『':
			return true
		case '”', '’', '」', '』', '\n':
			return false
		}
	}
	return false
}

// Words that stand right before a person's name, or right after one.
var (
	beforeName = []string{"长", "书记", "主任", "委员", "经理", "记者", "代表", "同志", "老师", "医生", "先生", "女士", "村民", "市民", "群众",
		"任命", "发言人", "主席", "总统", "总理", "大使", "教练", "选手", "队员", "作者"}
	afterName = []string{"同志", "先生", "女士", "主持", "出席", "指出", "强调", "表示", "介绍", "说"}
)

// nameCue reports characters at run[start:end] that a title precedes or a
// verb of speech follows within two characters, as names are written:
// 副区长程立同志, 何建义的职务.
func nameCue(run string, start, end int) bool {
	before, after := run[:start], run[end:]
	for k := 0; k < 2; k++ {
		for _, w := range beforeName {
			if strings.HasSuffix(before, w) {
				return true
			}
		}
		for _, w := range afterName {
			if strings.HasPrefix(after, w) {
				return true
			}
		}
		before = trimLastRune(before)
		_, size := utf8.DecodeRuneInString(after)
		after = after[size:]
	}
	// A common surname one or two characters before and 的, 等, 和 …
	// within two after: a three-character name (何建义的职务, 赵永吉等49名
	//同志), not 高复盖率.
	sur1, size := utf8.DecodeLastRuneInString(run[:start])
	sur2, _ := utf8.DecodeLastRuneInString(run[:start-size])
	if strings.ContainsRune(surnames, sur1) || strings.ContainsRune(surnames, sur2) {
		rest := run[end:]
		_, size := utf8.DecodeRuneInString(rest)
		for _, w := range []string{"的", "等", "和", "与", "在", "为", "任"} {
			if strings.HasPrefix(rest, w) || strings.HasPrefix(rest[size:], w) {
				return true
			}
		}
	}
	return false
}

// surnames are the commonest Chinese family names.
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"

// trimLastRune drops the last character.
func trimLastRune(s string) string {
	_, size := utf8.DecodeLastRuneInString(s)
	return s[:len(s)-size]
}

func suspectFinding(text, pageURL string, s suspect, set *rules.Set) Finding {
	return Finding{Category: Typo, Severity: Low, Suspected: true, URL: pageURL, Rule: RuleSuspectTypo,
		Version: set.Version, Evidence: context(text, s.start, s.end, s.wrong),
		Message: fmt.Sprintf("疑似错别字：“%s”可能应为“%s”（置信度 %.0f%%，请人工核实）", s.wrong, s.right, min(math.Floor(s.confidence*100), 99))}
}
