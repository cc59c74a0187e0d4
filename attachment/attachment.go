// Package attachment reads office files: the text of documents attached to
// pages — .docx, .xlsx and .pdf — so the text checks (personal data above
// all: 低保 lists are usually spreadsheets) can read them, and the rows of
// the account register (.xlsx, .csv), which it also writes back. Legacy .doc,
// .xls, .wps and .et files are not read: no well-kept pure-Go reader exists.
package attachment

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
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

// Text extracts a document's text, part by part. name decides the format
// (its extension); a damaged file is an error, never a panic.
func Text(name string, data []byte) (parts []Part, err error) {
	defer func() { // the PDF reader panics on some malformed files
		if r := recover(); r != nil {
			parts, err = nil, fmt.Errorf("attachment: %s: damaged file (%v)", name, r)
		}
	}()
	switch strings.ToLower(path.Ext(name)) {
	case ".docx":
		return docx(data)
	case ".xlsx":
		return xlsx(data)
	case ".pdf":
		return pdfText(data)
	}
	return nil, fmt.Errorf("%w: %s", ErrNotRead, path.Ext(name))
}

func docx(data []byte) ([]Part, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("attachment: not a .docx: %w", err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("attachment: .docx: %w", err)
		}
		defer rc.Close()
		text, err := wordText(io.LimitReader(rc, 64<<20))
		if err != nil {
			return nil, fmt.Errorf("attachment: .docx: %w", err)
		}
		return []Part{{Where: "正文", Text: text}}, nil
	}
	return nil, errors.New("attachment: .docx without word/document.xml")
}

// wordText collects <w:t> runs, a paragraph (<w:p>) a line, tabs and breaks
// as spaces and lines.
func wordText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return strings.TrimSpace(b.String()), nil
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p", "tr":
				b.WriteByte('\n')
			case "tc":
				b.WriteByte('\t')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
}

func xlsx(data []byte) ([]Part, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("attachment: not a .xlsx: %w", err)
	}
	defer f.Close()
	var parts []Part
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			return nil, fmt.Errorf("attachment: .xlsx sheet %s: %w", sheet, err)
		}
		var b strings.Builder
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t"))
			b.WriteByte('\n')
		}
		parts = append(parts, Part{Where: "工作表“" + sheet + "”", Text: b.String()})
	}
	return parts, nil
}

func pdfText(data []byte) ([]Part, error) {
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("attachment: not a .pdf: %w", err)
	}
	var parts []Part
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		text, err := p.GetPlainText(nil)
		if err != nil {
			return nil, fmt.Errorf("attachment: .pdf page %d: %w", i, err)
		}
		parts = append(parts, Part{Where: fmt.Sprintf("第%d页", i), Text: text})
	}
	return parts, nil
}

// Rows reads the first sheet of an .xlsx file, or a .csv file (UTF-8, with
// or without a byte-order mark, or GB18030 as Excel on Chinese Windows
// saves it), as rows of cells.
func Rows(name string, data []byte) ([][]string, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("attachment: %s is not a readable .xlsx: %w", name, err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("attachment: %s has no sheet", name)
		}
		return f.GetRows(sheets[0])
	case ".csv":
		data, _ = charset.Decode(data, "")
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		return r.ReadAll()
	}
	return nil, fmt.Errorf("%w: %s (use .xlsx or .csv)", ErrNotRead, path.Ext(name))
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
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return excelize.Cell{StyleID: day, Value: t}
	}
	if t, err := time.Parse("2006-01-02 15:04", v); err == nil {
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
