// Package attachment reads the text of documents attached to pages — .docx,
// .xlsx and .pdf — so the text checks (personal data above all: 低保 lists
// are usually spreadsheets) can read them. Legacy .doc, .xls, .wps and .et
// files are not read: no well-kept pure-Go reader exists for them.
package attachment

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/ledongthuc/pdf"
	"github.com/xuri/excelize/v2"
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
