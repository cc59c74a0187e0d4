package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

type statsPage struct {
	Year, Prev, Next int
	F                store.Figures
	Categories       []reports.TallyRow
	Owners           []reports.TallyRow
	Months           chart
	y                reports.Year
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
	y := reports.YearOf(year, f)
	p := statsPage{Year: year, Prev: year - 1, Next: year + 1, F: f, Categories: y.Categories, Owners: y.Owners, y: y}
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
	var b bytes.Buffer
	if err := reports.WriteWorkbook(&b, fmt.Sprintf("%d年统计", p.Year), p.y.Rows()); err != nil {
		s.serverError(w, r, err)
		return
	}
	name := fmt.Sprintf("巡检年度统计-%d.xlsx", p.Year)
	download(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fmt.Sprintf("stats-%d.xlsx", p.Year), name, b.Bytes())
}
