package attachment

import (
	"errors"
	"testing"

	"github.com/xunjian/xunjian/attachment/attachmenttest"
)

// bomb is a generated attachment bomb.
type bomb struct {
	name string
	data func() []byte
	rows bool // read with Rows, not Text
}

var bombs = []bomb{
	{"cells.xlsx", attachmenttest.XLSXCells, false},         // the issue's: 256 MiB of cells
	{"cells-register.xlsx", attachmenttest.XLSXCells, true}, // the same, imported as a register
	{"sparse.xlsx", attachmenttest.XLSXSparse, false},       // 2,000 rows each with a cell in column XFD
	{"sparse-register.xlsx", attachmenttest.XLSXSparse, true},
	{"strings.xlsx", attachmenttest.XLSXSharedStrings, false},                         // 3.9M shared strings
	{"lying.xlsx", attachmenttest.XLSXLying, false},                                   // declares 1 KiB, inflates to 256 MiB
	{"run.docx", attachmenttest.DocxRun, false},                                       // one text run of 256 MiB
	{"paragraphs.docx", attachmenttest.DocxParagraphs, false},                         // 47 MiB of text
	{"nul.pdf", func() []byte { return attachmenttest.PDFStream(0, 512) }, false},     // 512 MiB of NUL bytes (white space to PDF)
	{"zeros.pdf", func() []byte { return attachmenttest.PDFStream('0', 512) }, false}, // 512 MiB of "0": one endless number
	{"operands.pdf", attachmenttest.PDFOperands, false},                               // 32M operands and no operator
	{"cmap.pdf", attachmenttest.PDFCMap, false},                                       // a 512 KiB string, each byte 200 characters
	{"xref.pdf", attachmenttest.PDFXref, false},                                       // object 4,000,000,000
	{"pages.pdf", attachmenttest.PDFPages, false},                                     // two billion pages
}

// Every bomb is refused as too large, in this process, within bounds an
// eighth of the real ones (quick under the race detector).
func TestBombs_Refused(t *testing.T) {
	l := defaultLimits
	l.maxExpanded, l.maxText, l.maxCells, l.maxStrings = l.maxExpanded/8, l.maxText/8, l.maxCells/8, l.maxStrings/8
	for _, tt := range bombs {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.rows {
				_, err = rowsWithin(tt.name, tt.data(), l)
			} else {
				_, err = textWithin(tt.name, tt.data(), l)
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("%v, want ErrTooLarge", err)
			}
		})
	}
}
