package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// OpenSummary is the unresolved issues at a glance (the dashboard's first
// figures): how many, how many severe, how many could fail the site or an
// account outright, and the counts by category and severity.
type OpenSummary struct {
	Open, High, Vetoes int
	Rows               []CategoryCount // in the categories' order
}

// CategoryCount is one category's unresolved issues by severity.
type CategoryCount struct {
	Category          checks.Category
	High, Medium, Low int
	Total             int
}

// OpenOf sums up the store's counts of unresolved issues.
func OpenOf(counts []store.Count) OpenSummary {
	var o OpenSummary
	byCat := map[checks.Category]*CategoryCount{}
	for _, c := range counts {
		row := byCat[c.Category]
		if row == nil {
			row = &CategoryCount{Category: c.Category}
			byCat[c.Category] = row
		}
		switch c.Severity {
		case checks.High:
			row.High += c.N
		case checks.Medium:
			row.Medium += c.N
		default:
			row.Low += c.N
		}
		row.Total += c.N
		o.Open += c.N
		if c.Severity == checks.High {
			o.High += c.N
			if slices.Contains(VetoCategories, c.Category) {
				o.Vetoes += c.N
			}
		}
	}
	for _, c := range checks.Categories {
		if row := byCat[c]; row != nil {
			o.Rows = append(o.Rows, *row)
		}
	}
	return o
}

// Year is a year's figures as the office reports them every year: by
// category (in the categories' order), by owning unit (most found first),
// by month, and how long fixes took.
type Year struct {
	Year int
	store.Figures
	Categories []TallyRow
	Owners     []TallyRow
}

// TallyRow is one line of the year's figures.
type TallyRow struct {
	Key, Label string
	store.Tally
}

// YearOf arranges a year's figures.
func YearOf(year int, f store.Figures) Year {
	y := Year{Year: year, Figures: f}
	for _, c := range checks.Categories {
		if t, ok := f.ByCategory[c]; ok {
			y.Categories = append(y.Categories, TallyRow{Key: string(c), Label: c.Label(), Tally: t})
		}
	}
	for o, t := range f.ByOwner {
		y.Owners = append(y.Owners, TallyRow{Key: cmp.Or(o, "-"), Label: o, Tally: t})
	}
	slices.SortFunc(y.Owners, func(a, b TallyRow) int {
		return cmp.Or(cmp.Compare(b.Found, a.Found), cmp.Compare(a.Label, b.Label))
	})
	return y
}

// Rows are the year's figures as one sheet: by category, by unit, by
// month, then the median time to fix; every cell safe for a spreadsheet.
func (y Year) Rows() [][]string {
	row := func(name string, t store.Tally) []string {
		return []string{name, strconv.Itoa(t.Found), strconv.Itoa(t.Verified), strconv.Itoa(t.Ignored), strconv.Itoa(t.Open)}
	}
	head := func(first string) []string {
		return []string{first, "发现", "复查通过", "忽略（误报）", "至今未解决"}
	}
	rows := [][]string{{fmt.Sprintf("%d 年巡检问题统计", y.Year)}, {}, head("问题类别")}
	for _, c := range y.Categories {
		rows = append(rows, row(c.Label, c.Tally))
	}
	rows = append(rows, row("合计", y.Total), []string{}, head("责任单位"))
	for _, o := range y.Owners {
		rows = append(rows, row(cmp.Or(o.Label, "（未指定）"), o.Tally))
	}
	rows = append(rows, []string{}, head("月份"))
	for i, m := range y.ByMonth {
		rows = append(rows, row(fmt.Sprintf("%d 月", i+1), m))
	}
	median := "—" // nothing verified yet, as the page says
	if y.VerifiedFor > 0 {
		median = fmt.Sprintf("%.1f", y.MedianDays)
	}
	rows = append(rows, []string{}, []string{"整改用时中位数（天）", median, fmt.Sprintf("（%d 项复查通过的问题）", y.VerifiedFor)})
	for _, rr := range rows {
		for i := range rr {
			rr[i] = CellSafe(rr[i])
		}
	}
	return rows
}
