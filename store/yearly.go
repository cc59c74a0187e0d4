package store

import (
	"context"
	"slices"
	"time"

	"github.com/xunjian/xunjian/checks"
)

// Tally counts what happened to issues in a period.
type Tally struct {
	Found    int // first seen in the period
	Verified int // verified fixed in the period
	Ignored  int // ignored as false positives in the period
	Open     int // found in the period and unresolved now
}

// Figures are a period's numbers for the yearly report: in all, by
// category, by owning unit and by month, and how long fixes took.
type Figures struct {
	From, To    time.Time
	Total       Tally
	ByCategory  map[checks.Category]Tally
	ByOwner     map[string]Tally // "" for issues without an owner
	ByMonth     []Tally          // calendar months of the period, in the office's zone
	MedianDays  float64          // first seen → verified, of the issues verified in the period
	VerifiedFor int              // how many issues MedianDays is taken over
}

// Figures counts issues found, verified and ignored in [from, to), a year
// or any span of whole months in loc.
func (s *Store) Figures(ctx context.Context, from, to time.Time, loc *time.Location) (Figures, error) {
	f := Figures{From: from, To: to}
	byCat, byOwner := map[checks.Category]*Tally{}, map[string]*Tally{}
	from, to = from.In(loc), to.In(loc)
	months := 0
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc); m.Before(to); m = m.AddDate(0, 1, 0) {
		months++
	}
	f.ByMonth = make([]Tally, months)
	month := func(t time.Time) int {
		t = t.In(loc)
		return (t.Year()-from.Year())*12 + int(t.Month()) - int(from.Month())
	}
	bump := func(cat checks.Category, owner string, at time.Time, add func(*Tally)) {
		for _, t := range []*Tally{&f.Total, entry(byCat, cat), entry(byOwner, owner)} {
			add(t)
		}
		if i := month(at); i >= 0 && i < len(f.ByMonth) {
			add(&f.ByMonth[i])
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT category, owner, first_seen, status FROM issues WHERE first_seen >= ? AND first_seen < ?`,
		formatTime(from), formatTime(to))
	if err != nil {
		return f, s.wrap("yearly figures", err)
	}
	for rows.Next() {
		var cat checks.Category
		var owner, first string
		var st Status
		if err := rows.Scan(&cat, &owner, &first, &st); err != nil {
			rows.Close()
			return f, s.wrap("yearly figures", err)
		}
		open := slices.Contains(Unresolved, st)
		bump(cat, owner, parseTime(first), func(t *Tally) {
			t.Found++
			if open {
				t.Open++
			}
		})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, s.wrap("yearly figures", err)
	}
	// The last verification (or ignoring) of each issue in the period.
	rows, err = s.db.QueryContext(ctx, `SELECT i.category, i.owner, i.first_seen, e.to_status, max(e.at) FROM issue_events e
		JOIN issues i ON i.id = e.issue_id WHERE e.to_status IN (?, ?) AND e.at >= ? AND e.at < ? GROUP BY e.issue_id, e.to_status, i.category, i.owner, i.first_seen`,
		StatusVerified, StatusIgnored, formatTime(from), formatTime(to))
	if err != nil {
		return f, s.wrap("yearly figures", err)
	}
	defer rows.Close()
	var days []float64
	for rows.Next() {
		var cat checks.Category
		var owner, first, at string
		var st Status
		if err := rows.Scan(&cat, &owner, &first, &st, &at); err != nil {
			return f, s.wrap("yearly figures", err)
		}
		when := parseTime(at)
		if st == StatusVerified {
			bump(cat, owner, when, func(t *Tally) { t.Verified++ })
			days = append(days, when.Sub(parseTime(first)).Hours()/24)
		} else {
			bump(cat, owner, when, func(t *Tally) { t.Ignored++ })
		}
	}
	if err := rows.Err(); err != nil {
		return f, s.wrap("yearly figures", err)
	}
	f.ByCategory, f.ByOwner = values(byCat), values(byOwner)
	if len(days) > 0 {
		f.VerifiedFor = len(days)
		f.MedianDays = median(days)
	}
	return f, nil
}

func entry[K comparable](m map[K]*Tally, k K) *Tally {
	if m[k] == nil {
		m[k] = &Tally{}
	}
	return m[k]
}

func values[K comparable](m map[K]*Tally) map[K]Tally {
	out := make(map[K]Tally, len(m))
	for k, t := range m {
		out[k] = *t
	}
	return out
}
