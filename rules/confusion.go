package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// PinyinFile lists characters' readings (pinyin.tsv): characters that share
// one, tones ignored, are confusable by sound.
const PinyinFile = "pinyin.tsv"

// ShapesFile lists classes of characters that share a phonetic component
// and look alike (shapes.tsv): the typo detector's confusables by shape,
// beside the pairs of lookalike.tsv.
const ShapesFile = "shapes.tsv"

func parseShapes(data []byte, file string, into map[rune][]rune) Errors {
	return eachLine(data, file, func(n int, f []string, bad func(string, ...any)) {
		cs := []rune(f[len(f)-1])
		if len(f) != 2 || len(cs) < 2 {
			bad("expected a class name, a tab and two or more characters")
			return
		}
		for _, a := range cs {
			for _, b := range cs {
				if a != b && !slices.Contains(into[a], b) {
					into[a] = append(into[a], b)
				}
			}
		}
	})
}

func parsePinyin(data []byte, file string, into map[rune][]string) Errors {
	return eachLine(data, file, func(n int, f []string, bad func(string, ...any)) {
		if len(f) != 2 || utf8.RuneCountInString(f[0]) != 1 || f[1] == "" {
			bad("expected a character, a tab and its readings separated by spaces")
			return
		}
		c, _ := utf8.DecodeRuneInString(f[0])
		for _, r := range strings.Fields(f[1]) {
			r = toneless(r)
			if r == "" {
				bad("a reading %q has no letters", r)
				return
			}
			if !slices.Contains(into[c], r) {
				into[c] = append(into[c], r)
			}
		}
	})
}

// toneless is a pinyin reading without its tone marks or digits: ü is v.
func toneless(r string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(strings.ToLower(r)) {
		switch {
		case c == 'ü':
			b.WriteByte('v')
		case c >= 'a' && c <= 'z':
			b.WriteRune(c)
		case c == '\u0308': // the diaeresis of a decomposed ü
			if s := b.String(); strings.HasSuffix(s, "u") {
				b.Reset()
				b.WriteString(s[:len(s)-1] + "v")
			}
		}
	}
	return b.String()
}

// confusables builds, for every character of pinyin.tsv and lookalike.tsv, the
// characters a writer may have meant instead: same reading (pinyin.tsv) or
// look-alike (lookalike.tsv), each itself known to the model at least
// minCount times, commonest first.
func confusables(lm *CharLM, readings map[rune][]string, look map[rune][]rune, minCount int) map[rune][]uint32 {
	if lm == nil {
		return nil
	}
	bySound := map[string][]rune{}
	for c, rs := range readings {
		if lm.Count(c) < minCount {
			continue
		}
		for _, r := range rs {
			bySound[r] = append(bySound[r], c)
		}
	}
	out := make(map[rune][]uint32, len(readings))
	from := map[rune]bool{}
	for c := range readings {
		from[c] = true
	}
	for c := range look {
		from[c] = true
	}
	for c := range from {
		var cs []rune
		add := func(o rune) {
			if o != c && lm.Count(o) >= minCount && !slices.Contains(cs, o) {
				cs = append(cs, o)
			}
		}
		for _, r := range readings[c] {
			for _, o := range bySound[r] {
				add(o)
			}
		}
		for _, o := range look[c] {
			add(o)
		}
		slices.SortFunc(cs, func(a, b rune) int { return lm.Count(b) - lm.Count(a) })
		if len(cs) > 0 {
			syms := make([]uint32, len(cs))
			for i, o := range cs {
				syms[i] = lm.symbol(o)
			}
			out[c] = syms
		}
	}
	return out
}

// The embedded character model, read once.
var (
	embeddedLM     *CharLM
	embeddedLMErr  error
	embeddedLMOnce sync.Once
)

// loadCharLM is the operator's model in dir when there is one, else the
// embedded one.
func loadCharLM(dir string) (*CharLM, error) {
	if dir != "" {
		name := filepath.Join(dir, CharLMFile)
		fi, err := os.Stat(name)
		if err == nil {
			return operatorLM(name, fi)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("rules: %w", err)
		}
	}
	embeddedLMOnce.Do(func() {
		data, err := fs.ReadFile(defaults, CharLMFile)
		if err != nil {
			embeddedLMErr = fmt.Errorf("rules: %w", err)
			return
		}
		embeddedLM, embeddedLMErr = ReadCharLM(bytes.NewReader(data), "rules/"+CharLMFile)
	})
	return embeddedLM, embeddedLMErr
}

// The operator's model, read again only when its file changes: rules are
// loaded at every scan, a model takes seconds and tens of MiB.
var (
	operatorLMMu   sync.Mutex
	operatorLMFile struct {
		name string
		size int64
		mod  time.Time
		lm   *CharLM
	}
)

func operatorLM(name string, fi fs.FileInfo) (*CharLM, error) {
	operatorLMMu.Lock()
	defer operatorLMMu.Unlock()
	c := &operatorLMFile
	if c.lm != nil && c.name == name && c.size == fi.Size() && c.mod.Equal(fi.ModTime()) {
		return c.lm, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	lm, err := ReadCharLM(bytes.NewReader(data), name)
	if err != nil {
		return nil, err
	}
	c.name, c.size, c.mod, c.lm = name, fi.Size(), fi.ModTime(), lm
	return lm, nil
}

// LM is the typo detector's character model.
func (s *Set) LM() *CharLM {
	if s == nil {
		return nil
	}
	return s.lm
}

// Confusables are the characters a writer may have meant instead of c
// (same sound or look-alike), commonest first, as symbols of the character
// model (LM().Char turns one back into its character).
func (s *Set) Confusables(c rune) []uint32 {
	if s == nil {
		return nil
	}
	return s.confusion[c]
}

// confusableMinCount is how often (in the character model's corpus) a
// character must occur to be suggested: rare characters are seldom meant.
const confusableMinCount = 20
