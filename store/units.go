package store

import (
	"context"
	"slices"
	"time"

	"github.com/xunjian/xunjian/checks"
)

// UnitTally is one owning unit's numbers for the ranking (单位排名) of a
// period [from, to).
type UnitTally struct {
	Open, Overdue, Vetoes int // unresolved at the period's end; of them past their deadline; of them severe in a veto category
	PrevOpen, PrevOverdue int // the same at the period's start (the previous period's end)
	Found, Fixed          int // found in the period; verified fixed in it
	MedianDays            float64
}

// UnitTallies counts each owning unit's issues ("" for those without an
// owner) for the period [from, to) in loc, replaying every issue's history:
// an issue's status at an instant is the one its last event before then
// set. vetoes are the categories whose severe issues can fail a target.
func (s *Store) UnitTallies(ctx context.Context, from, to time.Time, loc *time.Location, vetoes []checks.Category) (map[string]UnitTally, error) {
	// Only the issues with something to count: unresolved now, or with a
	// change since from (an issue closed before it is closed all along).
	args := append(statusArgs(Unresolved), formatTime(from))
	rows, err := s.db.QueryContext(ctx, `SELECT i.id, i.owner, i.category, i.severity, i.deadline, i.first_seen, e.at, e.to_status
		FROM issues i JOIN issue_events e ON e.issue_id = i.id
		WHERE i.id IN (SELECT id FROM issues WHERE status IN (`+placeholders(len(Unresolved))+`)
			UNION SELECT issue_id FROM issue_events WHERE at >= ?)
		ORDER BY i.id, e.id`, args...)
	if err != nil {
		return nil, s.wrap("unit ranking", err)
	}
	defer rows.Close()
	type issue struct {
		owner, deadline string
		category        checks.Category
		severity        checks.Severity
		first           string
	}
	type event struct {
		at     string
		status Status
	}
	fromKey, toKey := formatTime(from), formatTime(to)
	fromDay, toDay := from.In(loc).Format("2006-01-02"), to.In(loc).Format("2006-01-02")
	tallies := map[string]*UnitTally{}
	days := map[string][]float64{}
	var cur issue
	curID := int64(-1)
	var hist []event
	statusAt := func(key string) Status {
		var st Status
		for _, h := range hist {
			if h.at >= key {
				break
			}
			st = h.status
		}
		return st
	}
	flush := func() {
		t := tallies[cur.owner]
		if t == nil {
			t = &UnitTally{}
			tallies[cur.owner] = t
		}
		late := func(day string) bool { return cur.deadline != "" && cur.deadline < day }
		if st := statusAt(toKey); slices.Contains(Unresolved, st) {
			t.Open++
			if late(toDay) {
				t.Overdue++
			}
			if cur.severity == checks.High && slices.Contains(vetoes, cur.category) {
				t.Vetoes++
			}
		}
		if st := statusAt(fromKey); slices.Contains(Unresolved, st) {
			t.PrevOpen++
			if late(fromDay) {
				t.PrevOverdue++
			}
		}
		if cur.first >= fromKey && cur.first < toKey {
			t.Found++
		}
		for i := len(hist) - 1; i >= 0; i-- {
			if h := hist[i]; h.status == StatusVerified && h.at >= fromKey && h.at < toKey {
				t.Fixed++
				days[cur.owner] = append(days[cur.owner], parseTime(h.at).Sub(parseTime(cur.first)).Hours()/24)
				break
			}
		}
		hist = hist[:0]
	}
	for rows.Next() {
		var id int64
		var is issue
		var ev event
		if err := rows.Scan(&id, &is.owner, &is.category, &is.severity, &is.deadline, &is.first, &ev.at, &ev.status); err != nil {
			return nil, s.wrap("unit ranking", err)
		}
		if id != curID && curID >= 0 {
			flush()
		}
		curID, cur = id, is
		hist = append(hist, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("unit ranking", err)
	}
	if curID >= 0 {
		flush()
	}
	out := make(map[string]UnitTally, len(tallies))
	for owner, t := range tallies {
		if d := days[owner]; len(d) > 0 {
			t.MedianDays = median(d)
		}
		if *t != (UnitTally{}) {
			out[owner] = *t
		}
	}
	return out, nil
}

// median of xs (sorted in place).
func median(xs []float64) float64 {
	slices.Sort(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	return m
}

// OpenTallies counts each owning unit's unresolved issues now, of them
// past their deadline (before today, YYYY-MM-DD) and severe in a veto
// category: the cheap part of UnitTallies, from the index of statuses.
func (s *Store) OpenTallies(ctx context.Context, today string, vetoes []checks.Category) (map[string]UnitTally, error) {
	vetoed, args := "FALSE", []any{today}
	if len(vetoes) > 0 {
		vetoed = "severity = 'high' AND category IN (" + placeholders(len(vetoes)) + ")"
		for _, c := range vetoes {
			args = append(args, string(c))
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT owner, count(*), sum(CASE WHEN deadline > '' AND deadline < ? THEN 1 ELSE 0 END),
		sum(CASE WHEN `+vetoed+` THEN 1 ELSE 0 END)
		FROM issues WHERE status IN (`+placeholders(len(Unresolved))+`) GROUP BY owner`, append(args, statusArgs(Unresolved)...)...)
	if err != nil {
		return nil, s.wrap("unit tallies", err)
	}
	defer rows.Close()
	out := map[string]UnitTally{}
	for rows.Next() {
		var owner string
		var t UnitTally
		if err := rows.Scan(&owner, &t.Open, &t.Overdue, &t.Vetoes); err != nil {
			return nil, s.wrap("unit tallies", err)
		}
		out[owner] = t
	}
	return out, s.wrap("unit tallies", rows.Err())
}
