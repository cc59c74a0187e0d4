package checks

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Punctuation rules (内容正确性).
const (
	RuleHalfWidth = "punctuation.half_width" // , ; : ? ! ( ) between Chinese characters
	RuleUnpaired  = "punctuation.unpaired"   // 《》 “” （） not closed within the paragraph
)

// halfWidthAt reports whether the ASCII mark at text[i] stands inside
// Chinese text: a Chinese character on both sides, or a Chinese character
// before and an opening “《（ after (spaces allowed), or a closing ”》）
// before and a Chinese character after — never a number (1,000, 10:30), a
// URL, English text or code.
func halfWidthAt(text string, i int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	j := i + 1
	after, _ := utf8.DecodeRuneInString(text[j:])
	han := func(r rune) bool { return unicode.Is(unicode.Han, r) }
	switch {
	case han(before) && han(after):
		return true
	case text[i] == '(' || text[i] == ')':
		return false
	case han(before):
		for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
			j++
		}
		after, _ = utf8.DecodeRuneInString(text[j:])
		return after == '“' || after == '《' || after == '（'
	case before == '”' || before == '》' || before == '）':
		return han(after)
	}
	return false
}

var fullWidthOf = map[byte]string{',': "，", ';': "；", ':': "：", '?': "？", '!': "！", '(': "（", ')': "）"}

var pairs = []struct{ open, close string }{{"《", "》"}, {"“", "”"}, {"（", "）"}}

// PunctuationMarks finds half-width punctuation inside Chinese sentences and
// brackets or quotes left open within a paragraph (one line of text). A
// pair closed within the next four non-empty lines (a <br> inside a title) is
// no error, and neither is a lone “ or ” (a quotation that runs over several
// paragraphs, each opening with “ and only the last closing — the standard
// form).
func PunctuationMarks(text, pageURL string) []Finding {
	var out []Finding
	for i := 0; i < len(text); i++ {
		mark := text[i]
		switch mark {
		case ',', ';', ':', '?', '!', '(', ')':
		default:
			continue
		}
		if !halfWidthAt(text, i) {
			continue
		}
		out = append(out, Finding{Category: Punctuation, Severity: Low, URL: pageURL, Rule: RuleHalfWidth,
			Evidence: context(text, i, i+1, string(mark)),
			Message:  "中文句子中使用了半角标点“" + string(mark) + "”，应为全角“" + fullWidthOf[mark] + "”"})
	}
	return unpaired(text, pageURL, out)
}

// unpaired appends the paragraphs whose brackets, titles or quotes do not
// balance; a first pass without allocation finds whether there are any.
func unpaired(text, pageURL string, out []Finding) []Finding {
	suspect := false
	for line := range strings.Lines(text) {
		for _, p := range pairs {
			if o, c := pairCounts(line, p.open, p.close); o != c {
				suspect = true
			}
		}
	}
	if !suspect {
		return out
	}
	lines := strings.Split(text, "\n")
	offset := 0
	for n, line := range lines {
		for _, p := range pairs {
			opens, closes := pairCounts(line, p.open, p.close)
			if opens == closes || balancedNearby(lines, n, p.open, p.close) {
				continue
			}
			// A lone “ or ” is how a quotation running over paragraphs
			// opens and ends: only a paragraph that has quotes of both
			// kinds and still does not balance is reported.
			if p.open == "“" && (opens == 0 || closes == 0) {
				continue
			}
			at := strings.Index(line, p.open)
			what := p.open
			if opens < closes {
				at, what = strings.Index(line, p.close), p.close
			}
			out = append(out, Finding{Category: Punctuation, Severity: Low, URL: pageURL, Rule: RuleUnpaired,
				Evidence: context(text, offset+at, offset+at+len(what), what),
				Message:  "段落中“" + p.open + p.close + "”不成对，疑似缺少“" + map[bool]string{true: p.close, false: p.open}[opens > closes] + "”"})
		}
		offset += len(line) + 1
	}
	return out
}

// ordinal is a list number with a lone closing bracket at the start of a
// paragraph — "1）", "一）", "a）" — a form GB/T 15834 allows for 序次语.
var ordinal = regexp.MustCompile(`^\s*[0-9a-zA-Z一二三四五六七八九十]{1,3}）`)

// pairCounts counts a paragraph's opening and closing marks of one pair; a
// list number's lone "）" is no closing mark.
func pairCounts(line, open, close string) (int, int) {
	o, c := strings.Count(line, open), strings.Count(line, close)
	if close == "）" && ordinal.MatchString(line) {
		c--
	}
	return o, c
}

// balancedNearby reports whether the pairs of line n balance together with up
// to four neighbouring lines (an opening closed on a later line, or a closing
// opened on one before).
func balancedNearby(lines []string, n int, open, close string) bool {
	// The window: line n and up to four non-empty lines either side (a
	// subscript such as PM2.5 can break a bracket over several lines).
	window := []int{n}
	for i, k := n-1, 0; i >= 0 && k < 4; i-- {
		if strings.TrimSpace(lines[i]) != "" {
			window = append([]int{i}, window...)
			k++
		}
	}
	at := len(window) - 1
	for i, k := n+1, 0; i < len(lines) && k < 4; i++ {
		if strings.TrimSpace(lines[i]) != "" {
			window = append(window, i)
			k++
		}
	}
	for lo := 0; lo <= at; lo++ {
		for hi := at; hi < len(window); hi++ {
			if lo == hi {
				continue
			}
			o, c := 0, 0
			for _, i := range window[lo : hi+1] {
				lo, lc := pairCounts(lines[i], open, close)
				o, c = o+lo, c+lc
			}
			if o == c {
				return true
			}
		}
	}
	return false
}
