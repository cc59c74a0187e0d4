package rules

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	coregx "github.com/coregx/ahocorasick"
)

// Protected terms are names that must never be misspelt — the state's and
// the Party's names, organs, laws, the standard political formulations,
// leaders — read from protected.tsv. A text that carries a near miss of one
// (one character substituted, inserted, dropped, or two swapped) has a
// serious wording error (严重表述错误): 检查院 for 检察院, 中共人民共和国 for
// 中华人民共和国, 习近平近新时代… for 习近平新时代…. Short terms (3–4
// characters) are judged strictly: only a look-alike or same-sound
// substitution (lookalike.tsv) or a swap counts, since a short string one
// edit away is often another word.

// Files of the near-miss model.
const (
	ProtectedFile = "protected.tsv"
	LookalikeFile = "lookalike.tsv"
)

// Protected is one line of protected.tsv.
type Protected struct {
	ID     string
	Term   string
	Class  string   // state, party, organ, law, formulation, leader
	Except []string // correct words one edit away (人民法庭 for 人民法院)
	Source string
	File   string
	Line   int
}

// NearMiss is a near miss of a protected term found in a text, at byte
// offsets [Start, End).
type NearMiss struct {
	Protected  *Protected
	Found      string
	Start, End int
}

// shortTerm is the length (in characters) up to which a term is judged
// strictly.
const shortTerm = 4

type nearKind uint8

const (
	nearExact  nearKind = iota // the term itself
	nearPrefix                 // its first half: an edit after it
	nearSuffix                 // its second half: an edit before it
	nearSwap                   // the two characters around the halves' border swapped
)

type nearPattern struct {
	term int // index into Set.Protected
	kind nearKind
}

func parseProtected(data []byte, file string) ([]Protected, Errors) {
	var out []Protected
	ids := map[string]int{}
	errs := eachLine(data, file, func(n int, f []string, bad func(string, ...any)) {
		if len(f) < 3 || len(f) > 5 {
			bad("expected 3 to 5 tab-separated fields (id, term, class, except, source), got %d", len(f))
			return
		}
		p := Protected{ID: f[0], Term: f[1], Class: f[2], File: file, Line: n}
		if p.ID == "" || strings.ContainsAny(p.ID, " .") {
			bad("term id %q must be a word without spaces or dots", p.ID)
			return
		}
		if prev, dup := ids[p.ID]; dup {
			bad("term id %s is also used on line %d", p.ID, prev)
			return
		}
		ids[p.ID] = n
		if utf8.RuneCountInString(p.Term) < 3 || strings.ContainsAny(p.Term, " |") {
			bad("term %q: at least 3 characters, no spaces", p.Term)
			return
		}
		switch p.Class {
		case "state", "party", "organ", "law", "formulation", "leader", "place":
		default:
			bad("class %q: use state, party, organ, law, formulation, leader or place", p.Class)
			return
		}
		if len(f) > 3 {
			for _, e := range strings.Split(f[3], "|") {
				if e = strings.TrimSpace(e); e != "" {
					p.Except = append(p.Except, e)
				}
			}
		}
		if len(f) > 4 {
			p.Source = f[4]
		}
		out = append(out, p)
	})
	return out, errs
}

// parseLookalike reads pairs of characters confused by shape or sound. A
// pair whose note starts with "hand" serves the protected terms only: the
// typo detector uses the pairs derived from the confusion dictionaries
// (detect).
func parseLookalike(data []byte, file string) (out, detect map[[2]rune]bool, _ Errors) {
	out, detect = map[[2]rune]bool{}, map[[2]rune]bool{}
	errs := eachLine(data, file, func(n int, f []string, bad func(string, ...any)) {
		if len(f) < 2 || utf8.RuneCountInString(f[0]) != 1 || utf8.RuneCountInString(f[1]) != 1 {
			bad("expected two single characters, tab-separated")
			return
		}
		a, _ := utf8.DecodeRuneInString(f[0])
		b, _ := utf8.DecodeRuneInString(f[1])
		out[[2]rune{a, b}], out[[2]rune{b, a}] = true, true
		if len(f) < 3 || !strings.HasPrefix(f[2], "hand") {
			detect[[2]rune{a, b}], detect[[2]rune{b, a}] = true, true
		}
	})
	return out, detect, errs
}

// WithProtected returns a copy of the set with more protected terms (the
// district's leaders from the configuration): terms shorter than 3
// characters or already protected are left out.
func (s *Set) WithProtected(more []Protected) *Set {
	out := *s
	out.Protected = slices.Clone(s.Protected)
	for _, p := range more {
		if utf8.RuneCountInString(p.Term) < 3 || slices.ContainsFunc(out.Protected, func(o Protected) bool { return o.Term == p.Term }) {
			continue
		}
		out.Protected = append(out.Protected, p)
	}
	out.compileNear()
	return &out
}

// Leader is one of the district's leaders from the configuration.
type Leader struct {
	Name   string
	Titles []string
}

// WithLeaders returns a copy of the set that knows the district's leaders:
// each name (3+ characters) and each title with the name are protected
// terms, and a title followed by another leader's name is a mismatch
// (Mismatches).
func (s *Set) WithLeaders(leaders []Leader) *Set {
	var ps []Protected
	for _, l := range leaders {
		// Ids from the names, not positions: reordering the configuration
		// keeps every issue's fingerprint.
		id := "leader-" + l.Name
		ps = append(ps, Protected{ID: id, Term: l.Name, Class: "leader", Source: "config"})
		for _, t := range l.Titles {
			ps = append(ps, Protected{ID: id + "-" + t, Term: t + l.Name, Class: "leader", Source: "config"})
		}
	}
	out := s.WithProtected(ps)
	out.Leaders = slices.Clone(leaders)
	return out
}

// Mismatch is a leader's name after a title that is not theirs (区长王建国
// when 王建国 is 区委书记), at byte offsets [Start, End).
type Mismatch struct {
	Title, Name string
	Holders     []string // the leaders who hold the title
	Start, End  int
}

// Mismatches finds the configured leaders' names right after a title that
// another configured leader holds and they do not.
func (s *Set) Mismatches(text string) []Mismatch {
	var out []Mismatch
	for _, l := range s.Leaders {
		for _, other := range s.Leaders {
			for _, title := range other.Titles {
				if other.Name == l.Name || slices.Contains(l.Titles, title) {
					continue
				}
				pat := title + l.Name
				for i := 0; ; {
					j := strings.Index(text[i:], pat)
					if j < 0 {
						break
					}
					at := i + j
					i = at + len(pat)
					// 常务副区长王建国 holds 区长王建国: his own longer title.
					if slices.ContainsFunc(l.Titles, func(own string) bool {
						return strings.HasSuffix(own, title) && strings.HasSuffix(text[:at+len(title)], own)
					}) {
						continue
					}
					out = append(out, Mismatch{Title: title, Name: l.Name, Holders: []string{other.Name}, Start: at, End: at + len(pat)})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Mismatch) int { return a.Start - b.Start })
	var merged []Mismatch
	for _, m := range out {
		if n := len(merged); n > 0 && merged[n-1].Start == m.Start && merged[n-1].End == m.End {
			merged[n-1].Holders = append(merged[n-1].Holders, m.Holders...)
			continue
		}
		merged = append(merged, m)
	}
	return merged
}

// compileNear builds the automaton of the terms, their halves and their
// border swaps. A single edit leaves one half intact, except a swap across
// the border, which is a pattern of its own.
func (s *Set) compileNear() {
	s.nearPatterns, s.near = nil, nil
	var pats []string
	index := map[string]int{}
	// One pattern per string: 47 laws share 中华人民共和国's first half, and
	// one match must stand for all of them.
	add := func(p string, term int, kind nearKind) {
		i, ok := index[p]
		if !ok {
			i = len(pats)
			index[p] = i
			pats = append(pats, p)
			s.nearPatterns = append(s.nearPatterns, nil)
		}
		s.nearPatterns[i] = append(s.nearPatterns[i], nearPattern{term, kind})
	}
	s.runes = make([]int, len(s.Protected))
	s.longestTerm = 0
	for i, p := range s.Protected {
		r := []rune(p.Term)
		s.runes[i] = len(r)
		s.longestTerm = max(s.longestTerm, len(p.Term))
		h := len(r) / 2
		add(p.Term, i, nearExact)
		add(string(r[:h]), i, nearPrefix)
		add(string(r[h:]), i, nearSuffix)
		sw := slices.Clone(r)
		sw[h-1], sw[h] = sw[h], sw[h-1]
		if sw[h-1] != sw[h] {
			add(string(sw), i, nearSwap)
		}
	}
	if len(pats) == 0 {
		return
	}
	a, err := coregx.NewBuilder().AddStrings(pats).Build()
	if err != nil {
		panic("rules: " + err.Error())
	}
	s.near = a
}

// spansOverlap reports whether a span of sorted (by start, each at most
// maxSpan long) overlaps [start, end).
func spansOverlap(sorted [][2]int, start, end, maxSpan int) bool {
	i, _ := slices.BinarySearchFunc(sorted, start-maxSpan, func(e [2]int, t int) int { return e[0] - t })
	for ; i < len(sorted) && sorted[i][0] < end; i++ {
		if start < sorted[i][1] {
			return true
		}
	}
	return false
}

// spansHold reports whether a span of sorted holds [start, end).
func spansHold(sorted [][2]int, start, end, maxSpan int) bool {
	i, _ := slices.BinarySearchFunc(sorted, start-maxSpan, func(e [2]int, t int) int { return e[0] - t })
	for ; i < len(sorted) && sorted[i][0] <= start; i++ {
		if end <= sorted[i][1] {
			return true
		}
	}
	return false
}

// NearMisses finds the near misses of protected terms in text, left to
// right, one per place.
func (s *Set) NearMisses(text string) []NearMiss {
	misses, _ := s.Protect(text)
	return misses
}

// Protect reads text for the protected terms in one pass: their near
// misses, and the places where a term stands correctly (a configured
// leader's name among them: nothing is to be corrected there).
func (s *Set) Protect(text string) (misses []NearMiss, correct [][2]int) {
	if s == nil || s.near == nil {
		return nil, nil
	}
	matches := s.near.FindAllOverlapping([]byte(text))
	// Where each term stands correctly: a window overlapping it is the term
	// itself, not a misspelling (中国共产党员 holds 中国共产党).
	exact := map[int][][2]int{}
	var inside [][2]int
	for _, m := range matches {
		for _, np := range s.nearPatterns[m.PatternID] {
			if np.kind == nearExact {
				exact[np.term] = append(exact[np.term], [2]int{m.Start, m.End})
				inside = append(inside, [2]int{m.Start, m.End})
			}
		}
	}
	// Sorted by start, searched by halving: a roster repeating
	// 中华人民共和国 on every line stays linear.
	maxSpan := s.longestTerm
	byStart := func(a, b [2]int) int { return a[0] - b[0] }
	for _, e := range exact {
		slices.SortFunc(e, byStart)
	}
	slices.SortFunc(inside, byStart)
	var out []NearMiss
	try := func(term, start, end int) {
		if start < 0 || end > len(text) || start >= end {
			return
		}
		p := &s.Protected[term]
		w := text[start:end]
		if !plausible(w, p.Term) {
			return
		}
		if !utf8.ValidString(w) || w == p.Term || excepted(text, start, w, p.Except) || foreignMarks(w, p.Term) {
			return
		}
		if spansOverlap(exact[term], start, end, maxSpan) {
			return
		}
		// A window inside a correct occurrence of another protected term
		// (a configured leader 刘国忠 is no misspelt 刘国中) is that term.
		if spansHold(inside, start, end, maxSpan) {
			return
		}

		if p.Class == "leader" && utf8.RuneCountInString(p.Term) <= 3 {
			titles := nationalTitles
			if p.Source == "config" {
				titles = localTitles
			}
			if !titled(text, start, end, titles) {
				return
			}
		}
		if !s.nearMiss([]rune(w), []rune(p.Term)) || s.cutsWord(text, start, end) {
			return
		}
		out = append(out, NearMiss{Protected: p, Found: w, Start: start, End: end})
	}
	for _, m := range matches {
		for _, np := range s.nearPatterns[m.PatternID] {
			n := s.runes[np.term]
			h := n / 2
			lengths := []int{n}
			if n > shortTerm {
				lengths = []int{n - 1, n, n + 1}
			}
			switch np.kind {
			case nearSwap:
				try(np.term, m.Start, m.End)
			case nearPrefix:
				for _, l := range lengths {
					try(np.term, m.Start, m.Start+runeBytes(text[m.Start:], l))
				}
			case nearSuffix:
				for _, l := range lengths {
					before := l - (n - h) // characters of the window before the suffix
					if b := runeBytesBack(text[:m.Start], before); b >= 0 {
						try(np.term, m.Start-b, m.End)
					}
				}
			}
		}
	}
	return bestNear(out), inside
}

// plausible is the cheap test before the edit distance: one edit leaves the
// first or the last character in place.
func plausible(w, term string) bool {
	wf, wfs := utf8.DecodeRuneInString(w)
	tf, tfs := utf8.DecodeRuneInString(term)
	wl, wls := utf8.DecodeLastRuneInString(w)
	tl, tls := utf8.DecodeLastRuneInString(term)
	switch {
	case wf == tf && wl == tl:
		return true
	case wf == tf: // only the last character can differ
		return w[:len(w)-wls] == term[:len(term)-tls]
	case wl == tl: // only the first
		return w[wfs:] == term[tfs:]
	}
	return false
}

// foreignMarks reports a window holding punctuation, a space or a digit
// the term does not have: 中，人民法院 is no misspelt 中级人民法院.
func foreignMarks(w, term string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Han, r) && !strings.ContainsRune(term, r) {
			return true
		}
	}
	return false
}

// excepted reports whether the window w at start is a correct word: an
// except entry that is w, or that holds w and stands around it in the text
// (检查院落 for the window 检查院).
func excepted(text string, start int, w string, except []string) bool {
	return covered(text, start, start+len(w), except)
}

// covered reports whether text[start:end] lies inside one of the words of
// except as written in the text around it: 按装修 around 按装, 中华人民共和
// around 中华人民共. Entries of the form "…X" (X later in the sentence) are
// the wording check's, not words.
func covered(text string, start, end int, except []string) bool {
	for _, e := range except {
		if strings.HasPrefix(e, "…") {
			continue
		}
		for i := max(end-len(e), 0); i <= start && i+len(e) <= len(text); i++ {
			if text[i:i+len(e)] == e && i+len(e) >= end {
				return true
			}
		}
	}
	return false
}

// InException reports whether the hit lies inside one of its rule's
// exception words in text (按装修 for 按装).
func (h Hit) InException(text string) bool {
	return covered(text, h.Start, h.End, h.Rule.Except)
}

// nearMiss reports whether w is one edit from term: any edit for a long
// term; for a short one, a look-alike or same-sound substitution, or a swap.
func (s *Set) nearMiss(w, term []rune) bool {
	if len(term) > shortTerm {
		// A character dropped or added only inside the term: a term cut
		// short or run on at an end is mostly another phrase (中国共产 in
		// 中国共产主义青年团).
		if len(w) != len(term) && (w[0] != term[0] || w[len(w)-1] != term[len(term)-1]) {
			return false
		}
		// A different first or last character must look or sound like the
		// right one: 中国共产觉, not 中国共产主(义).
		if len(w) == len(term) {
			for _, i := range []int{0, len(w) - 1} {
				if w[i] != term[i] && (i == 0 && w[1] == term[1] || i > 0 && w[i-1] == term[i-1]) && !s.lookalike[[2]rune{w[i], term[i]}] {
					return false
				}
			}
			// A character that is no look-alike and makes a word with a
			// neighbour is another word, not a slip: 全市人大代表 (全市),
			// 以市民为中心 (市民), 中央外事委员会 (外事).
			if i := onlyDiff(w, term); i >= 0 && !s.lookalike[[2]rune{w[i], term[i]}] &&
				(i > 0 && s.words[string(w[i-1:i+1])] > 0 || i+1 < len(w) && s.words[string(w[i:i+2])] > 0) {
				return false
			}
		}
		return osa(w, term) == 1
	}
	if len(w) != len(term) {
		return false
	}
	var diff []int
	for i := range w {
		if w[i] != term[i] {
			diff = append(diff, i)
		}
	}
	switch len(diff) {
	case 1:
		i := diff[0]
		return s.lookalike[[2]rune{w[i], term[i]}]
	case 2:
		i, j := diff[0], diff[1]
		return j == i+1 && w[i] == term[j] && w[j] == term[i]
	}
	return false
}

// onlyDiff is the one position where two strings of the same length
// differ; -1 when they differ in none or several.
func onlyDiff(a, b []rune) int {
	at := -1
	for i := range a {
		if a[i] != b[i] {
			if at >= 0 {
				return -1
			}
			at = i
		}
	}
	return at
}

// cutsWord reports a window whose edge falls inside a word of the text as
// the segmenter reads it (eight characters of context either side): 检查院
// in 督导组检查院长值班 (检查/院长), 检察完 in 检察完成立案 (完成), 是个意识 in
// 这是个意识问题 (这是). A real slip keeps its edges: 开展/扫黑/险恶/斗争.
func (s *Set) cutsWord(text string, start, end int) bool {
	from, to := start, end
	for n := 0; n < 8 && from > 0; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:from])
		if !unicode.Is(unicode.Han, r) {
			break
		}
		from -= size
	}
	for n := 0; n < 8 && to < len(text); n++ {
		r, size := utf8.DecodeRuneInString(text[to:])
		if !unicode.Is(unicode.Han, r) {
			break
		}
		to += size
	}
	startOK, endOK := start == from, end == to
	for _, t := range s.Segment(text[from:to]) {
		startOK = startOK || from+t.Start == start
		endOK = endOK || from+t.End == end
	}
	return !startOK || !endOK
}

// nationalTitles stand beside a national leader's bare name in official
// text; a name without one is as likely another person's (市委常委、统战部部长
// 刘国忠 is not 刘国中 misspelt).
var nationalTitles = []string{"总书记", "国家主席", "国家副主席", "总理", "委员长", "国务委员", "政治局", "中央书记处", "中央纪委书记", "全国政协主席"}

// localTitles stand beside a district leader's name.
var localTitles = []string{"书记", "区长", "县长", "市长", "镇长", "乡长", "主任", "主席", "同志"}

// titled reports a leader's title within a few characters of the window.
func titled(text string, start, end int, titles []string) bool {
	near := text[max(0, start-18):start] + "|" + text[end:min(len(text), end+12)]
	for _, w := range titles {
		if strings.Contains(near, w) {
			return true
		}
	}
	return false
}

// bestNear keeps one near miss per place: the first, preferring a window
// as long as its term (a substitution) at the same start.
func bestNear(all []NearMiss) []NearMiss {
	off := func(m NearMiss) int {
		d := (m.End - m.Start) - len(m.Protected.Term)
		if d < 0 {
			d = -d
		}
		return d
	}
	slices.SortFunc(all, func(a, b NearMiss) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return off(a) - off(b)
	})
	out := all[:0]
	end := 0
	for _, m := range all {
		if m.Start >= end {
			out = append(out, m)
			end = m.End
		}
	}
	return out
}

// runeBytes is the byte length of the first n characters of s (past the
// end when s is shorter).
func runeBytes(s string, n int) int {
	i := 0
	for ; n > 0; n-- {
		if i >= len(s) {
			return len(s) + 1
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// runeBytesBack is the byte length of the last n characters of s; -1 when s
// is shorter.
func runeBytesBack(s string, n int) int {
	i := len(s)
	for ; n > 0; n-- {
		if i <= 0 {
			return -1
		}
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return len(s) - i
}

// osa is the optimal string alignment distance (edits: substitution,
// insertion, deletion, swap of neighbours), stopping early above 1.
func osa(a, b []rune) int {
	if d := len(a) - len(b); d > 1 || d < -1 {
		return 2
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			low = min(low, cur[j])
		}
		if low > 1 {
			return 2
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
