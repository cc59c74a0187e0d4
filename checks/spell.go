package checks

import (
	"fmt"
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
