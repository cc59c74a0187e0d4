package web

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// Assessment configures the 考评 page: the scorecard's rules (scores are
// recomputed before a notice is written) and the office's lines on it.
type Assessment struct {
	Score  reports.ScoreRules
	Notice reports.NoticeOptions
}

type assessmentPage struct {
	Period         reports.Period
	Periods        []reports.Period // the choices: this quarter and the three before, this year, last year
	Cards          []reports.Scorecard
	Portal         *reports.Scorecard
	Failed, AtRisk int
	Trend          chart
	Units          []reports.UnitRank
	Sort           string
	Sorts          []string
}

// rankSorts are the ranking's columns staff may sort by.
var rankSorts = []string{"rank", "open", "overdue", "found", "fixed", "fix_rate", "median", "vetoes"}

// assessment is 考评: each target's projected score with its veto items
// and deductions, the district's trend, the unit ranking, and the notice
// (通报) to download.
func (s *Server) assessment(w http.ResponseWriter, r *http.Request, u store.User) {
	p, ok := s.periodOf(w, r, u)
	if !ok {
		return
	}
	ctx := r.Context()
	now := s.now().In(s.loc)
	end := p.To
	if now.Before(end) {
		end = now
	}
	page := assessmentPage{Period: p, Periods: periodChoices(now), Sort: cmp.Or(r.URL.Query().Get("sort"), "rank"), Sorts: rankSorts}
	if !slices.Contains(rankSorts, page.Sort) {
		s.fail(w, r, u, http.StatusBadRequest, "未知排序 %q", page.Sort)
		return
	}
	var err error
	if page.Cards, err = reports.Scorecards(ctx, s.st, end.Add(-time.Nanosecond).In(s.loc).Format(time.DateOnly)); err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Portal = reports.PortalOf(page.Cards)
	for _, c := range page.Cards {
		if c.Failed {
			page.Failed++
		} else if len(c.VetoNames(reports.VetoRisk)) > 0 {
			page.AtRisk++
		}
	}
	trend, err := reports.Trend(ctx, s.st, p.From, end, s.loc)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Trend = s.trendChart(r, trend)
	if page.Units, err = reports.Ranking(ctx, s.st, p, now, s.loc); err != nil {
		s.serverError(w, r, err)
		return
	}
	sortUnits(page.Units, page.Sort)
	s.render(w, r, http.StatusOK, "assessment", u, "考评", page)
}

// periodOf reads ?period=, this quarter by default.
func (s *Server) periodOf(w http.ResponseWriter, r *http.Request, u store.User) (reports.Period, bool) {
	v := r.URL.Query().Get("period")
	if v == "" {
		return reports.QuarterOf(s.now().In(s.loc)), true
	}
	p, err := reports.ParsePeriod(v, s.loc)
	if err != nil {
		s.fail(w, r, u, http.StatusBadRequest, "考评期间 %q 不正确（例如 2026-Q4、2026-11、2026）", v)
		return p, false
	}
	return p, true
}

// periodChoices are this quarter and the three before it, this year and
// the last.
func periodChoices(now time.Time) []reports.Period {
	var out []reports.Period
	q := reports.QuarterOf(now)
	for range 4 {
		out = append(out, q)
		q = reports.QuarterOf(q.From.AddDate(0, 0, -1))
	}
	for _, y := range []int{now.Year(), now.Year() - 1} {
		p, _ := reports.ParsePeriod(strconv.Itoa(y), now.Location())
		out = append(out, p)
	}
	return out
}

// trendChart draws the district's health index by day.
func (s *Server) trendChart(r *http.Request, trend []reports.TrendPoint) chart {
	lang := langOf(r)
	labels, health := make([]string, len(trend)), make([]int, len(trend))
	for i, t := range trend {
		labels[i], health[i] = t.Day.Format("1-2"), t.Health
	}
	return barChart(1200, 220, s.tmpl.text(lang, "健康指数（按日）"), labels, []string{"#1565c0"}, []string{s.tmpl.text(lang, "健康指数")}, health)
}

// sortUnits orders the ranking by a column, the most trouble (or the
// lowest fix rate, the slowest fixes) first; rank keeps the ranking's own
// order.
func sortUnits(units []reports.UnitRank, by string) {
	key := func(u reports.UnitRank) float64 {
		switch by {
		case "open":
			return float64(u.Open)
		case "overdue":
			return float64(u.Overdue)
		case "found":
			return float64(u.Found)
		case "fixed":
			return float64(u.Fixed)
		case "fix_rate":
			return -u.FixRate
		case "median":
			return u.MedianDays
		case "vetoes":
			return float64(u.Vetoes)
		}
		return -float64(u.Rank)
	}
	slices.SortStableFunc(units, func(a, b reports.UnitRank) int { return cmp.Compare(key(b), key(a)) })
}

// notice writes the period's notice: .docx (the 通报 to edit and stamp) or
// .xlsx (its tables), the scores recomputed first.
func (s *Server) notice(format string) handler {
	return func(w http.ResponseWriter, r *http.Request, u store.User) {
		p, ok := s.periodOf(w, r, u)
		if !ok {
			return
		}
		a := s.opts.Assessment
		n, err := reports.FreshNotice(r.Context(), s.st, a.Score, p, a.Notice, s.now(), s.loc)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		var b bytes.Buffer
		ctype := "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		if format == "xlsx" {
			ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			err = reports.WriteSheets(&b, n.Sheets())
		} else {
			err = reports.WriteNoticeDOCX(&b, n)
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.log.Info("notice written", "user", u.Name, "period", p.Key, "format", format)
		download(w, ctype, "notice-"+p.Key+"."+format, fmt.Sprintf("通报-%s.%s", p.Label, format), b.Bytes())
	}
}

// rankingExport writes the period's unit ranking as a workbook.
func (s *Server) rankingExport(w http.ResponseWriter, r *http.Request, u store.User) {
	p, ok := s.periodOf(w, r, u)
	if !ok {
		return
	}
	units, err := reports.Ranking(r.Context(), s.st, p, s.now(), s.loc)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	rows := reports.RankingRows(units)
	for _, row := range rows[1:] {
		for i := range row {
			row[i] = reports.CellSafe(row[i])
		}
	}
	var b bytes.Buffer
	if err := reports.WriteWorkbook(&b, "单位排名", rows); err != nil {
		s.serverError(w, r, err)
		return
	}
	download(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ranking-"+p.Key+".xlsx",
		fmt.Sprintf("单位排名-%s.xlsx", p.Label), b.Bytes())
}

// download answers a file to save, named in ASCII and, for browsers that
// read it, in Chinese.
func download(w http.ResponseWriter, ctype, ascii, name string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", ascii, url.PathEscape(name)))
	w.Write(data)
}

type scoreDay struct {
	store.ScoreRow
	Why []string // what changed since the day before
}

type scoreHistoryPage struct {
	Target store.Target
	Card   *reports.Scorecard
	Days   []scoreDay // newest first
}

// scoreHistory is one target's score by day, and why it changed.
func (s *Server) scoreHistory(w http.ResponseWriter, r *http.Request, u store.User) {
	t, ok := s.targetID(w, r, u)
	if !ok {
		return
	}
	now := s.now().In(s.loc)
	rows, err := s.st.Scores(r.Context(), now.AddDate(-1, 0, 0).Format(time.DateOnly), now.Format(time.DateOnly), t.ID, true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := scoreHistoryPage{Target: t}
	var prev *reports.Scorecard
	for _, row := range rows {
		if row.TargetID != t.ID {
			continue
		}
		var sc reports.Scorecard
		if err := json.Unmarshal([]byte(row.Detail), &sc); err != nil {
			s.serverError(w, r, err)
			return
		}
		d := scoreDay{ScoreRow: row}
		if prev != nil {
			d.Why = reports.Changes(*prev, sc)
		}
		p.Days = append(p.Days, d)
		prev = &sc
	}
	p.Card = prev
	slices.Reverse(p.Days)
	s.render(w, r, http.StatusOK, "score_history", u, "考评预估变化", p)
}
