package rules

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"unicode"
)

// CharLMFile is the typo detector's character language model (charlm.bin):
// counts of characters, pairs and triples of neighbouring characters in clean
// official prose, written by TrainCharLM (rules/curate/charlm).
const CharLMFile = "charlm.bin"

// A CharLM is a character trigram model of Chinese official prose. Every
// character that is no Han character (punctuation, digits, Latin) counts as
// one boundary symbol, so the model also learns how runs of Han text start
// and end. Probabilities interpolate the trigram, bigram and unigram counts
// with absolute discounting. A nil model knows nothing; a model is immutable
// and safe for concurrent use.
type CharLM struct {
	index   map[rune]uint32 // character → symbol; 0 is the boundary, 1 any character not in the model
	bmp     []uint16        // the same for the Basic Multilingual Plane, by code point (0: see index)
	seen    []uint64        // bit a*n+b: the pair a b occurs at least PairSeen times
	symbols []rune          // symbol → character
	uni     []uint32        // per symbol: its count
	succ    []uint32        // per symbol: how many different symbols follow it
	uniTot  float64
	bi      table[pairStat] // a*n+b
	tri     table[pairStat] // (a*n+b)*n+c
	quad    table[uint32]   // ((a*n+b)*n+c)*n+d
	nbi     int             // pairs, triples and quadruples in the tables
	ntri    int
	nquad   int

	// What was counted, kept by TrainCharLM for WriteTo (a model read
	// from a file has only its tables).
	pairs   map[uint32]pairStat
	triples map[uint64]pairStat
	quads   map[uint64]uint32
	n       uint32
}

// pairStat is a pair's count and how many different symbols follow it.
type pairStat struct{ count, next uint32 }

const (
	lmBoundary = 0
	lmOther    = 1
	lmDiscount = 0.75
	lmMagic    = "xunjian-charlm-2\n"
)

// PairSeen is how often two characters must occur side by side in the
// corpus for the pair to count as seen (Seen).
const PairSeen = 3

// symbol is c's symbol in the model.
func (m *CharLM) symbol(c rune) uint32 {
	if c >= 0 && int(c) < len(m.bmp) {
		if s := m.bmp[c]; s != 0 {
			return uint32(s)
		}
	}
	if !unicode.Is(unicode.Han, c) {
		return lmBoundary
	}
	if s, ok := m.index[c]; ok {
		return s
	}
	return lmOther
}

// Seen reports whether the symbols a, b occur side by side at least
// PairSeen times in the corpus.
func (m *CharLM) Seen(a, b uint32) bool {
	k := a*m.n + b
	return m.seen[k>>6]&(1<<(k&63)) != 0
}

// Count is how often c occurs in the model's corpus (0 for no model).
func (m *CharLM) Count(c rune) int {
	if m == nil {
		return 0
	}
	s := m.symbol(c)
	if s <= lmOther {
		return 0
	}
	return int(m.uni[s])
}

// PairCount is how often a is directly followed by b in the corpus.
func (m *CharLM) PairCount(a, b rune) int {
	if m == nil {
		return 0
	}
	return int(m.bi.get(uint64(m.symbol(a)*m.n + m.symbol(b))).count)
}

// prob is P(c | a b) for the symbols of three neighbouring characters.
func (m *CharLM) prob(a, b, c uint32) float64 {
	n := m.n
	p := (float64(m.uni[c]) + 1) / (m.uniTot + float64(n))
	if bs := m.uni[b]; bs > 0 {
		st := m.bi.get(uint64(b*n + c))
		p = (max(float64(st.count)-lmDiscount, 0) + lmDiscount*float64(m.succ[b])*p) / float64(bs)
	}
	if ab := m.bi.get(uint64(a*n + b)); ab.count > 0 && ab.next > 0 {
		tc := m.tri.get((uint64(a)*uint64(n)+uint64(b))*uint64(n) + uint64(c)).count
		p = (max(float64(tc)-lmDiscount, 0) + lmDiscount*float64(ab.next)*p) / float64(ab.count)
	}
	return max(p, minProb)
}

// minProb floors a probability: a log of 0 would make a change infinitely
// likely.
const minProb = 1e-30

// prob4 is P(d | a b c), interpolated down to prob.
func (m *CharLM) prob4(a, b, c, d uint32) float64 {
	p := m.prob(b, c, d)
	n := uint64(m.n)
	abc := (uint64(a)*n+uint64(b))*n + uint64(c)
	if st := m.tri.get(abc); st.count > 0 && st.next > 0 {
		qc := m.quad.get(abc*n + uint64(d))
		p = (max(float64(qc)-lmDiscount, 0) + lmDiscount*float64(st.next)*p) / float64(st.count)
	}
	return max(p, minProb)
}

// Symbols are the model's symbols for the characters of text, with a
// boundary before and after.
func (m *CharLM) Symbols(text []rune) []uint32 {
	out := make([]uint32, 0, len(text)+2)
	out = append(out, lmBoundary)
	for _, c := range text {
		out = append(out, m.symbol(c))
	}
	return append(out, lmBoundary)
}

// Around is the log probability of the four runs of four characters that
// the symbol at position i of syms takes part in, with the symbol there
// replaced by c: how well c fits between its three neighbours on each side.
func (m *CharLM) Around(syms []uint32, i int, c rune) float64 {
	w := neighbours(syms, i)
	w[3] = m.symbol(c)
	return m.around(w)
}

// around scores the middle of a window of seven symbols.
func (m *CharLM) around(w [7]uint32) float64 {
	return math.Log(m.prob4(w[0], w[1], w[2], w[3]) * m.prob4(w[1], w[2], w[3], w[4]) *
		m.prob4(w[2], w[3], w[4], w[5]) * m.prob4(w[3], w[4], w[5], w[6]))
}

// neighbours is the window of the three symbols before position i, the
// symbol there and the three after.
func neighbours(syms []uint32, i int) (w [7]uint32) {
	for k := range w {
		if j := i - 3 + k; j >= 0 && j < len(syms) {
			w[k] = syms[j]
		}
	}
	return w
}

// BestChange is the symbol among cands that fits position i of syms best
// and how much likelier (log) it makes the text around than the symbol
// there, weighing only changes that turn a pair never seen (Seen) beside
// a neighbour into a seen one; ok is false when none does by more than
// floor.
func (m *CharLM) BestChange(syms []uint32, i int, cands []uint32, floor float64) (best uint32, gain float64, ok bool) {
	w := neighbours(syms, i)
	b, x, d := w[2], w[3], w[4]
	brokenLeft, brokenRight := !m.Seen(b, x), !m.Seen(x, d)
	orig := m.around(w)
	gain = floor
	for _, c := range cands {
		if !(brokenLeft && m.Seen(b, c) || brokenRight && m.Seen(c, d)) {
			continue
		}
		w[3] = c
		if g := m.around(w) - orig; g > gain {
			best, gain, ok = c, g, true
		}
	}
	return best, gain, ok
}

// Broken reports whether the symbol at position i of syms makes a pair
// never seen with a neighbour: the only places BestChange looks at.
func (m *CharLM) Broken(syms []uint32, i int) bool {
	w := neighbours(syms, i)
	return !m.Seen(w[2], w[3]) || !m.Seen(w[3], w[4])
}

// Char is the character of a symbol (0 for the boundary and unknown ones).
func (m *CharLM) Char(s uint32) rune {
	if int(s) < len(m.symbols) {
		return m.symbols[s]
	}
	return 0
}

// TrainCharLM counts the characters and the runs of two, three and four of
// a corpus and keeps characters seen at least minChar times, triples seen
// at least minTri times and quadruples at least minQuad times (pairs are
// all kept: they carry the interpolation weights).
func TrainCharLM(corpus io.Reader, minChar, minTri, minQuad int) (*CharLM, error) {
	counts := map[rune]uint32{}
	br := bufio.NewReaderSize(corpus, 1<<16)
	var text []rune
	for {
		c, _, err := br.ReadRune()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("charlm: reading the corpus: %w", err)
		}
		if !unicode.Is(unicode.Han, c) {
			if len(text) > 0 && text[len(text)-1] == 0 {
				continue
			}
			c = 0
		} else {
			counts[c]++
		}
		text = append(text, c)
	}
	var chars []rune
	for c, k := range counts {
		if int(k) >= minChar {
			chars = append(chars, c)
		}
	}
	slices.SortFunc(chars, func(a, b rune) int {
		if counts[a] != counts[b] {
			return int(counts[b]) - int(counts[a])
		}
		return int(a - b)
	})
	m := &CharLM{index: map[rune]uint32{}, symbols: append([]rune{0, 0}, chars...)}
	for i, c := range chars {
		m.index[c] = uint32(i + 2)
	}
	m.n = uint32(len(m.symbols))
	// Symbols puts a boundary at each end: one there already would make a
	// pair of boundaries, which no text has.
	for len(text) > 0 && text[0] == 0 {
		text = text[1:]
	}
	for len(text) > 0 && text[len(text)-1] == 0 {
		text = text[:len(text)-1]
	}
	syms := m.Symbols(text)
	m.uni = make([]uint32, m.n)
	bi := map[uint32]pairStat{}
	tri := map[uint64]pairStat{}
	quad := map[uint64]uint32{}
	n := uint64(m.n)
	for i, s := range syms {
		m.uni[s]++
		if i >= 1 {
			k := syms[i-1]*m.n + s
			st := bi[k]
			st.count++
			bi[k] = st
		}
		if i >= 2 {
			k := (uint64(syms[i-2])*n+uint64(syms[i-1]))*n + uint64(s)
			st := tri[k]
			st.count++
			tri[k] = st
		}
		if i >= 3 {
			quad[((uint64(syms[i-3])*n+uint64(syms[i-2]))*n+uint64(syms[i-1]))*n+uint64(s)]++
		}
	}
	// How many different symbols follow each pair and each triple, before
	// pruning.
	for k := range tri {
		ab := uint32(k / n)
		st := bi[ab]
		st.next++
		bi[ab] = st
	}
	for k := range quad {
		abc := k / n
		st := tri[abc]
		st.next++
		tri[abc] = st
	}
	m.bi, m.nbi = newTable[pairStat](len(bi)), len(bi)
	m.succ = make([]uint32, m.n)
	m.seen = make([]uint64, (n*n+63)/64)
	for k, st := range bi {
		if !m.addPair(uint64(k), st) {
			return nil, errors.New("charlm: the pairs' hash table overflowed")
		}
	}
	m.pairs = bi
	m.triples, m.quads = map[uint64]pairStat{}, map[uint64]uint32{}
	for k, st := range tri {
		if int(st.count) >= minTri {
			m.triples[k] = st
		}
	}
	for k, c := range quad {
		if int(c) >= minQuad {
			m.quads[k] = c
		}
	}
	m.tri, m.ntri = newTable[pairStat](len(m.triples)), len(m.triples)
	for k, st := range m.triples {
		if !m.tri.put(k, st) {
			return nil, errors.New("charlm: the triples' hash table overflowed")
		}
	}
	m.quad, m.nquad = newTable[uint32](len(m.quads)), len(m.quads)
	for k, c := range m.quads {
		if !m.quad.put(k, c) {
			return nil, errors.New("charlm: the quadruples' hash table overflowed")
		}
	}
	m.finish()
	return m, nil
}

// addPair records pair k (a*n+b): in the table, in a's successors and,
// when common enough, in the seen bits.
func (m *CharLM) addPair(k uint64, st pairStat) bool {
	if !m.bi.put(k, st) {
		return false
	}
	m.succ[k/uint64(m.n)]++
	if st.count >= PairSeen {
		m.seen[k>>6] |= 1 << (k & 63)
	}
	return true
}

// finish computes the total count and the lookup arrays.
func (m *CharLM) finish() {
	m.bmp = make([]uint16, 0x10000)
	for c, s := range m.index {
		if c < 0x10000 && s < 0x10000 {
			m.bmp[c] = uint16(s)
		}
	}
	m.uniTot = 0
	for _, c := range m.uni {
		m.uniTot += float64(c)
	}
}

// WriteTo writes the model, gzip-compressed: the characters by frequency,
// then the counts as sorted, delta-coded varints.
func (m *CharLM) WriteTo(w io.Writer) (int64, error) {
	if m.pairs == nil {
		return 0, errors.New("charlm: only a model just trained can be written")
	}
	if max(len(m.pairs), len(m.triples), len(m.quads)) > MaxModelEntries {
		return 0, fmt.Errorf("charlm: more than %d pairs, triples or quadruples: prune more (-min-tri, -min-quad)", MaxModelEntries)
	}
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(zw)
	var buf [binary.MaxVarintLen64]byte
	put := func(v uint64) { bw.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	bw.WriteString(lmMagic)
	put(uint64(m.n))
	for _, c := range m.symbols[2:] {
		put(uint64(c))
	}
	for _, c := range m.uni {
		put(uint64(c))
	}
	stat := func(st pairStat) []uint64 { return []uint64{uint64(st.count), uint64(st.next)} }
	writeSection(put, m.pairs, stat)
	writeSection(put, m.triples, stat)
	writeSection(put, m.quads, func(c uint32) []uint64 { return []uint64{uint64(c)} })
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	err = zw.Close()
	return cw.n, err
}

// writeSection writes one count table as ReadCharLM's section reads it:
// the number of keys, then each key (ascending) as the difference from the
// one before, with its values.
func writeSection[K uint32 | uint64, V any](put func(uint64), table map[K]V, values func(V) []uint64) {
	keys := slices.Sorted(maps.Keys(table))
	put(uint64(len(keys)))
	prev := uint64(0)
	for _, k := range keys {
		put(uint64(k) - prev)
		prev = uint64(k)
		for _, v := range values(table[k]) {
			put(v)
		}
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ReadCharLM reads a model written by WriteTo; name is for messages.
func ReadCharLM(r io.Reader, name string) (*CharLM, error) {
	bad := func(what string, err error) error {
		if err != nil {
			return fmt.Errorf("%s: not a character model (%s): %w", name, what, err)
		}
		return fmt.Errorf("%s: not a character model (%s)", name, what)
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, bad("gzip", err)
	}
	br := bufio.NewReader(zr)
	magic := make([]byte, len(lmMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != lmMagic {
		return nil, bad("header", err)
	}
	var rerr error
	get := func(limit uint64) uint64 {
		if rerr != nil {
			return 0
		}
		v, err := binary.ReadUvarint(br)
		if err == nil && v > limit {
			err = fmt.Errorf("value %d over %d", v, limit)
		}
		rerr = err
		return v
	}
	// The 通用规范汉字表 has 8,105 characters; a model of more is no model
	// of ours, and its tables would take gigabytes.
	const maxSymbols = 12000
	n := get(maxSymbols)
	if rerr != nil || n < 2 {
		return nil, bad("symbols", rerr)
	}
	m := &CharLM{index: map[rune]uint32{}, symbols: make([]rune, n), n: uint32(n), uni: make([]uint32, n)}
	for i := uint64(2); i < n; i++ {
		c := rune(get(unicode.MaxRune))
		m.symbols[i] = c
		m.index[c] = uint32(i)
	}
	for i := range m.uni {
		m.uni[i] = uint32(get(math.MaxUint32))
	}
	m.succ = make([]uint32, n)
	m.seen = make([]uint64, (n*n+63)/64)
	// section reads one count table: how many keys, then each key as the
	// difference from the one before (strictly increasing: a key twice is
	// no model of ours) with its values.
	section := func(what string, limit uint64, alloc func(int), put func(k uint64) bool) error {
		count := get(MaxModelEntries)
		if rerr != nil {
			return bad(what, rerr)
		}
		alloc(int(count))
		k := uint64(0)
		for i := uint64(0); i < count; i++ {
			d := get(limit)
			if rerr != nil {
				return bad(what, rerr)
			}
			if i > 0 && d == 0 {
				return bad(what+": a key twice", nil)
			}
			if k += d; k >= limit {
				return bad(what+": a key out of range", nil)
			}
			if !put(k) || rerr != nil {
				return bad(what+": keys crowded into one place", rerr)
			}
		}
		return nil
	}
	if err := section("pairs", n*n, func(c int) { m.bi, m.nbi = newTable[pairStat](c), c }, func(k uint64) bool {
		return m.addPair(k, pairStat{count: uint32(get(math.MaxUint32)), next: uint32(get(math.MaxUint32))})
	}); err != nil {
		return nil, err
	}
	if err := section("triples", n*n*n, func(c int) { m.tri, m.ntri = newTable[pairStat](c), c }, func(k uint64) bool {
		return m.tri.put(k, pairStat{count: uint32(get(math.MaxUint32)), next: uint32(get(math.MaxUint32))})
	}); err != nil {
		return nil, err
	}
	if err := section("quadruples", n*n*n*n, func(c int) { m.quad, m.nquad = newTable[uint32](c), c }, func(k uint64) bool {
		return m.quad.put(k, uint32(get(math.MaxUint32)))
	}); err != nil {
		return nil, err
	}
	// Nothing may follow, and reading to the end checks the gzip checksum.
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
		return nil, bad("trailing data or a damaged file", err)
	}
	// Every symbol seen has a successor: else its probabilities would be 0.
	for s, c := range m.uni {
		if c > 0 && m.succ[s] == 0 && s != lmBoundary {
			return nil, bad("counts without pairs", nil)
		}
	}
	m.finish()
	return m, nil
}

// MaxModelEntries bounds each of a model's count tables: the embedded one
// has at most 757,391; a file claiming more is no model of ours (its tables
// would take hundreds of megabytes). TrainCharLM refuses to write more.
const MaxModelEntries = 1 << 21

// Stats describes the model's size.
func (m *CharLM) Stats() string {
	return fmt.Sprintf("%d characters, %d pairs, %d triples, %d quadruples, corpus %.0f symbols, %.1f MiB in memory", m.n-2, m.nbi, m.ntri, m.nquad, m.uniTot, float64(m.Bytes())/(1<<20))
}

// Bytes is about how much memory the model takes.
func (m *CharLM) Bytes() int {
	return m.bi.bytes(8) + m.tri.bytes(8) + m.quad.bytes(4) + len(m.uni)*8 + len(m.index)*16 + len(m.symbols)*4 + len(m.seen)*8 + len(m.bmp)*2
}
