package extract

import (
	"regexp"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// longNumber is a token a resident ID, a credit code or an index number
// could be.
var longNumber = regexp.MustCompile(`[0-9A-Za-z]{15,}`)

// headerLabels maps each long number in a table's data cells to the header
// of its column: a reader knows 123311200103154275 under 统一社会信用代码 is
// no ID number, though the cell beside it says nothing.
func headerLabels(root *html.Node) map[string]string {
	var out map[string]string
	goquery.NewDocumentFromNode(root).Find("table").Each(func(_ int, table *goquery.Selection) {
		rows := table.Find("tr").FilterFunction(func(_ int, tr *goquery.Selection) bool {
			return tr.Closest("table").IsSelection(table) // not a nested table's rows
		})
		if rows.Length() < 2 {
			return
		}
		var header []string
		headerRow := -1
		rows.EachWithBreak(func(i int, tr *goquery.Selection) bool {
			cells := tr.ChildrenFiltered("th,td")
			if cells.Length() < 2 || !isHeaderRow(cells) {
				return i < 1 // only the first row (or a thead row) can be the header
			}
			cells.Each(func(_ int, c *goquery.Selection) {
				for range span(c.AttrOr("colspan", "1")) {
					header = append(header, collapse(c.Text()))
				}
			})
			headerRow = i
			return false
		})
		if headerRow < 0 {
			return
		}
		// spans[i]: rows still covered by a cell above with rowspan.
		spans := make([]int, len(header))
		rows.Each(func(i int, tr *goquery.Selection) {
			if i <= headerRow {
				return
			}
			col := 0
			next := func() {
				for col < len(spans) && spans[col] > 0 {
					col++
				}
			}
			covered := slices.Clone(spans)
			next()
			tr.ChildrenFiltered("th,td").Each(func(_ int, c *goquery.Selection) {
				if col < len(header) && header[col] != "" {
					for _, tok := range longNumber.FindAllString(c.Text(), 8) {
						if out == nil {
							out = map[string]string{}
						}
						out[tok] = header[col]
					}
				}
				width := span(c.AttrOr("colspan", "1"))
				if rs := span(c.AttrOr("rowspan", "1")); rs > 1 {
					for k := col; k < min(col+width, len(covered)); k++ {
						covered[k] = rs // counted down below, this row included
					}
				}
				col += width
				next()
			})
			for k := range spans {
				spans[k] = max(covered[k]-1, 0)
			}
		})
	})
	return out
}

// isHeaderRow is a row of th cells, or of short labels without digits.
func isHeaderRow(cells *goquery.Selection) bool {
	all := true
	cells.Each(func(_ int, c *goquery.Selection) {
		t := collapse(c.Text())
		if goquery.NodeName(c) == "th" {
			return
		}
		if t == "" || len([]rune(t)) > 12 || strings.ContainsAny(t, "0123456789") {
			all = false
		}
	})
	return all
}

// span is a colspan or rowspan, clamped as browsers clamp it (1 to 1000).
func span(s string) int {
	v, err := atoi(s)
	if err != nil {
		return 1
	}
	return min(max(v, 1), 1000)
}
