// Package attachment reads office files: the text of documents attached to
// pages — .docx, .xlsx and .pdf — so the text checks (personal data above
// all: 低保 lists are usually spreadsheets) can read them, and the rows of
// the account register (.xlsx, .csv), which it also writes back. Legacy .doc,
// .xls, .wps and .et files are not read: no well-kept pure-Go reader exists.
//
// Attachments come from the Internet and from staff uploads, and a file of a
// few hundred KB can expand to gigabytes (a compression bomb, or a damaged
// file). Every file is read within bounds — bytes inflated, text kept,
// cells, rows, tokens, nesting, PDF objects and pages, and 20 s (limits.go)
// — and at most two at a time in the process; a file past a bound is an
// ErrTooLarge and is not read at all. .docx and .xlsx are read as XML
// streams straight from the zip (ooxml.go); .pdf with ledongthuc/pdf after
// a lint of everything it would inflate or size tables by (pdf.go).
package attachment

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/xunjian/xunjian/charset"
)

// Part is the text of one page or sheet of a document.
type Part struct {
	Where string // 第2页, 工作表“名册”, 正文
	Text  string
}

// ErrNotRead is returned for formats that are not read.
var ErrNotRead = errors.New("attachment: format not read")

// Readable reports whether files named so are read.
func Readable(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".docx", ".xlsx", ".pdf":
		return true
	}
	return false
}

// reading admits two files at a time to be read in the whole process (the
// scan's workers and the server's requests alike): each is bounded, and so
// is their sum. Reading is CPU work; the machines have two cores.
var reading = make(chan struct{}, 2)

// Text extracts a document's text, part by part. name decides the format
// (its extension). A file past the reading bounds is an ErrTooLarge; a
// damaged file is another error, never a panic.
func Text(name string, data []byte) ([]Part, error) {
	return textWithin(name, data, defaultLimits)
}

func textWithin(name string, data []byte, l limits) (parts []Part, err error) {
	var read func([]byte, *budget) ([]Part, error)
	switch strings.ToLower(path.Ext(name)) {
	case ".docx":
		read = docx
	case ".xlsx":
		read = xlsx
	case ".pdf":
		read = pdfText
	default:
		return nil, fmt.Errorf("%w: %s", ErrNotRead, path.Ext(name))
	}
	reading <- struct{}{}
	defer func() { <-reading }()
	b := newBudget(l)
	defer func() { // the PDF reader panics on some malformed files
		if r := recover(); r != nil {
			parts, err = nil, fmt.Errorf("attachment: %s: damaged file (%v)", name, r)
		}
		if b.err != nil {
			parts, err = nil, fmt.Errorf("%w: %s %s", ErrTooLarge, name, b.why)
		}
	}()
	return read(data, b)
}

// Rows reads the first sheet of an .xlsx file, or a .csv file (UTF-8, with
// or without a byte-order mark, or GB18030 as Excel on Chinese Windows
// saves it), as rows of cells, within the bounds of Text but a quarter of
// its cells. Cells are as stored: numbers unformatted.
func Rows(name string, data []byte) ([][]string, error) {
	return rowsWithin(name, data, registerLimits)
}

func rowsWithin(name string, data []byte, l limits) (rows [][]string, err error) {
	ext := strings.ToLower(path.Ext(name))
	if ext != ".xlsx" && ext != ".csv" {
		return nil, fmt.Errorf("%w: %s (use .xlsx or .csv)", ErrNotRead, path.Ext(name))
	}
	reading <- struct{}{}
	defer func() { <-reading }()
	b := newBudget(l)
	defer func() {
		if r := recover(); r != nil {
			rows, err = nil, fmt.Errorf("attachment: %s: damaged file (%v)", name, r)
		}
		if b.err != nil {
			rows, err = nil, fmt.Errorf("%w: %s %s", ErrTooLarge, name, b.why)
		}
	}()
	if ext == ".csv" {
		return csvRows(data, b)
	}
	rows, err = xlsxRows(data, b)
	if err != nil {
		return nil, fmt.Errorf("attachment: %s is not a readable .xlsx: %w", name, err)
	}
	return rows, nil
}

// csvRows reads a CSV file record by record, counting its cells.
func csvRows(data []byte, b *budget) ([][]string, error) {
	data, _ = charset.Decode(data, "")
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		if err := b.addCells(len(rec)); err != nil {
			return nil, err
		}
		rows = append(rows, rec)
	}
}

// WriteXLSX writes rows as a one-sheet workbook as staff use it: the first
// row a bold header, frozen and filtered; columns as wide as their text;
// whole numbers and dates as typed cells (so SUM and date filters work),
// everything else — and anything CellSafe marked with a leading ' — as text.
func WriteXLSX(w io.Writer, sheet string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	day, _ := f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd")})
	minute, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm")})
	cols, table := 0, len(rows) > 1 && len(rows[0]) > 1
	for _, row := range rows {
		cols = max(cols, len(row))
		table = table && len(row) == len(rows[0]) // one table, not a report of several
	}
	for c := range cols {
		width := 6.0
		for _, row := range rows {
			if c < len(row) {
				width = max(width, displayWidth(row[c])+2)
			}
		}
		if err := sw.SetColWidth(c+1, c+1, min(width, 60)); err != nil {
			return err
		}
	}
	if table {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, v := range row {
			switch {
			case i == 0:
				cells[j] = excelize.Cell{StyleID: bold, Value: v}
			default:
				cells[j] = typed(v, day, minute)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if table {
		last, _ := excelize.CoordinatesToCellName(cols, len(rows))
		if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

func ptr[T any](v T) *T { return &v }

var decimal = regexp.MustCompile(`^(0|[1-9][0-9]{0,8})\.[0-9]{1,3}$`)

// typed is a cell's value as the type it reads as: a whole number of up to
// 15 digits without a leading zero (longer ones — ID and account numbers —
// would lose digits), a date (2026-11-30) or a date and time
// (2026-11-30 09:30); else the text itself.
func typed(v string, day, minute int) any {
	if n := len(v); n > 0 && n <= 15 && (v[0] != '0' || n == 1) && strings.Trim(v, "0123456789") == "" {
		if i, err := strconv.ParseInt(v, 10, 64); err == nil {
			return i
		}
	}
	if decimal.MatchString(v) {
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			return x
		}
	}
	// Dates Excel can show (from 1900 on); earlier ones stay text.
	if t, err := time.Parse("2006-01-02", v); err == nil && t.Year() >= 1900 {
		return excelize.Cell{StyleID: day, Value: t}
	}
	if t, err := time.Parse("2006-01-02 15:04", v); err == nil && t.Year() >= 1900 {
		return excelize.Cell{StyleID: minute, Value: t}
	}
	return v
}

// displayWidth is how many columns text takes in a spreadsheet, a Chinese
// character two; the longest line of a multi-line cell.
func displayWidth(s string) float64 {
	widest := 0.0
	for _, line := range strings.Split(s, "\n") {
		w := 0.0
		for _, r := range line {
			if r > 0x2E80 {
				w += 2
			} else {
				w++
			}
		}
		widest = max(widest, w)
	}
	return widest
}
