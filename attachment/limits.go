package attachment

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"time"
)

// ErrTooLarge is returned (wrapped, with the bound passed) for a file that
// expands past a reading bound: a compression bomb, a damaged file, or one
// far larger than any real attachment. It is not read at all.
var ErrTooLarge = errors.New("attachment: over the reading bounds")

// limits bound the reading of one file. The download is cut at 10 MiB
// before this; these bound what the 10 MiB expands to. A real attachment — a
// 公示 list of tens of thousands of rows, a policy document of a few hundred
// pages — stays far inside every one, and reading one within them peaks
// under 200 MiB.
type limits struct {
	maxExpanded int64         // bytes inflated: zip entries read, PDF streams interpreted
	maxText     int64         // text kept: extracted text and shared strings
	maxCells    int64         // a workbook's cells, counting the blanks rows are padded with
	maxRows     int64         // a sheet's rows, counting blank rows
	maxStrings  int64         // a workbook's shared strings
	maxEntries  int           // entries in a zip
	maxToken    int           // one XML tag or text run, one PDF token outside content streams
	maxDepth    int           // XML element nesting
	maxPages    int           // a PDF's pages
	maxObjects  int64         // a PDF's object numbers (its cross-reference table)
	maxElements int           // PDF operands waiting for their operator; elements of one PDF array or dictionary
	timeout     time.Duration // the reading of one file
}

// defaultLimits are the bounds every file is read within.
var defaultLimits = limits{
	maxExpanded: 64 << 20,
	maxText:     16 << 20, // ~5.6 million Chinese characters
	maxCells:    1 << 22,  // 4,194,304
	maxRows:     1 << 20,  // Excel's own maximum, 1,048,576
	maxStrings:  1 << 20,
	maxEntries:  10000,
	maxToken:    1 << 20,
	maxDepth:    256,
	maxPages:    10000,
	maxObjects:  1 << 20,
	maxElements: 1 << 16,
	timeout:     20 * time.Second,
}

// registerLimits bound Rows: every cell it returns is kept (a string and
// a slice per row), so a cell costs more than in Text; a register has a
// few thousand rows.
var registerLimits = func() limits {
	l := defaultLimits
	l.maxCells = 1 << 20 // 1,048,576
	return l
}()

// budget is what one file has used of its limits; not safe for concurrent
// use. The first bound passed is kept: a reader library that turns the
// error into a panic or a string still ends with ErrTooLarge.
type budget struct {
	limits
	deadline              time.Time
	expanded, text, cells int64
	err                   error  // the first bound passed
	why                   string // what passed it
}

func newBudget(l limits) *budget {
	return &budget{limits: l, deadline: time.Now().Add(l.timeout)}
}

// over records and returns the bound passed.
func (b *budget) over(format string, args ...any) error {
	if b.err == nil {
		b.why = fmt.Sprintf(format, args...)
		b.err = fmt.Errorf("%w: %s", ErrTooLarge, b.why)
	}
	return b.err
}

// check fails once a bound was passed or the time is up.
func (b *budget) check() error {
	if b.err != nil {
		return b.err
	}
	if time.Now().After(b.deadline) {
		return b.over("reading takes over %s", b.timeout)
	}
	return nil
}

func (b *budget) expand(n int64) error {
	if b.expanded += n; b.expanded > b.maxExpanded {
		return b.over("expands past %s", size(b.maxExpanded))
	}
	return nil
}

func (b *budget) addText(n int) error {
	if b.text += int64(n); b.text > b.maxText {
		return b.over("more than %s of text", size(b.maxText))
	}
	return nil
}

func (b *budget) addCells(n int) error {
	if b.cells += int64(n); b.cells > b.maxCells {
		return b.over("more than %d cells", b.maxCells)
	}
	return nil
}

// expanding counts what r yields against the budget and the clock.
type expanding struct {
	r io.Reader
	b *budget
}

func (e *expanding) Read(p []byte) (int, error) {
	if err := e.b.check(); err != nil {
		return 0, err
	}
	n, err := e.r.Read(p)
	if err2 := e.b.expand(int64(n)); err2 != nil {
		return 0, err2
	}
	return n, err
}

// xmlTokens reads XML within the budget: no tag or text run over the token
// bound (the decoder holds a whole token in memory), no nesting deeper than
// the depth bound. Raw tokens: names keep their prefixes (r:id is Local
// "id"), and the decoder keeps no stack of open elements or namespaces.
type xmlTokens struct {
	dec   *xml.Decoder
	b     *budget
	depth int
}

func newXMLTokens(r io.Reader, b *budget) *xmlTokens {
	return &xmlTokens{dec: xml.NewDecoder(&tokenGuard{r: r, b: b}), b: b}
}

// next is the next token; io.EOF at the end.
func (x *xmlTokens) next() (xml.Token, error) {
	tok, err := x.dec.RawToken()
	if err != nil {
		if x.b.err != nil {
			return nil, x.b.err
		}
		return nil, err
	}
	switch tok.(type) {
	case xml.StartElement:
		if x.depth++; x.depth > x.b.maxDepth {
			return nil, x.b.over("XML nested deeper than %d", x.b.maxDepth)
		}
	case xml.EndElement:
		x.depth--
	}
	return tok, nil
}

// tokenGuard fails when more than the token bound passes between two
// angle brackets.
type tokenGuard struct {
	r   io.Reader
	b   *budget
	run int
}

func (g *tokenGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for _, c := range p[:n] {
		if c == '<' || c == '>' {
			g.run = 0
		} else if g.run++; g.run > g.b.maxToken {
			return 0, g.b.over("an XML tag or text over %s", size(int64(g.b.maxToken)))
		}
	}
	return n, err
}

// size says n bytes in MiB or KiB (rounded down).
func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
