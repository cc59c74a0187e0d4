package rules

import (
	"math"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// WordsFile is the typo detector's word list: word<TAB>count (words.tsv).
const WordsFile = "words.tsv"

// Suspect is the typo detector's setting (checks.suspects).
type Suspect struct {
	// Confidence is how sure (0–1) the detector must be to report a
	// suspected typo: higher is quieter, 0 turns the detector off.
	Confidence float64
}

// DefaultSuspectConfidence is the detector's default: on the clean corpora
// it cries wolf less than once in 100,000 characters.
const DefaultSuspectConfidence = 0.98

// maxWord is the longest word the segmenter looks up, in characters.
const maxWord = 6

func parseWords(data []byte, file string, into map[string]int32) Errors {
	return eachLine(data, file, func(n int, f []string, bad func(string, ...any)) {
		var count int
		var err error
		if len(f) == 2 {
			count, err = strconv.Atoi(f[1])
		}
		if len(f) != 2 || err != nil || count <= 0 || utf8.RuneCountInString(f[0]) > maxWord {
			bad("expected a word of at most 6 characters, a tab and a positive count")
			return
		}
		if f[0] == "" {
			bad("an empty word")
			return
		}
		into[f[0]] = int32(min(count, math.MaxInt32))
	})
}

// WordCount is how often a word was counted in the word list's corpus; 0
// for a string that is no known word.
func (s *Set) WordCount(w string) int {
	if s == nil {
		return 0
	}
	return int(s.words[w])
}

// LogProb is the log probability of a word (or a character) in the word
// list's corpus; a string that is no word gets the floor of a lone rare
// character.
func (s *Set) LogProb(w string) float64 {
	logTotal := math.Log(s.wordsTotal + 1)
	if c := s.words[w]; c > 0 {
		return math.Log(float64(c)) - logTotal
	}
	return -logTotal - 3
}

// Token is one word of a segmented text, at byte offsets [Start, End).
type Token struct {
	Start, End int
	Word       bool // a word of the list (not a lone character)
}

// Segment cuts a run of Han characters into words, the most probable way
// by the word counts (jieba's method: every path through the words the
// text holds, each word weighing its count, a lone character the least).
// Characters that form no word are tokens of their own.
func (s *Set) Segment(run string) []Token {
	if run == "" {
		return nil
	}
	var starts []int // byte offset of each character, and the end
	for i := range run {
		starts = append(starts, i)
	}
	n := len(starts)
	starts = append(starts, len(run))
	logTotal := math.Log(s.wordsTotal + 1)
	single := -logTotal - 3 // a lone character: rarer than any word
	best := make([]float64, n+1)
	next := make([]int, n+1)
	for i := n - 1; i >= 0; i-- {
		lone := single
		if c := s.words[run[starts[i]:starts[i+1]]]; c > 0 {
			lone = math.Log(float64(c)) - logTotal
		}
		best[i], next[i] = lone+best[i+1], i+1
		for j := i + 2; j <= min(n, i+maxWord); j++ {
			if c := s.words[run[starts[i]:starts[j]]]; c > 0 {
				if p := math.Log(float64(c)) - logTotal + best[j]; p > best[i] {
					best[i], next[i] = p, j
				}
			}
		}
	}
	var out []Token
	for i := 0; i < n; i = next[i] {
		out = append(out, Token{Start: starts[i], End: starts[next[i]], Word: next[i]-i > 1})
	}
	return out
}

// HanRuns are the maximal runs of Han characters of text, as byte ranges.
func HanRuns(text string) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range text {
		if unicode.Is(unicode.Han, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}
