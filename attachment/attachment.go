// Package attachment reads office files: the text of documents attached to
// pages — .docx, .xlsx and .pdf — so the text checks (personal data above
// all: 低保 lists are usually spreadsheets) can read them, and the rows of
// the account register (.xlsx, .csv), which reports writes back. Legacy .doc,
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
	"strings"

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
