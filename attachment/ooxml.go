package attachment

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"
)

// Office Open XML (.docx, .xlsx) is read here as a stream of XML tokens
// from a zip, every entry within the budget: the declared size of an entry
// is checked before it is opened, and what it inflates to is counted as it
// is read (archive/zip itself refuses to read past the declared size).
// Spreadsheets are read row by row, never whole: a library that loads a
// sheet or its shared strings into structs costs tens of bytes per cell.

// ooxml is an opened package.
type ooxml struct {
	files map[string]*zip.File
	b     *budget
}

func openOOXML(data []byte, b *budget) (*ooxml, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	if len(zr.File) > b.maxEntries {
		return nil, b.over("more than %d zip entries", b.maxEntries)
	}
	o := &ooxml{files: make(map[string]*zip.File, len(zr.File)), b: b}
	for _, f := range zr.File {
		o.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	return o, nil
}

// read passes the tokens of the named entry to fn until fn or the entry
// ends; errNotFound when there is no such entry.
func (o *ooxml) read(name string, fn func(x *xmlTokens) error) error {
	f, ok := o.files[name]
	if !ok {
		return fmt.Errorf("%w: %s", errNotFound, name)
	}
	if f.UncompressedSize64 > uint64(o.b.maxExpanded-o.b.expanded) {
		return o.b.over("expands past %s (%s declares %s)", size(o.b.maxExpanded), name, size(int64(min(f.UncompressedSize64, 1<<62))))
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	err = fn(newXMLTokens(&expanding{r: rc, b: o.b}, o.b))
	switch {
	case o.b.err != nil:
		return o.b.err
	case errors.Is(err, zip.ErrFormat): // inflating past the size the entry declares
		return o.b.over("%s inflates past its declared %d bytes", name, f.UncompressedSize64)
	case err == io.EOF:
		return nil
	}
	return err
}

var errNotFound = errors.New("no such entry")

// attr is the value of the attribute with the local name, "" if none.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func docx(data []byte, b *budget) ([]Part, error) {
	o, err := openOOXML(data, b)
	if err != nil {
		return nil, fmt.Errorf("attachment: not a .docx: %w", err)
	}
	var text string
	err = o.read("word/document.xml", func(x *xmlTokens) (err error) {
		text, err = wordText(x)
		return err
	})
	if errors.Is(err, errNotFound) {
		return nil, errors.New("attachment: .docx without word/document.xml")
	}
	if err != nil {
		return nil, fmt.Errorf("attachment: .docx: %w", err)
	}
	return []Part{{Where: "正文", Text: text}}, nil
}

// wordText collects <w:t> runs, a paragraph (<w:p>) a line, tabs and breaks
// as spaces and lines.
func wordText(x *xmlTokens) (string, error) {
	var b strings.Builder
	inText := false
	for {
		tok, err := x.next()
		if err == io.EOF {
			return strings.TrimSpace(b.String()), nil
		}
		if err != nil {
			return "", err
		}
		n := b.Len()
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
		if err := x.b.addText(b.Len() - n); err != nil {
			return "", err
		}
	}
}

// A workbook is read sheet by sheet, row by row.
type workbook struct {
	*ooxml
	sheets  []sheetRef
	strings []string // shared strings
	// dates marks the cell styles (by index) whose number format shows a
	// date (1) or a date and time (2): their numbers are serial days.
	dates []int8
}

type sheetRef struct{ name, path string }

func openWorkbook(data []byte, b *budget) (*workbook, error) {
	o, err := openOOXML(data, b)
	if err != nil {
		return nil, err
	}
	wb := &workbook{ooxml: o}
	book := "xl/workbook.xml"
	if rels, err := o.rels("_rels/.rels", ""); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.kind, "/officeDocument") {
				book = r.target
			}
		}
	} else if o.b.err != nil {
		return nil, o.b.err
	}
	rels, err := o.rels(path.Join(path.Dir(book), "_rels", path.Base(book)+".rels"), path.Dir(book))
	if err != nil && !errors.Is(err, errNotFound) {
		return nil, err
	}
	shared := path.Join(path.Dir(book), "sharedStrings.xml")
	styles := path.Join(path.Dir(book), "styles.xml")
	byID := map[string]rel{}
	for _, r := range rels {
		byID[r.id] = r
		if strings.HasSuffix(r.kind, "/sharedStrings") {
			shared = r.target
		}
		if strings.HasSuffix(r.kind, "/styles") {
			styles = r.target
		}
	}
	err = o.read(book, func(x *xmlTokens) error {
		for {
			tok, err := x.next()
			if err != nil {
				return err
			}
			if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "sheet" {
				r, ok := byID[attr(e, "id")]
				if ok && strings.HasSuffix(r.kind, "/worksheet") {
					wb.sheets = append(wb.sheets, sheetRef{name: attr(e, "name"), path: r.target})
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if err := o.read(shared, wb.readSharedStrings); err != nil && !errors.Is(err, errNotFound) {
		return nil, err
	}
	if err := o.read(styles, wb.readStyles); err != nil && !errors.Is(err, errNotFound) {
		return nil, err
	}
	return wb, nil
}

// readStyles finds the cell styles that show dates: the built-in date
// formats (14–17, 22) and custom ones with a year, month or day in them.
func (wb *workbook) readStyles(x *xmlTokens) error {
	custom := map[string]int8{}
	inXfs := false
	for {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				custom[attr(t, "numFmtId")] = dateFormat(attr(t, "formatCode"))
			case "cellXfs":
				inXfs = true
			case "xf":
				if !inXfs {
					continue
				}
				if len(wb.dates) >= maxStyles {
					return wb.b.over("more than %d cell styles", maxStyles)
				}
				id := attr(t, "numFmtId")
				kind := custom[id]
				switch id {
				case "14", "15", "16", "17":
					kind = 1
				case "22":
					kind = 2
				}
				wb.dates = append(wb.dates, kind)
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
}

// maxStyles bounds the cell styles read (Excel allows 64,000).
const maxStyles = 65536

// dateFormat is 1 for a number format that shows a date, 2 for a date and
// time, 0 otherwise; quoted text and [colour] or [locale] parts aside.
func dateFormat(code string) int8 {
	var b strings.Builder
	quoted, bracket := false, false
	for _, r := range strings.ToLower(code) {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '[':
			bracket = true
		case r == ']':
			bracket = false
		case !bracket:
			b.WriteRune(r)
		}
	}
	f := b.String()
	if !strings.ContainsAny(f, "yd") && !(strings.Contains(f, "m") && !strings.ContainsAny(f, "hs")) {
		return 0
	}
	if strings.ContainsAny(f, "hs") {
		return 2
	}
	return 1
}

// excelEpoch is day 0 of a workbook's serial dates (1900 system, with
// Excel's phantom 29 February 1900 folded in).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serialDate is a serial number shown as a date ("2006-01-02") or a date
// and time ("2006-01-02 15:04"); "" when it is no plausible date.
func serialDate(v string, kind int8) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 1 || f > 2958465 { // 9999-12-31
		return ""
	}
	t := excelEpoch.Add(time.Duration(f * 24 * float64(time.Hour)).Round(time.Minute))
	if kind == 2 {
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("2006-01-02")
}

// rel is one relationship of a package part.
type rel struct{ id, kind, target string }

// rels reads a relationships part; targets are resolved against dir.
func (o *ooxml) rels(name, dir string) ([]rel, error) {
	var out []rel
	err := o.read(name, func(x *xmlTokens) error {
		for {
			tok, err := x.next()
			if err != nil {
				return err
			}
			if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "Relationship" {
				target := attr(e, "Target")
				if strings.HasPrefix(target, "/") {
					target = strings.TrimPrefix(target, "/")
				} else {
					target = path.Join(dir, target)
				}
				out = append(out, rel{id: attr(e, "Id"), kind: attr(e, "Type"), target: target})
			}
		}
	})
	return out, err
}

// readSharedStrings keeps the text of each <si>: its <t> runs, without the
// phonetic ones (<rPh>).
func (wb *workbook) readSharedStrings(x *xmlTokens) error {
	var cur strings.Builder
	inT, phonetic := false, 0
	for {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				cur.Reset()
			case "t":
				inT = true
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if int64(len(wb.strings)) >= wb.b.maxStrings {
					return wb.b.over("more than %d shared strings", wb.b.maxStrings)
				}
				s := unescapeOOXML(cur.String())
				if err := wb.b.addText(len(s)); err != nil {
					return err
				}
				wb.strings = append(wb.strings, s)
			case "t":
				inT = false
			case "rPh":
				phonetic--
			}
		case xml.CharData:
			if inT && phonetic == 0 {
				cur.Write(t)
			}
		}
	}
}

// maxColumn is Excel's last column, XFD.
const maxColumn = 16384

// eachRow passes the sheet's rows to fn in order, each padded to its cells'
// columns and without trailing blanks; blank rows between them are passed
// as nil (counted against the row bound). fn must not keep the slice.
func (wb *workbook) eachRow(sheet sheetRef, fn func(row []string) error) error {
	var (
		row        []string
		rowNum     int64 // of the row being read, 1-based
		lastRow    int64 // the last row passed
		col        int   // of the cell being read, 0-based
		kind       string
		style      string
		value      strings.Builder
		inValue    bool
		phonetic   int
		cellsInRow int
	)
	flush := func() error {
		for lastRow+1 < rowNum {
			if lastRow++; lastRow > wb.b.maxRows {
				return wb.b.over("more than %d rows", wb.b.maxRows)
			}
			if err := fn(nil); err != nil {
				return err
			}
		}
		if lastRow = rowNum; lastRow > wb.b.maxRows {
			return wb.b.over("more than %d rows", wb.b.maxRows)
		}
		for len(row) > 0 && row[len(row)-1] == "" {
			row = row[:len(row)-1]
		}
		return fn(row)
	}
	return wb.read(sheet.path, func(x *xmlTokens) error {
		for {
			tok, err := x.next()
			if err != nil {
				return err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				switch t.Name.Local {
				case "row":
					rowNum = max(lastRow+1, atoi64(attr(t, "r")))
					row, col, cellsInRow = row[:0], -1, 0
				case "c":
					col++
					if ref := attr(t, "r"); ref != "" {
						if c := columnOf(ref); c > col {
							col = c
						}
					}
					if col >= maxColumn {
						return fmt.Errorf("cell %s past column XFD", attr(t, "r"))
					}
					kind, style = attr(t, "t"), attr(t, "s")
					value.Reset()
				case "v", "t":
					inValue = true
				case "rPh":
					phonetic++
				}
			case xml.EndElement:
				switch t.Name.Local {
				case "c":
					if err := wb.b.addCells(col + 1 - cellsInRow); err != nil {
						return err
					}
					cellsInRow = col + 1
					v := wb.cellValue(kind, value.String())
					if kind == "" || kind == "n" { // a number: a date when its style says so
						if i, err := strconv.Atoi(style); err == nil && i >= 0 && i < len(wb.dates) && wb.dates[i] > 0 {
							v = cmp.Or(serialDate(v, wb.dates[i]), v)
						}
					}
					if err := wb.b.addText(len(v)); err != nil {
						return err
					}
					for len(row) < col {
						row = append(row, "")
					}
					row = append(row, v)
				case "row":
					if err := flush(); err != nil {
						return err
					}
				case "v", "t":
					inValue = false
				case "rPh":
					phonetic--
				}
			case xml.CharData:
				if inValue && phonetic == 0 {
					value.Write(t)
				}
			}
		}
	})
}

// cellValue is a cell's text as a spreadsheet shows it, numbers unformatted.
func (wb *workbook) cellValue(kind, v string) string {
	switch kind {
	case "s":
		if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && i >= 0 && i < len(wb.strings) {
			return wb.strings[i]
		}
		return ""
	case "b":
		if strings.TrimSpace(v) == "1" {
			return "TRUE"
		}
		return "FALSE"
	case "inlineStr", "str":
		return unescapeOOXML(v)
	}
	return v
}

// columnOf is the 0-based column of a cell reference ("B7": 1); -1 when it
// has none.
func columnOf(ref string) int {
	c := 0
	for i := 0; i < len(ref); i++ {
		ch := ref[i] | 0x20 // lower case
		if ch < 'a' || ch > 'z' {
			break
		}
		if c = c*26 + int(ch-'a'+1); c > maxColumn {
			return maxColumn
		}
	}
	return c - 1
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}

// unescapeOOXML decodes the _xHHHH_ escapes spreadsheets write control
// characters as.
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "_x")
		if i < 0 || len(s) < i+7 || s[i+6] != '_' {
			break
		}
		n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
		if err != nil {
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteRune(rune(n))
		s = s[i+7:]
	}
	b.WriteString(s)
	return b.String()
}

func xlsx(data []byte, b *budget) ([]Part, error) {
	wb, err := openWorkbook(data, b)
	if err != nil {
		return nil, fmt.Errorf("attachment: not a readable .xlsx: %w", err)
	}
	var parts []Part
	for _, sheet := range wb.sheets {
		var text strings.Builder
		err := wb.eachRow(sheet, func(row []string) error {
			n := text.Len()
			for i, c := range row {
				if i > 0 {
					text.WriteByte('\t')
				}
				text.WriteString(c)
			}
			text.WriteByte('\n')
			return b.addText(text.Len() - n - textLen(row))
		})
		if err != nil {
			return nil, fmt.Errorf("attachment: .xlsx sheet %s: %w", sheet.name, err)
		}
		parts = append(parts, Part{Where: "工作表“" + sheet.name + "”", Text: text.String()})
	}
	return parts, nil
}

// textLen is the length of the row's cells, already counted as they were
// read.
func textLen(row []string) int {
	n := 0
	for _, c := range row {
		n += len(c)
	}
	return n
}

// xlsxRows reads the first sheet as rows of cells.
func xlsxRows(data []byte, b *budget) ([][]string, error) {
	wb, err := openWorkbook(data, b)
	if err != nil {
		return nil, err
	}
	if len(wb.sheets) == 0 {
		return nil, errors.New("no sheet")
	}
	var rows [][]string
	err = wb.eachRow(wb.sheets[0], func(row []string) error {
		rows = append(rows, append([]string(nil), row...))
		return nil
	})
	for len(rows) > 0 && len(rows[len(rows)-1]) == 0 {
		rows = rows[:len(rows)-1]
	}
	return rows, err
}
