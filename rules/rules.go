// Package rules holds the wording rules as data: typo pairs, serious-error
// forms, renamed institutions, repealed laws and cautioned wording, in
// tab-separated files embedded in the binary (this folder's *.tsv) and
// extended or overridden by an operator's folder, plus an allowlist that
// silences a false alarm. Load validates every line and compiles one
// multi-pattern matcher; a bad line is "file:line: reason", never skipped.
package rules

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	coregx "github.com/coregx/ahocorasick"
)

//go:embed *.tsv charlm.bin
var defaults embed.FS

// Kind is what a rule finds.
type Kind string

const (
	Typo      Kind = "typo"
	Serious   Kind = "serious_error"
	Obsolete  Kind = "obsolete_name" // a renamed or abolished institution
	Law       Kind = "repealed_law"  // a repealed law or regulation (category obsolete_name)
	Sensitive Kind = "sensitive_word"
)

// Rule is one line of a rule file.
type Rule struct {
	ID     string
	Kind   Kind
	Terms  []string  // what is matched: the wrong form(s), 《title》 for laws
	Right  string    // the correction, the new name, or the advice
	Since  time.Time // obsolete names and laws: from when the old form is wrong
	Except []string  // contexts in which a term is right (see the file headers)
	Source string
	File   string // where it was read, for messages
	Line   int
}

// Allow silences a term everywhere, or on one page.
type Allow struct {
	Term string
	URL  string // "" for every page
}

// Set is a compiled, immutable rule set.
type Set struct {
	Rules   []Rule
	Allow   []Allow
	Version string // a short hash of every rule and allow line

	// Protected are the terms that must never be misspelt (protected.tsv).
	Protected []Protected
	// Leaders are the district's leaders (WithLeaders).
	Leaders []Leader
	// Suspect are the typo detector's thresholds (the defaults unless the
	// configuration says otherwise).
	Suspect Suspect

	patterns     []string
	owner        []int // pattern index → rule index
	matcher      *coregx.Automaton
	lookalike    map[[2]rune]bool
	confusable   map[rune][]rune
	near         *coregx.Automaton
	nearPatterns [][]nearPattern // per automaton pattern: the terms and how it stands for them
	runes        []int           // per protected term: its length in characters
	longestTerm  int             // bytes of the longest protected term
	words        map[string]int32
	wordsTotal   float64
	lm           *CharLM
	confusion    map[rune][]uint32 // per character: same sound or look-alike (Confusables)
}

// fileKinds are the rule files and what their columns mean.
var fileKinds = map[string]Kind{
	"typos.tsv": Typo, "serious.tsv": Serious, "obsolete.tsv": Obsolete, "laws.tsv": Law, "sensitive.tsv": Sensitive,
}

// AllowFile is the operator's allowlist in the override folder.
const AllowFile = "allow.tsv"

// LineError is a bad line of a rule file.
type LineError struct {
	File string
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Errors is every problem found in the rule files.
type Errors []error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Load reads the embedded defaults and, when dir is not empty, the operator's
// folder: its rule files add rules, a rule with an embedded rule's id
// replaces it, and allow.tsv lists terms to leave alone. Any bad line fails
// the load with every problem listed.
func Load(dir string) (*Set, error) {
	var rules []Rule
	var allow []Allow
	var protected []Protected
	lookalike, detect := map[[2]rune]bool{}, map[[2]rune]bool{}
	words := map[string]int32{}
	readings := map[rune][]string{}
	shapes := map[rune][]rune{}
	var errs Errors
	h := sha256.New()
	read := func(fsys fs.FS, name, shown string) {
		data, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("rules: %w", err))
			return
		}
		h.Write(data)
		switch name {
		case AllowFile:
			a, e := parseAllow(data, shown)
			allow, errs = append(allow, a...), append(errs, e...)
			return
		case ProtectedFile:
			ps, e := parseProtected(data, shown)
			errs = append(errs, e...)
			for _, p := range ps {
				if i := slices.IndexFunc(protected, func(o Protected) bool { return o.ID == p.ID }); i >= 0 {
					protected[i] = p
					continue
				}
				protected = append(protected, p)
			}
			return
		case WordsFile:
			errs = append(errs, parseWords(data, shown, words)...)
			return
		case PinyinFile:
			errs = append(errs, parsePinyin(data, shown, readings)...)
			return
		case ShapesFile:
			errs = append(errs, parseShapes(data, shown, shapes)...)
			return
		case LookalikeFile:
			m, d, e := parseLookalike(data, shown)
			errs = append(errs, e...)
			for k := range m {
				lookalike[k] = true
			}
			for k := range d {
				detect[k] = true
			}
			return
		}
		rs, e := parse(data, shown, fileKinds[name])
		errs = append(errs, e...)
		for _, r := range rs {
			if i := slices.IndexFunc(rules, func(o Rule) bool { return o.ID == r.ID }); i >= 0 {
				rules[i] = r
				continue
			}
			rules = append(rules, r)
		}
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range fileKinds {
			if !yield(n) {
				return
			}
		}
	})
	names = append(names, ProtectedFile, LookalikeFile, WordsFile, PinyinFile, ShapesFile)
	for _, n := range names {
		read(defaults, n, "rules/"+n)
	}
	if dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("rules: %s is not a folder", dir)
		}
		for _, n := range append(names, AllowFile) {
			read(os.DirFS(dir), n, filepath.Join(dir, n))
		}
	}
	lm, err := loadCharLM(dir)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	s := &Set{lm: lm, Rules: rules, Allow: allow, Protected: protected, lookalike: lookalike, words: words,
		Suspect:    Suspect{Confidence: DefaultSuspectConfidence},
		confusable: map[rune][]rune{}, Version: hex.EncodeToString(h.Sum(nil))[:8]}
	for pair := range detect {
		s.confusable[pair[0]] = append(s.confusable[pair[0]], pair[1])
	}
	for _, cs := range s.confusable {
		slices.Sort(cs)
	}
	for c, cs := range s.confusable {
		for _, o := range cs {
			if !slices.Contains(shapes[c], o) {
				shapes[c] = append(shapes[c], o)
			}
		}
	}
	s.confusion = confusables(lm, readings, shapes, confusableMinCount)
	for _, c := range words {
		s.wordsTotal += float64(c)
	}
	s.compile()
	s.compileNear()
	return s, nil
}

// compile builds the matcher over every term of every rule: a DFA
// (coregx/ahocorasick) read in overlapping mode — only its overlapping
// scan is used; the leftmost-longest choice is ours (LeftmostLongest), checked
// against a brute-force search in the tests.
func (s *Set) compile() {
	s.patterns, s.owner = nil, nil
	for i, r := range s.Rules {
		for _, t := range r.Terms {
			s.patterns = append(s.patterns, t)
			s.owner = append(s.owner, i)
		}
	}
	if len(s.patterns) == 0 {
		s.matcher = nil
		return
	}
	a, err := coregx.NewBuilder().SetMatchKind(coregx.LeftmostLongest).AddStrings(s.patterns).Build()
	if err != nil { // only for an empty pattern, which parse never lets through
		panic("rules: " + err.Error())
	}
	s.matcher = a
}

// Check validates the rule files in dir (the embedded ones when dir is "")
// and returns every problem, each as file:line: reason.
func Check(dir string) error {
	_, err := Load(dir)
	return err
}

// columns per kind: id, term(s), right, then optional since/except/source.
func parse(data []byte, file string, kind Kind) ([]Rule, Errors) {
	var out []Rule
	var errs Errors
	ids := map[string]int{}
	errs = eachLine(data, file, func(n int, f []string, bad func(string, ...any)) {
		min, max := 3, 5
		if len(f) < min || len(f) > max {
			bad("expected %d to %d tab-separated fields (id, term, correction …), got %d", min, max, len(f))
			return
		}
		r := Rule{ID: f[0], Kind: kind, Right: f[2], File: file, Line: n}
		if r.ID == "" || strings.ContainsAny(r.ID, " .") {
			bad("rule id %q must be a word without spaces or dots", r.ID)
			return
		}
		if prev, dup := ids[r.ID]; dup {
			bad("rule id %s is also used on line %d", r.ID, prev)
			return
		}
		ids[r.ID] = n
		for _, t := range strings.Split(f[1], "|") {
			if t = strings.TrimSpace(t); t != "" {
				r.Terms = append(r.Terms, t)
			}
		}
		if len(r.Terms) == 0 || r.Right == "" {
			bad("rule %s needs a term and a correction", r.ID)
			return
		}
		if slices.Contains(r.Terms, r.Right) {
			bad("rule %s: the term and the correction are the same (%s)", r.ID, r.Right)
			return
		}
		rest := f[3:]
		if kind == Obsolete || kind == Law {
			if len(rest) == 0 || rest[0] == "" {
				bad("rule %s needs the date from which the old name is wrong (YYYY-MM-DD)", r.ID)
				return
			}
			t, err := time.Parse("2006-01-02", rest[0])
			if err != nil {
				bad("rule %s: %q is not a date (YYYY-MM-DD)", r.ID, rest[0])
				return
			}
			r.Since, rest = t, rest[1:]
		}
		if kind == Law {
			for i, t := range r.Terms {
				r.Terms[i] = "《" + strings.Trim(t, "《》") + "》"
			}
		}
		if len(rest) > 0 && rest[0] != "" {
			for _, e := range strings.Split(rest[0], "|") {
				if e = strings.TrimSpace(e); e != "" {
					r.Except = append(r.Except, e)
				}
			}
		}
		if len(rest) > 1 {
			r.Source = rest[1]
		}
		out = append(out, r)
	})
	return out, errs
}

func parseAllow(data []byte, file string) ([]Allow, Errors) {
	var out []Allow
	errs := eachLine(data, file, func(n int, f []string, bad func(string, ...any)) {
		if len(f) > 2 || f[0] == "" {
			bad("expected a term, optionally a tab and the one page (URL) it is allowed on")
			return
		}
		a := Allow{Term: f[0]}
		if len(f) == 2 {
			a.URL = f[1]
		}
		out = append(out, a)
	})
	return out, errs
}

// eachLine calls fn with every line of a rule file that is neither blank
// nor a comment, numbered from 1, its tab-separated fields trimmed; bad
// records a problem of that line as file:line. A byte-order mark is
// dropped, and a line too long to read is an error, not the file's end.
func eachLine(data []byte, file string, fn func(n int, fields []string, bad func(format string, a ...any))) Errors {
	var errs Errors
	sc := bufio.NewScanner(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff")))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		f := strings.Split(line, "\t")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		fn(n, f, func(format string, a ...any) { errs = append(errs, &LineError{file, n, fmt.Sprintf(format, a...)}) })
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, &LineError{file, n + 1, "unreadable line: " + err.Error()})
	}
	return errs
}

// Hit is one rule term found in a text, at byte offsets [Start, End).
type Hit struct {
	Rule       *Rule
	Term       string
	Start, End int
}

// Match finds the rule terms in text: every position's longest term, left
// to right, without overlaps. The automaton reports all matches
// (overlapping); the choice is made here, because the leftmost-longest modes
// of the Aho-Corasick libraries measured here return nested or wrong matches.
func (s *Set) Match(text string) []Hit {
	if s == nil || s.matcher == nil {
		return nil
	}
	var all []Hit
	for _, m := range s.matcher.FindAllOverlapping([]byte(text)) {
		all = append(all, Hit{Rule: &s.Rules[s.owner[m.PatternID]], Term: s.patterns[m.PatternID], Start: m.Start, End: m.End})
	}
	return LeftmostLongest(all)
}

// LeftmostLongest keeps, from left to right, the longest hit at each start
// that does not overlap one already kept.
func LeftmostLongest(all []Hit) []Hit {
	slices.SortFunc(all, func(a, b Hit) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return (b.End - b.Start) - (a.End - a.Start)
	})
	out := all[:0]
	end := 0
	for _, h := range all {
		if h.Start >= end {
			out = append(out, h)
			end = h.End
		}
	}
	return out
}

// Allowed reports whether term is allowlisted on the page at url.
func (s *Set) Allowed(term, url string) bool {
	for _, a := range s.Allow {
		if a.Term == term && (a.URL == "" || a.URL == url) {
			return true
		}
	}
	return false
}
