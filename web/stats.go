package web

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

type tallyRow struct {
	Key, Label string
	store.Tally
}

type statsPage struct {
	Year, Prev, Next int
	F                store.Figures
	Categories       []tallyRow
	Owners           []tallyRow
	Months           chart
}

// stats is 年度统计: what was found, fixed and dismissed in a year, by
// category, by owning unit and by month, and how long fixes took — the
// figures the office reports every year; exported to Excel as well.
func (s *Server) stats(w http.ResponseWriter, r *http.Request, u store.User) {
	p, ok := s.statsOf(w, r, u)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "stats", u, "年度统计", p)
}

func (s *Server) statsOf(w http.ResponseWriter, r *http.Request, u store.User) (statsPage, bool) {
	year := s.now().In(s.loc).Year()
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			s.fail(w, r, u, http.StatusBadRequest, "年份 %q 不正确", v)
			return statsPage{}, false
		}
		year = y
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, s.loc)
	f, err := s.st.Figures(r.Context(), from, from.AddDate(1, 0, 0), s.loc)
	if err != nil {
		s.serverError(w, r, err)
		return statsPage{}, false
	}
	p := statsPage{Year: year, Prev: year - 1, Next: year + 1, F: f}
	for _, c := range checks.Categories {
		if t, ok := f.ByCategory[c]; ok {
			p.Categories = append(p.Categories, tallyRow{Key: string(c), Label: c.Label(), Tally: t})
		}
	}
	for o, t := range f.ByOwner {
		p.Owners = append(p.Owners, tallyRow{Key: cmp.Or(o, "-"), Label: o, Tally: t})
	}
	slices.SortFunc(p.Owners, func(a, b tallyRow) int {
		return cmp.Or(cmp.Compare(b.Found, a.Found), cmp.Compare(a.Label, b.Label))
	})
	lang := langOf(r)
	labels := make([]string, len(f.ByMonth))
	found, fixed := make([]int, len(f.ByMonth)), make([]int, len(f.ByMonth))
	for i, m := range f.ByMonth {
		labels[i], found[i], fixed[i] = strconv.Itoa(i+1)+"月", m.Found, m.Verified
		if lang == langEN {
			labels[i] = time.Month(i + 1).String()[:3]
		}
	}
	p.Months = barChart(1200, 220, s.tmpl.text(lang, "每月发现与复查通过的问题数"), labels, []string{"#c62828", "#2e7d32"},
		[]string{s.tmpl.text(lang, "发现"), s.tmpl.text(lang, "复查通过")}, found, fixed) // a full-width panel
	return p, true
}

// statsExport writes the year's figures as one Excel sheet: by category,
// by unit, by month.
func (s *Server) statsExport(w http.ResponseWriter, r *http.Request, u store.User) {
	p, ok := s.statsOf(w, r, u)
	if !ok {
		return
	}
	row := func(name string, t store.Tally) []string {
		return []string{name, strconv.Itoa(t.Found), strconv.Itoa(t.Verified), strconv.Itoa(t.Ignored), strconv.Itoa(t.Open)}
	}
	head := func(first string) []string {
		return []string{first, "发现", "复查通过", "忽略（误报）", "至今未解决"}
	}
	rows := [][]string{{fmt.Sprintf("%d 年巡检问题统计", p.Year)}, {}, head("问题类别")}
	for _, c := range p.Categories {
		rows = append(rows, row(c.Label, c.Tally))
	}
	rows = append(rows, row("合计", p.F.Total), []string{}, head("责任单位"))
	for _, o := range p.Owners {
		rows = append(rows, row(cmp.Or(o.Label, "（未指定）"), o.Tally))
	}
	rows = append(rows, []string{}, head("月份"))
	for i, m := range p.F.ByMonth {
		rows = append(rows, row(fmt.Sprintf("%d 月", i+1), m))
	}
	median := "—" // nothing verified yet, as the page says
	if p.F.VerifiedFor > 0 {
		median = fmt.Sprintf("%.1f", p.F.MedianDays)
	}
	rows = append(rows, []string{}, []string{"整改用时中位数（天）", median, fmt.Sprintf("（%d 项复查通过的问题）", p.F.VerifiedFor)})
	for _, rr := range rows {
		for i := range rr {
			rr[i] = reports.CellSafe(rr[i])
		}
	}
	var b bytes.Buffer
	if err := reports.WriteWorkbook(&b, fmt.Sprintf("%d年统计", p.Year), rows); err != nil {
		s.serverError(w, r, err)
		return
	}
	name := fmt.Sprintf("巡检年度统计-%d.xlsx", p.Year)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"stats-%d.xlsx\"; filename*=UTF-8''%s", p.Year, url.PathEscape(name)))
	b.WriteTo(w)
}
