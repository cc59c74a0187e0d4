package reports

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// Rescore recomputes every enabled target's scorecard from the store and
// keeps it as the day's (now, in loc): after every scan and probe, so the
// scores by day show when and why one dropped.
func Rescore(ctx context.Context, st *store.Store, r ScoreRules, now time.Time, loc *time.Location) ([]Scorecard, error) {
	targets, err := st.Targets(ctx, "")
	if err != nil {
		return nil, err
	}
	open, err := st.Issues(ctx, store.Filter{Statuses: store.Unresolved})
	if err != nil {
		return nil, err
	}
	byTarget := map[string][]store.Issue{}
	for _, is := range open {
		byTarget[is.Target] = append(byTarget[is.Target], is)
	}
	cols, err := st.Columns(ctx, "")
	if err != nil {
		return nil, err
	}
	colsOf := map[string][]store.ColumnEntry{}
	for _, c := range cols {
		colsOf[c.Target] = append(colsOf[c.Target], c)
	}
	scanned := map[string]bool{} // a target never crawled has nothing to score yet
	latest, err := st.LatestScans(ctx, store.KindCrawl)
	if err != nil {
		return nil, err
	}
	for _, sc := range latest {
		scanned[sc.Target] = true
	}
	day := now.In(loc).Format(time.DateOnly)
	var out []Scorecard
	for _, t := range targets {
		if !t.Enabled || !scanned[t.Name] {
			continue
		}
		in := ScoreInput{Target: t, Open: byTarget[t.Name], Columns: colsOf[t.Name]}
		if t.Kind == "site" {
			if in.ProbeTotal, in.ProbeFailed, err = st.ProbeShare(ctx, t.ID, now.Add(-7*24*time.Hour)); err != nil {
				return nil, err
			}
		}
		sc := Score(in, r)
		sc.Portal = t.Settings.Portal
		detail, err := json.Marshal(sc)
		if err != nil {
			return nil, err
		}
		if err := st.SaveScore(ctx, store.ScoreRow{TargetID: t.ID, Day: day, Score: sc.Score, Health: sc.Health, Failed: sc.Failed,
			Detail: string(detail), At: now}); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

// Scorecards are each target's last kept scorecard on or before day
// (YYYY-MM-DD): sites first, then accounts, by name.
func Scorecards(ctx context.Context, st *store.Store, day string) ([]Scorecard, error) {
	rows, err := st.LatestScores(ctx, day)
	if err != nil {
		return nil, err
	}
	out := make([]Scorecard, 0, len(rows))
	for _, r := range rows {
		var sc Scorecard
		if err := json.Unmarshal([]byte(r.Detail), &sc); err != nil {
			return nil, fmt.Errorf("reports: score of %s on %s unreadable: %w", r.Target, r.Day, err)
		}
		out = append(out, sc)
	}
	slices.SortStableFunc(out, func(a, b Scorecard) int { // the portal first
		switch {
		case a.Portal == b.Portal:
			return 0
		case a.Portal:
			return -1
		}
		return 1
	})
	return out, nil
}

// PortalOf is the scorecard the assessment leads with: the portal's (the
// first site the configuration declares), else the first site's; nil when
// there is no site.
func PortalOf(cards []Scorecard) *Scorecard {
	for i := range cards {
		if cards[i].Portal {
			return &cards[i]
		}
	}
	for i := range cards {
		if cards[i].Kind != "account" {
			return &cards[i]
		}
	}
	return nil
}

// Trend is the district's health index by day over [from, to): each day
// the mean over the targets of the last score each had by then.
func Trend(ctx context.Context, st *store.Store, from, to time.Time, loc *time.Location) ([]TrendPoint, error) {
	first := from.In(loc).AddDate(0, 0, -31).Format(time.DateOnly) // a score carried into the period
	rows, err := st.Scores(ctx, first, to.In(loc).Format(time.DateOnly), 0, false)
	if err != nil {
		return nil, err
	}
	last := map[int64]store.ScoreRow{}
	var out []TrendPoint
	i := 0
	for d := from.In(loc); d.Before(to); d = d.AddDate(0, 0, 1) {
		key := d.Format(time.DateOnly)
		for ; i < len(rows) && rows[i].Day <= key; i++ {
			if rows[i].Enabled { // a paused target no longer counts
				last[rows[i].TargetID] = rows[i]
			}
		}
		if len(last) == 0 {
			continue
		}
		health, score := 0, 0.0
		for _, r := range last {
			health += r.Health
			score += r.Score
		}
		out = append(out, TrendPoint{Day: d, Health: health / len(last), Score: score / float64(len(last))})
	}
	return out, nil
}

// Ranking ranks the owning units for the period (to capped at now): rank
// 1 has the most trouble — veto-category issues, then overdue, then
// unresolved ones — and each line says how it moved since the previous
// period of the same length.
func Ranking(ctx context.Context, st *store.Store, p Period, now time.Time, loc *time.Location) ([]UnitRank, error) {
	cur, err := st.UnitTallies(ctx, p.From, p.asOf(now), loc, VetoCategories)
	if err != nil {
		return nil, err
	}
	prev, err := st.UnitTallies(ctx, p.Prev().From, p.From, loc, VetoCategories)
	if err != nil {
		return nil, err
	}
	prevRank := map[string]int{}
	for i, u := range rank(prev) {
		prevRank[u.Unit] = i + 1
	}
	out := rank(cur)
	for i := range out {
		out[i].Rank, out[i].PrevRank = i+1, prevRank[out[i].Unit]
	}
	return out, nil
}

// Worst are the n units with most trouble now (veto-category issues, then
// overdue, then unresolved): the dashboard's, without the period's history.
func Worst(ctx context.Context, st *store.Store, now time.Time, loc *time.Location, n int) ([]UnitRank, error) {
	ts, err := st.OpenTallies(ctx, now.In(loc).Format(time.DateOnly), VetoCategories)
	if err != nil {
		return nil, err
	}
	out := rank(ts)
	for i := range out {
		out[i].Rank = i + 1
	}
	return out[:min(n, len(out))], nil
}

// NoUnit names issues without an owning unit in the ranking.
const NoUnit = "（未指定单位）"

// rank orders the units with something to rank, most trouble first.
func rank(ts map[string]store.UnitTally) []UnitRank {
	var out []UnitRank
	for owner, t := range ts {
		if t.Open == 0 && t.Found == 0 && t.Fixed == 0 {
			continue
		}
		u := UnitRank{Unit: cmp.Or(owner, NoUnit), Open: t.Open, Overdue: t.Overdue, Found: t.Found, Fixed: t.Fixed,
			MedianDays: t.MedianDays, Vetoes: t.Vetoes, OpenChange: t.Open - t.PrevOpen, OverdueChange: t.Overdue - t.PrevOverdue}
		if t.Fixed+t.Open > 0 {
			u.FixRate = float64(t.Fixed) / float64(t.Fixed+t.Open)
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b UnitRank) int {
		return cmp.Or(cmp.Compare(b.Vetoes, a.Vetoes), cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(b.Open, a.Open),
			cmp.Compare(a.FixRate, b.FixRate), strings.Compare(a.Unit, b.Unit))
	})
	return out
}

// asOf is the end of the period as of now: its end, or the second after
// now while it runs (the store keeps whole seconds: what happened in now's
// second counts).
func (p Period) asOf(now time.Time) time.Time {
	if now.Before(p.To) {
		return now.Truncate(time.Second).Add(time.Second)
	}
	return p.To
}

// NoticeOptions are the office's lines and the notice's limits.
type NoticeOptions struct {
	Title, DocNumber, Recipients, Issuer, Contact string
	DeadlineDays                                  int // working days to fix
	Examples                                      int // per category
}

// FreshNotice is the period's notice with today's scores recomputed first:
// what changed since the last scan (an issue ignored, one fixed) counts.
func FreshNotice(ctx context.Context, st *store.Store, r ScoreRules, p Period, o NoticeOptions, now time.Time, loc *time.Location) (Notice, error) {
	if _, err := Rescore(ctx, st, r, now, loc); err != nil {
		return Notice{}, err
	}
	return NoticeOf(ctx, st, p, o, now, loc)
}

// NoticeOf gathers the notice of a period from the store, as of now.
func NoticeOf(ctx context.Context, st *store.Store, p Period, o NoticeOptions, now time.Time, loc *time.Location) (Notice, error) {
	n := Notice{Title: o.Title, DocNumber: o.DocNumber, Recipients: o.Recipients, Issuer: o.Issuer, Contact: o.Contact,
		Date: now.In(loc), Period: p, Deadline: WorkingDaysAfter(now.In(loc), o.DeadlineDays)}
	end := p.asOf(now)
	targets, err := st.Targets(ctx, "")
	if err != nil {
		return n, err
	}
	for _, t := range targets {
		switch {
		case !t.Enabled:
		case t.Kind == "site":
			n.Overview.Sites++
			if n.Issuer == "" {
				n.Issuer = t.Owner
			}
		default:
			n.Overview.Accounts++
		}
	}
	if n.Overview.Scans, err = st.CountScans(ctx, store.KindCrawl, p.From, end); err != nil {
		return n, err
	}
	latest, err := st.LatestScans(ctx, store.KindCrawl)
	if err != nil {
		return n, err
	}
	for _, sc := range latest {
		if sc.TargetKind != "account" {
			n.Overview.Pages += sc.PagesRead
		}
	}
	f, err := st.Figures(ctx, p.From, end, loc)
	if err != nil {
		return n, err
	}
	n.Overview.Found, n.Overview.Fixed = f.Total.Found, f.Total.Verified
	if n.Scores, err = Scorecards(ctx, st, end.Add(-time.Nanosecond).In(loc).Format(time.DateOnly)); err != nil {
		return n, err
	}
	for _, sc := range n.Scores {
		if sc.Failed {
			n.Overview.Failed++
		}
	}
	if p := PortalOf(n.Scores); p != nil {
		n.Overview.Score = p.Score
	}
	open := store.Filter{Statuses: store.Unresolved, Sort: "severity"}
	if end.Before(now) { // a past period: what was unresolved at its end
		open = store.Filter{OpenAt: end, Sort: "severity"}
	}
	if n.Problems, n.Overview.Open, err = problems(ctx, st, open, max(o.Examples, 1)); err != nil {
		return n, err
	}
	if n.Units, err = Ranking(ctx, st, p, now, loc); err != nil {
		return n, err
	}
	n.Trend, err = Trend(ctx, st, p.From, end, loc)
	return n, err
}

// problems are the unresolved issues (those f selects) by category, most first, each with
// up to k examples (the severest, then the oldest); and how many in all.
func problems(ctx context.Context, st *store.Store, f store.Filter, k int) ([]CategoryProblems, int, error) {
	open, err := st.Issues(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	by := map[checks.Category]*CategoryProblems{}
	for _, is := range open {
		cp := by[is.Category]
		if cp == nil {
			cp = &CategoryProblems{Category: is.Category}
			by[is.Category] = cp
		}
		cp.Count++
		if len(cp.Examples) < k {
			c, err := st.ContextOf(ctx, is.ID)
			if err != nil {
				return nil, 0, err
			}
			cp.Examples = append(cp.Examples, Example{Unit: cmp.Or(is.Owner, NoUnit), Target: is.Target, Title: c.PageTitle,
				URL: is.URL, Evidence: is.Evidence, FirstSeen: is.FirstSeen})
		}
	}
	var out []CategoryProblems
	for _, c := range checks.Categories {
		if cp := by[c]; cp != nil {
			out = append(out, *cp)
		}
	}
	slices.SortStableFunc(out, func(a, b CategoryProblems) int { return cmp.Compare(b.Count, a.Count) })
	return out, len(open), nil
}

// WorkingDaysAfter is the day n working days (Monday to Friday) after t;
// public holidays are not known and count as working days.
func WorkingDaysAfter(t time.Time, n int) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n--
		}
	}
	return d
}

// ParsePeriod reads a period: a quarter (2026-Q4), a month (2026-11) or a
// year (2026), in loc.
func ParsePeriod(s string, loc *time.Location) (Period, error) {
	bad := fmt.Errorf("reports: period %q is not a quarter (2026-Q4), a month (2026-11) or a year (2026)", s)
	year, rest, _ := strings.Cut(s, "-")
	y, err := strconv.Atoi(year)
	if err != nil || y < 2000 || y > 2100 {
		return Period{}, bad
	}
	switch {
	case rest == "":
		from := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
		return Period{Label: fmt.Sprintf("%d年", y), Key: year, From: from, To: from.AddDate(1, 0, 0)}, nil
	case strings.HasPrefix(rest, "Q"):
		q, err := strconv.Atoi(rest[1:])
		if err != nil || q < 1 || q > 4 {
			return Period{}, bad
		}
		from := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, loc)
		return Period{Label: fmt.Sprintf("%d年第%s季度", y, []string{"一", "二", "三", "四"}[q-1]), Key: s, From: from, To: from.AddDate(0, 3, 0)}, nil
	}
	m, err := strconv.Atoi(rest)
	if err != nil || m < 1 || m > 12 {
		return Period{}, bad
	}
	from := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, loc)
	return Period{Label: fmt.Sprintf("%d年%d月", y, m), Key: fmt.Sprintf("%d-%02d", y, m), From: from, To: from.AddDate(0, 1, 0)}, nil
}

// QuarterOf is the quarter holding t.
func QuarterOf(t time.Time) Period {
	p, _ := ParsePeriod(fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())+2)/3), t.Location())
	return p
}

// Override sets deduction items' points, costs and manual flags by their
// id; an id that names no item is an error.
func (r *ScoreRules) Override(kind string, id string, points, each *float64, manual *bool) error {
	items := r.Site
	if kind == "account" {
		items = r.Account
	}
	i := slices.IndexFunc(items, func(it ScoreItem) bool { return it.ID == id })
	if i < 0 {
		var ids []string
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		return fmt.Errorf("scorecard: no %s item %q (items: %s)", kind, id, strings.Join(ids, ", "))
	}
	it := &items[i]
	if points != nil {
		it.Points = *points
	}
	if each != nil {
		it.Each = *each
	}
	if manual != nil {
		it.Manual = *manual
	}
	return nil
}
