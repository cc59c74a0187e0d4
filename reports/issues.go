// Package reports turns issues into what people read: the terminal table,
// JSON for machines, CSV and xlsx for Excel, and the weekly digests.
package reports

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// IssueWriter is the writer of an issue list in format (table, json, csv
// or xlsx); ok is false for another.
func IssueWriter(format string) (write func(io.Writer, []store.Issue, *time.Location) error, ok bool) {
	switch format {
	case "table":
		return WriteTable, true
	case "json":
		return WriteJSON, true
	case "csv":
		return WriteCSV, true
	case "xlsx":
		return WriteXLSX, true
	}
	return nil, false
}

// WriteJSON writes issues as a JSON array: the contract of DESIGN.md §3
// (store.Issue's fields), times in the office's time zone.
func WriteJSON(w io.Writer, issues []store.Issue, loc *time.Location) error {
	out := make([]store.Issue, len(issues))
	for i, is := range issues {
		is.FirstSeen, is.LastSeen = is.FirstSeen.In(loc), is.LastSeen.In(loc)
		if is.Refs == nil {
			is.Refs = []checks.Ref{}
		}
		out[i] = is
	}
	return writeJSON(w, out)
}

// exportHeader names the columns in Chinese for the staff who open the
// exports in Excel.
var exportHeader = []string{"编号", "巡检对象", "问题类别", "类别代码", "严重程度", "状态", "页面地址", "问题内容", "说明", "规则",
	"责任单位", "整改期限", "首次发现", "最近发现", "引用页面数"}

// exportRows are the issues as spreadsheet rows under exportHeader, every
// cell neutralised against formula injection.
func exportRows(issues []store.Issue, loc *time.Location) [][]string {
	rows := make([][]string, 0, len(issues)+1)
	rows = append(rows, exportHeader)
	for _, is := range issues {
		rec := []string{
			strconv.FormatInt(is.ID, 10), is.Target, is.Category.Label(), string(is.Category),
			is.Severity.Label(), is.Status.Label(), is.URL, is.Evidence, is.Message,
			is.Rule, is.Owner, is.Deadline, is.FirstSeen.In(loc).Format("2006-01-02 15:04"), is.LastSeen.In(loc).Format("2006-01-02 15:04"),
			strconv.Itoa(max(len(is.Refs), 1)),
		}
		for i := range rec {
			rec[i] = CellSafe(rec[i])
		}
		rows = append(rows, rec)
	}
	return rows
}

// WriteCSV writes issues as CSV with a UTF-8 byte-order mark, without which
// Excel on Chinese Windows reads the file as GBK and shows mojibake.
func WriteCSV(w io.Writer, issues []store.Issue, loc *time.Location) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.WriteAll(exportRows(issues, loc)); err != nil {
		return err
	}
	return cw.Error()
}

// WriteXLSX writes issues as an Excel workbook with the same columns as the
// CSV.
func WriteXLSX(w io.Writer, issues []store.Issue, loc *time.Location) error {
	return WriteWorkbook(w, "问题清单", exportRows(issues, loc))
}

// CellSafe neutralises a spreadsheet formula: crawled text that starts with
// = + - @ (or a tab or carriage return) would be run by Excel when the file is
// opened, so it gets a leading apostrophe and is shown as text.
func CellSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteTable writes issues as an aligned table for a terminal, Chinese
// characters counted as two columns wide.
func WriteTable(w io.Writer, issues []store.Issue, loc *time.Location) error {
	if len(issues) == 0 {
		_, err := fmt.Fprintln(w, "没有符合条件的问题。")
		return err
	}
	rows := [][]string{{"编号", "类别", "级别", "状态", "页面", "问题内容", "说明", "最近发现"}}
	for _, is := range issues {
		rows = append(rows, []string{
			strconv.FormatInt(is.ID, 10), is.Category.Label(), is.Severity.Label(),
			is.Status.Label(), clip(is.URL, 48), clip(is.Evidence, 40), clip(is.Message, 56),
			is.LastSeen.In(loc).Format("01-02 15:04"),
		})
	}
	return writeAligned(w, rows)
}

func writeAligned(w io.Writer, rows [][]string) error {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], Width(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-Width(c)+2))
			}
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// Width is the number of terminal columns s takes: wide and full-width
// (Chinese) characters count two.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// clip shortens s to at most n columns, marking the cut with "…".
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if Width(s) <= n {
		return s
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		rw := Width(string(r))
		if used+rw > n-1 {
			break
		}
		b.WriteRune(r)
		used += rw
	}
	return b.String() + "…"
}

// WriteColumns writes the column register as a table: what xunjian took for
// each column, so staff can correct it in the configuration.
func WriteColumns(w io.Writer, cols []store.ColumnEntry, now time.Time) error {
	if len(cols) == 0 {
		_, err := fmt.Fprintln(w, "还没有栏目记录：先运行一次 xunjian scan。")
		return err
	}
	rows := [][]string{{"网站", "栏目", "分类", "时限", "最近更新", "已过天数", "条目", "维护单位", "地址"}}
	for _, c := range cols {
		class, limit, newest, age := c.Label, "", "—", ""
		switch c.Class {
		case "":
			class = "未分类（只查空白）"
		case "exempt":
			class = "不考核"
		}
		if c.Days > 0 {
			limit = strconv.Itoa(c.Days) + " 天"
		}
		if !c.Newest.IsZero() {
			newest = c.Newest.Format("2006-01-02")
			age = strconv.Itoa(int(now.Sub(c.Newest).Hours() / 24))
		}
		items := strconv.Itoa(c.Items)
		if c.Empty {
			items = "空"
		} else if c.Undated > 0 {
			items += fmt.Sprintf("（%d 条无日期）", c.Undated)
		}
		rows = append(rows, []string{clip(c.Target, 20), clip(c.Name, 20), class, limit, newest, age, items, c.Owner, c.URL})
	}
	return writeAligned(w, rows)
}

// WriteFindings writes the findings of `xunjian check`, one a line, with the
// line of the text they are on (0 when not known).
func WriteFindings(w io.Writer, fs []checks.Finding, line func(checks.Finding) int) error {
	if len(fs) == 0 {
		_, err := fmt.Fprintln(w, "未发现问题。")
		return err
	}
	rows := [][]string{{"行", "类别", "级别", "问题内容", "说明"}}
	for _, f := range fs {
		rows = append(rows, []string{strconv.Itoa(line(f)), f.Category.Label(), f.Severity.Label(), clip(f.Evidence, 40), f.Message})
	}
	return writeAligned(w, rows)
}

// writeJSON writes v indented, Chinese and <> as they are.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// WriteFindingsJSON writes the findings of `xunjian check` as a JSON
// array, each with the line of the text it is on (0 when not known).
func WriteFindingsJSON(w io.Writer, fs []checks.Finding, line func(checks.Finding) int) error {
	type out struct {
		Category checks.Category `json:"category"`
		Severity checks.Severity `json:"severity"`
		Evidence string          `json:"evidence"`
		Message  string          `json:"message"`
		Rule     string          `json:"rule"`
		Line     int             `json:"line"`
	}
	list := make([]out, 0, len(fs))
	for _, f := range fs {
		list = append(list, out{f.Category, f.Severity, f.Evidence, f.Message, f.Rule, line(f)})
	}
	return writeJSON(w, list)
}

// WriteRows writes rows (header first) as an aligned table.
func WriteRows(w io.Writer, rows [][]string) error {
	if len(rows) < 2 {
		_, err := fmt.Fprintln(w, "没有记录。")
		return err
	}
	clipped := make([][]string, len(rows))
	for i, r := range rows {
		clipped[i] = make([]string, len(r))
		for j, c := range r {
			clipped[i][j] = clip(c, 40)
		}
	}
	return writeAligned(w, clipped)
}
