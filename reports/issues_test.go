package reports

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var shanghai = time.FixedZone("CST", 8*3600)

func sample() []store.Issue {
	t1 := time.Date(2026, 11, 20, 18, 30, 0, 0, time.UTC)
	return []store.Issue{
		{ID: 7, Target: "青溪区人民政府门户网站", Category: "dead_link", Severity: "high", URL: "http://www.qxq.gov.cn/",
			Evidence: "http://www.qxq.gov.cn/lxwm/", Message: "链接无法访问：HTTP 404（页面不存在）；链接文字“联系我们”；位于页头/导航/页脚，共 2 个页面引用（首页）",
			Rule: "dead_link.template", Status: "open", FirstSeen: t1, LastSeen: t1.Add(24 * time.Hour), SeenCount: 2,
			Refs: []checks.Ref{{Page: "http://www.qxq.gov.cn/", Anchor: "联系我们", OnHome: true}, {Page: "http://www.qxq.gov.cn/xwzx/", Anchor: "联系我们"}}},
		{ID: 9, Target: "青溪区人民政府门户网站", Category: "dead_link", Severity: "low", URL: "http://www.qxq.gov.cn/xwzx/a.html",
			Evidence: "http://www.qxq.gov.cn/old.html", Message: "疑似链接无法访问：返回正常但页面内容为“页面不存在”等错误提示；链接文字“往期, \"报道\"”",
			Rule: "dead_link.page", Status: "ignored", Suspected: true, FirstSeen: t1, LastSeen: t1, SeenCount: 1},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}

func TestWriteJSON_Golden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample(), shanghai); err != nil {
		t.Fatal(err)
	}
	golden(t, "issues.json", b.Bytes())
}

func TestWriteCSV_Golden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sample(), shanghai); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Error("no UTF-8 byte-order mark: Excel would show mojibake")
	}
	golden(t, "issues.csv", b.Bytes())
}

func TestWriteTable_Golden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, sample(), shanghai); err != nil {
		t.Fatal(err)
	}
	golden(t, "issues.txt", b.Bytes())
}

func TestWidthAndClip(t *testing.T) {
	if Width("页面abc") != 7 {
		t.Errorf("width %d", Width("页面abc"))
	}
	if got := clip("青溪区人民政府门户网站", 9); got != "青溪区人…" || Width(got) > 9 {
		t.Errorf("clip %q", got)
	}
}

func TestWriteCSV_NoFormulaInjection(t *testing.T) {
	var b bytes.Buffer
	list := []store.Issue{{ID: 1, Evidence: "=HYPERLINK(\"http://evil/\",\"点击\")", Message: "+cmd", URL: "@SUM(A1)", Target: "-1+2"}}
	if err := WriteCSV(&b, list, shanghai); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{",=HYPERLINK", ",+cmd", ",@SUM", ",-1+2"} {
		if bytes.Contains(b.Bytes(), []byte(bad)) {
			t.Errorf("a formula survives in the CSV: %s", bad)
		}
	}
	if CellSafe("青溪区") != "青溪区" || CellSafe("-5") != "'-5" {
		t.Error("CellSafe")
	}
}

func TestWriteXLSX(t *testing.T) {
	var b bytes.Buffer
	list := append(sample(), store.Issue{ID: 99, Target: "青溪区", Evidence: "=HYPERLINK(\"http://evil/\",\"点击\")", Owner: "区卫健委", Deadline: "2026-12-31"})
	if err := WriteXLSX(&b, list, shanghai); err != nil {
		t.Fatal(err)
	}
	rows, err := attachment.Rows("issues.xlsx", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(list)+1 || rows[0][0] != "编号" || rows[0][10] != "责任单位" {
		t.Fatalf("rows: %d, header %v", len(rows), rows[0])
	}
	last := rows[len(rows)-1]
	if last[7] != "'=HYPERLINK(\"http://evil/\",\"点击\")" || last[10] != "区卫健委" || last[11] != "2026-12-31" {
		t.Errorf("last row %q", last)
	}
}

// The workbook staff open: numbers and dates as typed cells (SUM and date
// filters work), a frozen, filtered header, columns as wide as their text,
// formula text still text.
func TestWriteXLSX_TypedCellsFrozenFilteredHeader(t *testing.T) {
	var b bytes.Buffer
	list := append(sample(), store.Issue{ID: 99, Target: "青溪区", Evidence: "=SUM(1,2)", Owner: "区卫健委", Deadline: "2026-12-31",
		FirstSeen: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)})
	if err := WriteXLSX(&b, list, shanghai); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "问题清单"
	row := len(list) + 1
	cell := func(col string) string { return fmt.Sprintf("%s%d", col, row) }
	// A number cell: no string type (Excel's default for a cell is a number).
	for col, want := range map[string]string{"A": "99", "O": "1"} {
		typ, _ := f.GetCellType(sheet, cell(col))
		raw, _ := f.GetCellValue(sheet, cell(col), excelize.Options{RawCellValue: true})
		if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || raw != want {
			t.Errorf("%s: type %v value %q, want the number %s", cell(col), typ, raw, want)
		}
	}
	if typ, _ := f.GetCellType(sheet, cell("B")); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("the target's name is no text cell: %v", typ)
	}
	// Dates are numbers shown as dates: a date filter and arithmetic work.
	raw, _ := f.GetCellValue(sheet, cell("L"), excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue(sheet, cell("L"))
	if raw != "46387" || shown != "2026-12-31" {
		t.Errorf("deadline: raw %q shown %q, want the serial 46387 shown as 2026-12-31", raw, shown)
	}
	if shown, _ := f.GetCellValue(sheet, cell("M")); shown != "2026-11-30 09:30" {
		t.Errorf("first seen shown as %q", shown)
	}
	if v, _ := f.GetCellValue(sheet, cell("H")); v != "'=SUM(1,2)" {
		t.Errorf("formula text: %q", v)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth(sheet, "I"); w < 10 {
		t.Errorf("message column %v wide", w)
	}
	var sawFilter bool
	for _, dn := range f.GetDefinedName() {
		sawFilter = sawFilter || dn.Name == "_xlnm._FilterDatabase"
	}
	if !sawFilter {
		t.Error("no autofilter on the header")
	}
}
