package attachment

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/xunjian/xunjian/attachment/attachmenttest"
	"github.com/xunjian/xunjian/demosite"
)

func TestText(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		where string
		want  string
	}{
		{"名册.docx", demosite.Docx("低保对象名册", "张某 11010519491231002X 城东街道"), "正文", "张某 11010519491231002X 城东街道"},
		{"名册.xlsx", demosite.Xlsx("名册", [][]string{{"姓名", "身份证号码"}, {"张某", "11010519491231002X"}}), "工作表“名册”", "张某\t11010519491231002X"},
		{"公示.pdf", demosite.PDF("Name: Zhang", "ID: 11010519491231002X"), "第1页", "11010519491231002X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, err := Text(tt.name, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if len(parts) != 1 || parts[0].Where != tt.where || !strings.Contains(parts[0].Text, tt.want) {
				t.Errorf("parts %+v", parts)
			}
		})
	}
}

func TestText_BadInput(t *testing.T) {
	for _, name := range []string{"a.docx", "a.xlsx", "a.pdf"} {
		if _, err := Text(name, []byte("not a document at all")); err == nil {
			t.Errorf("%s: damaged file read without error", name)
		}
	}
	if _, err := Text("a.xls", []byte{0xd0, 0xcf}); !errors.Is(err, ErrNotRead) {
		t.Errorf(".xls: %v", err)
	}
	if Readable("a.doc") || !Readable("A.PDF") {
		t.Error("Readable")
	}
}

func FuzzText(f *testing.F) {
	f.Add("a.pdf", demosite.PDF("x"))
	f.Add("a.docx", demosite.Docx("x"))
	f.Add("a.xlsx", demosite.Xlsx("表", [][]string{{"a", "b"}, {"", "c"}}))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		Text(name, data) // never panics
	})
}

// A workbook as Excel and excelize write it: shared strings, rich text,
// escapes, blank rows and columns, several sheets. Cells are as shown: a
// date cell is its date.
func TestRows_WorkbookAsWritten(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "姓名")
	f.SetCellValue("Sheet1", "B1", "身份证号码")
	f.SetCellValue("Sheet1", "A2", "张某")
	f.SetCellValue("Sheet1", "B2", "11010519491231002X")
	f.SetCellValue("Sheet1", "C2", 13800138000)
	f.SetCellValue("Sheet1", "D2", true)
	f.SetCellValue("Sheet1", "E2", time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC))
	f.SetCellValue("Sheet1", "H4", "远处")
	f.SetCellValue("Sheet1", "A5", "a_x000D_b")
	f.SetCellRichText("Sheet1", "A6", []excelize.RichTextRun{{Text: "富"}, {Text: "文本"}})
	f.NewSheet("第二")
	f.SetCellValue("第二", "A1", 1.5)
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := Rows("a.xlsx", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"姓名", "身份证号码"}, {"张某", "11010519491231002X", "13800138000", "TRUE", "2025-03-04"}, nil,
		{"", "", "", "", "", "", "", "远处"}, {"a\rb"}, {"富文本"}}
	if fmt.Sprintf("%q", rows) != fmt.Sprintf("%q", want) {
		t.Errorf("rows\n%q\nwant\n%q", rows, want)
	}
	parts, err := Text("a.xlsx", b.Bytes())
	if err != nil || len(parts) != 2 || parts[1].Where != "工作表“第二”" || parts[1].Text != "1.5\n" ||
		!strings.HasPrefix(parts[0].Text, "姓名\t身份证号码\n张某\t11010519491231002X\t") {
		t.Errorf("parts %q, %v", parts, err)
	}
}

// Each bound on its own, with limits small enough to pass quickly.
func TestText_EachBound(t *testing.T) {
	small := defaultLimits
	small.maxExpanded, small.maxText, small.maxCells = 1<<20, 1<<16, 1000
	slow := defaultLimits
	slow.maxExpanded, slow.timeout = 1<<40, 50*time.Millisecond
	tests := []struct {
		name string
		data []byte
		l    limits
		want string
	}{
		{"expanded.docx", demosite.Docx(strings.Repeat("字", 400_000)), small, "expands past 1 MiB"},
		{"text.docx", demosite.Docx(strings.Repeat("字", 30_000)), small, "more than 64 KiB of text"},
		{"cells.xlsx", demosite.Xlsx("表", [][]string{{"a", "b"}, {"c"}, {"", "", "", "", "", "", "", "", "", "", "z"}}), limits{maxExpanded: 1 << 20, maxText: 1 << 20, maxCells: 12, maxRows: 10, maxStrings: 10, maxEntries: 10, maxToken: 1 << 10, maxDepth: 10, timeout: time.Second}, "more than 12 cells"},
		{"rows.xlsx", demosite.Xlsx("表", [][]string{{"a"}, {"b"}}), func() limits { l := defaultLimits; l.maxRows = 1; return l }(), "more than 1 rows"},
		{"token.docx", demosite.Docx(strings.Repeat("字", 1000)), func() limits { l := defaultLimits; l.maxToken = 1 << 10; return l }(), "an XML tag or text over 1 KiB"},
		{"deep.docx", demosite.Docx("x"), func() limits { l := defaultLimits; l.maxDepth = 3; return l }(), "XML nested deeper than 3"},
		{"time.pdf", attachmenttest.PDFStream(0, 4096), slow, "reading takes over 50ms"},
		{"keys.pdf", []byte("%PDF-1.4\n%" + strings.Repeat("/N 1 ", 200_000)), defaultLimits, "more than 100000"},
		{"xrefs.pdf", []byte("%PDF-1.4\n" + strings.Repeat("xref 0 300000 ", 100_000)), defaultLimits, "cross-reference tables of more than"},
		{"empty.xlsx", demosite.Xlsx("表", nil), small, ""}, // an empty sheet reads
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := textWithin(tt.name, tt.data, tt.l)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v, want ErrTooLarge: …%s", err, tt.want)
			}
		})
	}
}

// A CSV register is counted cell by cell too.
func TestRows_CSVCells(t *testing.T) {
	l := defaultLimits
	l.maxCells = 100
	if _, err := rowsWithin("r.csv", []byte(strings.Repeat(",", 200)), l); !errors.Is(err, ErrTooLarge) {
		t.Errorf("%v", err)
	}
	if rows, err := rowsWithin("r.csv", []byte("a,b\nc,d\n"), l); err != nil || len(rows) != 2 {
		t.Errorf("%q %v", rows, err)
	}
}
