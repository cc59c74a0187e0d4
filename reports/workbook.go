package reports

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// WriteWorkbook writes rows as a one-sheet workbook as staff use it: the first
// row a bold header, frozen and filtered; columns as wide as their text;
// whole numbers and dates as typed cells (so SUM and date filters work),
// everything else — and anything CellSafe marked with a leading ' — as text.
func WriteWorkbook(w io.Writer, sheet string, rows [][]string) error {
	return WriteSheets(w, []Sheet{{Name: sheet, Rows: rows}})
}

// Sheet is one sheet of a workbook: its rows, header first.
type Sheet struct {
	Name string
	Rows [][]string
}

// WriteSheets writes a workbook of several sheets, each as WriteWorkbook
// writes its one.
func WriteSheets(w io.Writer, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			return err
		}
		if err := writeSheet(f, sh.Name, sh.Rows); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

// writeSheet fills one sheet of f.
func writeSheet(f *excelize.File, sheet string, rows [][]string) error {
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
	return nil
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
