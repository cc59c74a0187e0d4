package attachment

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"

	"github.com/ledongthuc/pdf"
)

// PDF files are read with ledongthuc/pdf, which inflates streams as it
// goes, keeps whole tokens (a string, a number) in memory, sizes tables by
// numbers in the file, and loops as often as the file says. So before it
// sees anything, the file is linted within the budget:
//
//   - the raw file: the numbers the library allocates or loops by (/Size,
//     /N, /Columns, /W, /Index, cross-reference subsections) are bounded,
//     and no token, array or dictionary is oversized;
//   - object streams, each page's content streams and each font's ToUnicode
//     map are inflated through the budget and tokenised: no oversized token,
//     no more operands waiting for an operator than the bound, no CMap
//     section longer than the bound, and no page whose text could pass what
//     is left of the text bound (the bytes it shows times its fonts' widest
//     mapping);
//
// and every read the library makes of the file checks the clock.

func pdfText(data []byte, b *budget) ([]Part, error) {
	if err := pdfRawCheck(data, b); err != nil {
		return nil, err
	}
	r, err := pdf.NewReader(&clockedReaderAt{r: bytes.NewReader(data), b: b}, int64(len(data)))
	if b.err != nil {
		return nil, b.err
	}
	if err != nil {
		return nil, fmt.Errorf("attachment: not a .pdf: %w", err)
	}
	pages, err := pdfPages(r, b)
	if err != nil {
		return nil, err
	}
	fonts := pdfFonts{byDict: map[string]*pdfFont{}}
	var parts []Part
	for i, p := range pages {
		if err := b.check(); err != nil {
			return nil, err
		}
		pageFonts, widest, err := fonts.of(p, b)
		if err != nil {
			return nil, err
		}
		shown, ops, err := lintContent(p, b)
		if err != nil {
			return nil, err
		}
		if (shown+ops)*widest > b.maxText-b.text { // a line break goes through the font too
			return nil, b.over("page %d could show more than %s of text", i+1, size(b.maxText))
		}
		text, err := p.GetPlainText(pageFonts)
		if b.err != nil {
			return nil, b.err
		}
		if err != nil {
			return nil, fmt.Errorf("attachment: .pdf page %d: %w", i+1, err)
		}
		if err := b.addText(len(text)); err != nil {
			return nil, err
		}
		parts = append(parts, Part{Where: fmt.Sprintf("第%d页", i+1), Text: text})
	}
	return parts, nil
}

// maxPageTreeDepth bounds the nesting of a PDF's page tree: real ones are
// a few levels deep, and a tree that lists itself among its kids is
// endless.
const maxPageTreeDepth = 64

// pdfPages walks the page tree once, in order (the library's Page(n)
// walks it from the top for every page, and follows a tree that lists
// itself forever).
func pdfPages(r *pdf.Reader, b *budget) ([]pdf.Page, error) {
	var pages []pdf.Page
	nodes := 0
	var walk func(node pdf.Value, depth int) error
	walk = func(node pdf.Value, depth int) error {
		if depth > maxPageTreeDepth {
			return b.over("a page tree deeper than %d", maxPageTreeDepth)
		}
		kids := node.Key("Kids")
		for i := 0; i < kids.Len(); i++ {
			if nodes++; nodes > 2*b.maxPages {
				return b.over("more than %d pages", b.maxPages)
			}
			kid := kids.Index(i)
			switch kid.Key("Type").Name() {
			case "Pages":
				if err := walk(kid, depth+1); err != nil {
					return err
				}
			case "Page":
				if pages = append(pages, pdf.Page{V: kid}); len(pages) > b.maxPages {
					return b.over("more than %d pages", b.maxPages)
				}
			}
		}
		return nil
	}
	root := r.Trailer().Key("Root").Key("Pages")
	if root.Key("Count").Int64() > int64(b.maxPages) {
		return nil, b.over("more than %d pages", b.maxPages)
	}
	err := walk(root, 0)
	return pages, err
}

// clockedReaderAt fails every read once the time is up or a bound passed:
// the library reads the file again for every object it resolves, so a file
// that makes it loop ends here.
type clockedReaderAt struct {
	r *bytes.Reader
	b *budget
}

func (c *clockedReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if err := c.b.check(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(p, off)
}

// pdfFont is a font read once for the whole document, with the most bytes
// of text one byte it shows can become.
type pdfFont struct {
	font  *pdf.Font
	ratio int64
}

// pdfFonts are the document's fonts, by their dictionary's text: pages
// share fonts, and each ToUnicode map is linted and parsed once.
type pdfFonts struct {
	byDict map[string]*pdfFont
}

// of is the page's fonts by resource name and the widest ratio among them.
func (fs pdfFonts) of(p pdf.Page, b *budget) (map[string]*pdf.Font, int64, error) {
	names := p.Fonts()
	if len(names) > b.maxElements {
		return nil, 0, b.over("more than %d fonts on a page", b.maxElements)
	}
	out := make(map[string]*pdf.Font, len(names))
	widest := int64(utf8Max)
	for _, name := range names {
		f := p.Font(name)
		key := f.V.String()
		pf, ok := fs.byDict[key]
		if !ok {
			pf = &pdfFont{font: &f, ratio: utf8Max}
			if tu := f.V.Key("ToUnicode"); tu.Kind() == pdf.Stream {
				l := &psLint{b: b, operators: true, cmap: true}
				if err := l.run(tu.Reader()); err != nil {
					return nil, 0, err
				}
				pf.ratio = max(utf8Max, (3*int64(l.widestString)+1)/2) // UTF-16 to UTF-8
			}
			fs.byDict[key] = pf
		}
		out[name] = pf.font
		widest = max(widest, pf.ratio)
	}
	return out, widest, nil
}

// utf8Max is the most bytes one byte a font shows becomes without a
// ToUnicode map: one rune.
const utf8Max = 4

// lintContent lints the page's content streams, as the library reads them:
// one after the other. It returns the bytes of the strings they show and
// the operators that show a line break.
func lintContent(p pdf.Page, b *budget) (shown, ops int64, err error) {
	c := p.V.Key("Contents")
	var rs []io.Reader
	switch c.Kind() {
	case pdf.Stream:
		rs = append(rs, c.Reader())
	case pdf.Array:
		if c.Len() > b.maxElements {
			return 0, 0, b.over("more than %d content streams on a page", b.maxElements)
		}
		for i := 0; i < c.Len(); i++ {
			rs = append(rs, c.Index(i).Reader())
		}
	}
	l := &psLint{b: b, operators: true}
	err = l.run(io.MultiReader(rs...))
	return l.shown, l.ops, err
}

var (
	reBoundedKey = regexp.MustCompile(`/(Size|N|Columns)\s+(-?\d+)(\s+\d+\s+R\b)?`)
	reBoundedArr = regexp.MustCompile(`/(W|Index)\s*\[([^\]]*)\]`)
	reObjStm     = regexp.MustCompile(`/Type\s*/ObjStm\b`)
	reXRefStm    = regexp.MustCompile(`/Type\s*/XRef\b`)
)

// pdfRawCheck lints the raw file: the numbers the library sizes tables by
// and loops on (/W and /Index only in cross-reference streams: a CID
// font's /W is another thing), the tokens and containers outside streams,
// and the object streams. Its own work is linear in the file, or bounded
// by the clock.
func pdfRawCheck(data []byte, b *budget) error {
	err := eachMatch(reBoundedKey, data, b, func(m [][]byte) error {
		if m[3] != nil {
			return fmt.Errorf("attachment: .pdf: /%s is an indirect object", m[1])
		}
		limit := b.maxObjects
		if string(m[1]) == "Columns" {
			limit = int64(b.maxToken)
		}
		if n, err := strconv.ParseInt(string(m[2]), 10, 64); err != nil || n > limit || n < 0 {
			return b.over("/%s %s", m[1], m[2])
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = eachMatch(reXRefStm, data, b, func(m [][]byte) error {
		dict, _ := streamAt(data, offsetIn(data, m[0]))
		return eachMatch(reBoundedArr, dict, b, func(m [][]byte) error {
			for _, f := range bytes.Fields(m[2]) {
				n, err := strconv.ParseInt(string(f), 10, 64)
				if err != nil || n < 0 || n > b.maxObjects || string(m[1]) == "W" && n > 8 {
					return b.over("/%s [%s]", m[1], bytes.TrimSpace(m[2]))
				}
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if err := xrefCheck(data, b); err != nil {
		return err
	}
	raw := &psLint{b: b, skipStreams: true}
	if err := raw.run(bytes.NewReader(data)); err != nil {
		return err
	}
	return eachMatch(reObjStm, data, b, func(m [][]byte) error {
		return objStmCheck(data, offsetIn(data, m[0]), b)
	})
}

// maxMatches bounds the matches of each pattern in a file: a real one has
// a few cross-reference streams and at most thousands of object streams.
const maxMatches = 100000

// eachMatch passes each match of re in data to fn, one at a time (a file
// of ten million "/N 1" must not become ten million slices), checking the
// clock.
func eachMatch(re *regexp.Regexp, data []byte, b *budget, fn func(m [][]byte) error) error {
	for pos, n := 0, 0; pos < len(data); n++ {
		if n > maxMatches {
			return b.over("more than %d %s in a PDF", maxMatches, re)
		}
		if err := b.check(); err != nil {
			return err
		}
		loc := re.FindSubmatchIndex(data[pos:])
		if loc == nil {
			return nil
		}
		m := make([][]byte, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = data[pos+loc[2*i] : pos+loc[2*i+1]]
			}
		}
		if err := fn(m); err != nil {
			return err
		}
		pos += max(loc[1], 1)
	}
	return nil
}

// offsetIn is the offset of sub, a subslice of data.
func offsetIn(data, sub []byte) int {
	return cap(data) - cap(sub)
}

// xrefCheck bounds each subsection of each cross-reference table (the
// library grows its table to the subsection's last object), as the library
// reads them: a subsection's start and count, then count entries of three
// words. Every table is read from its "xref"; the words read in all are
// bounded (tables that overlap would read the same words again).
func xrefCheck(data []byte, b *budget) error {
	words := int64(0)
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("xref"))
		if j < 0 {
			return nil
		}
		i += j + len("xref")
		if bytes.HasSuffix(data[:i], []byte("startxref")) {
			continue
		}
		if err := b.check(); err != nil {
			return err
		}
		s := bufio.NewScanner(bytes.NewReader(data[i:]))
		s.Buffer(nil, 1<<10)
		s.Split(bufio.ScanWords)
		scan := func() bool {
			words++
			return words <= 4*b.maxObjects && s.Scan()
		}
		next := func() (int64, bool) {
			if !scan() {
				return 0, false
			}
			n, err := strconv.ParseInt(s.Text(), 10, 64)
			return n, err == nil
		}
		for {
			start, ok1 := next()
			count, ok2 := next()
			if !ok1 || !ok2 {
				break
			}
			if start < 0 || count < 0 || start > b.maxObjects || count > b.maxObjects-start {
				return b.over("a cross-reference subsection %d %d", start, count)
			}
			for k := int64(0); k < 3*count && scan(); k++ {
			}
		}
		if words > 4*b.maxObjects {
			return b.over("cross-reference tables of more than %d words", 4*b.maxObjects)
		}
	}
}

// maxDict bounds how far from a stream's /Type its dictionary's "obj"
// and "stream" are looked for.
const maxDict = 64 << 10

// streamAt finds the stream whose dictionary holds the offset at: the
// dictionary (from its "obj") and the offset of its data; start is -1 when
// there is none.
func streamAt(data []byte, at int) (dict []byte, start int) {
	from := max(0, at-maxDict)
	objAt := bytes.LastIndex(data[from:at], []byte("obj"))
	k := bytes.Index(data[at:min(len(data), at+maxDict)], []byte("stream"))
	if objAt < 0 || k < 0 {
		return nil, -1
	}
	objAt += from
	start = at + k + len("stream")
	if bytes.HasPrefix(data[start:], []byte("\r")) {
		start++
	}
	if bytes.HasPrefix(data[start:], []byte("\n")) {
		start++
	}
	return data[objAt : at+k], start
}

// objStmCheck inflates the object stream whose dictionary has /Type
// /ObjStm at at and lints its objects.
func objStmCheck(data []byte, at int, b *budget) error {
	dict, start := streamAt(data, at)
	if start < 0 {
		return nil // the library will not find it either
	}
	var r io.Reader
	switch {
	case bytes.Contains(dict, []byte("/FlateDecode")):
		zr, err := zlib.NewReader(bytes.NewReader(data[start:]))
		if err != nil {
			return nil // the library fails on it
		}
		r = zr
	case !bytes.Contains(dict, []byte("/Filter")):
		end := bytes.Index(data[start:], []byte("endstream"))
		if end < 0 {
			return nil
		}
		r = bytes.NewReader(data[start : start+end])
	default:
		return nil // a filter the library does not decode
	}
	l := &psLint{b: b}
	l.run(r) // a damaged stream is the library's to fail on
	return b.err
}

// psLint tokenises PDF syntax (a content stream, a CMap, an object stream,
// the raw file) as the library's lexer does, and fails past the bounds.
type psLint struct {
	b *budget
	// operators: a content stream or CMap, whose operands wait on a stack
	// for their operator; cmap: a ToUnicode map; skipStreams: the raw file,
	// whose stream data is skipped.
	operators, cmap, skipStreams bool

	shown        int64 // bytes of the strings a content stream shows
	ops          int64 // operators that show a line break
	widestString int   // the longest string in a CMap's bf sections

	r       *bufio.Reader
	open    []int // elements of each open array or dictionary
	pending int   // operands waiting at the top level
	lastInt int64
	inBF    bool
}

// run lints what r yields (counted against the expanded bound unless it
// is the raw file).
func (l *psLint) run(r io.Reader) error {
	if !l.skipStreams {
		r = &expanding{r: r, b: l.b}
	}
	l.r = bufio.NewReaderSize(r, 32<<10)
	err := l.tokens()
	if l.b.err != nil {
		return l.b.err
	}
	if err == io.EOF {
		return nil
	}
	return err
}

func isPDFSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

func isPDFDelim(c byte) bool {
	switch c {
	case '<', '>', '(', ')', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *psLint) tokens() error {
	var tok []byte
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			return err
		}
		switch {
		case isPDFSpace(c):
		case c == '%':
			for c != '\r' && c != '\n' {
				if c, err = l.r.ReadByte(); err != nil {
					return err
				}
			}
		case c == '(':
			n, err := l.literal()
			if err != nil {
				return err
			}
			if err := l.str(n); err != nil {
				return err
			}
		case c == '<':
			if next, err := l.r.Peek(1); err == nil && next[0] == '<' {
				l.r.ReadByte()
				if err := l.push(); err != nil {
					return err
				}
				continue
			}
			n, err := l.hex()
			if err != nil {
				return err
			}
			if err := l.str(n); err != nil {
				return err
			}
		case c == '[' || c == '{':
			if err := l.push(); err != nil {
				return err
			}
		case c == ']' || c == '}':
			l.pop()
		case c == '>':
			if next, err := l.r.Peek(1); err == nil && next[0] == '>' {
				l.r.ReadByte()
				l.pop()
			}
		case c == ')':
		default: // a name, number or keyword
			tok = append(tok[:0], c)
			for {
				c, err := l.r.ReadByte()
				if err == io.EOF {
					break
				}
				if err != nil {
					return err
				}
				if isPDFSpace(c) || isPDFDelim(c) {
					l.r.UnreadByte()
					break
				}
				if tok = append(tok, c); len(tok) > l.b.maxToken {
					return l.b.over("a PDF token over %s", size(int64(l.b.maxToken)))
				}
			}
			if err := l.word(tok); err != nil {
				return err
			}
		}
	}
}

// literal reads a (string) after its '(' and returns its length.
func (l *psLint) literal() (int, error) {
	n, depth := 0, 1
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			return n, err
		}
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return n, nil
			}
		case '\\':
			if _, err := l.r.ReadByte(); err != nil {
				return n, err
			}
		}
		if n++; n > l.b.maxToken {
			return n, l.b.over("a PDF string over %s", size(int64(l.b.maxToken)))
		}
	}
}

// hex reads a <hex string> after its '<' and returns its decoded length.
func (l *psLint) hex() (int, error) {
	digits := 0
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			return digits / 2, err
		}
		if c == '>' {
			return (digits + 1) / 2, nil
		}
		if !isPDFSpace(c) {
			if digits++; digits > 2*l.b.maxToken {
				return digits / 2, l.b.over("a PDF string over %s", size(int64(l.b.maxToken)))
			}
		}
	}
}

// element counts one value where it is: in the open array or dictionary,
// or on the operand stack.
func (l *psLint) element() error {
	if k := len(l.open); k > 0 {
		if l.open[k-1]++; l.open[k-1] > l.b.maxElements {
			return l.b.over("a PDF array or dictionary of more than %d elements", l.b.maxElements)
		}
		return nil
	}
	if l.operators {
		if l.pending++; l.pending > l.b.maxElements {
			return l.b.over("more than %d PDF operands without an operator", l.b.maxElements)
		}
	}
	return nil
}

func (l *psLint) push() error {
	if err := l.element(); err != nil {
		return err
	}
	if len(l.open) >= l.b.maxDepth {
		return l.b.over("PDF arrays nested deeper than %d", l.b.maxDepth)
	}
	l.open = append(l.open, 0)
	return nil
}

func (l *psLint) pop() {
	if len(l.open) > 0 {
		l.open = l.open[:len(l.open)-1]
	}
}

func (l *psLint) str(n int) error {
	if l.cmap && l.inBF {
		l.widestString = max(l.widestString, n)
	}
	l.shown += int64(n)
	return l.element()
}

func (l *psLint) word(tok []byte) error {
	if tok[0] == '/' {
		return l.element()
	}
	if n, isInt, isNum := number(tok); isNum {
		if isInt {
			l.lastInt = n
		}
		return l.element()
	}
	kw := string(tok)
	if l.skipStreams && kw == "stream" {
		return l.skipStream()
	}
	if len(l.open) > 0 || !l.operators {
		return l.element()
	}
	switch kw {
	case "true", "false", "null":
		return l.element()
	}
	switch kw {
	case "BT", "T*", "'", "\"": // the library shows a line break for these
		l.ops++
	}
	l.pending = 0
	if l.cmap {
		switch kw {
		case "begincodespacerange", "beginbfchar", "beginbfrange", "begincidchar", "begincidrange", "beginnotdefchar", "beginnotdefrange":
			// The library loops this many times, appending to its map.
			if l.lastInt < 0 || l.lastInt > int64(l.b.maxElements) {
				return l.b.over("a CMap section of %d entries", l.lastInt)
			}
			l.inBF = kw == "beginbfchar" || kw == "beginbfrange"
		case "endbfchar", "endbfrange":
			l.inBF = false
		}
	}
	return nil
}

// number reads a PDF number: an integer (saturated at the int64 range) or
// a real.
func number(tok []byte) (n int64, isInt, isNum bool) {
	digits, dots := 0, 0
	neg := false
	for i, c := range tok {
		switch {
		case c >= '0' && c <= '9':
			digits++
			if n < math.MaxInt64/10-1 {
				n = n*10 + int64(c-'0')
			} else {
				n = math.MaxInt64
			}
		case c == '.':
			dots++
		case (c == '-' || c == '+') && i == 0:
			neg = c == '-'
		default:
			return 0, false, false
		}
	}
	if digits == 0 || dots > 1 {
		return 0, false, false
	}
	if neg {
		n = -n
	}
	return n, dots == 0, true
}

// skipStream skips a stream's data in the raw file, to its endstream.
func (l *psLint) skipStream() error {
	matched := 0
	for matched < len(endstream) {
		c, err := l.r.ReadByte()
		if err != nil {
			return err
		}
		for matched > 0 && c != endstream[matched] {
			matched = endstreamFail[matched-1]
		}
		if c == endstream[matched] {
			matched++
		}
	}
	return nil
}

const endstream = "endstream"

// endstreamFail is the Knuth–Morris–Pratt failure table of endstream: how
// much of it is still matched after a mismatch.
var endstreamFail = func() []int {
	f := make([]int, len(endstream))
	for i, k := 1, 0; i < len(endstream); i++ {
		for k > 0 && endstream[i] != endstream[k] {
			k = f[k-1]
		}
		if endstream[i] == endstream[k] {
			k++
		}
		f[i] = k
	}
	return f
}()
