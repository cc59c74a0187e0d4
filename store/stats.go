package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/xunjian/xunjian/checks"
)

// Count is a number of unresolved issues of one category and severity.
type Count struct {
	Category checks.Category
	Severity checks.Severity
	N        int
}

// ofTenant is the condition keeping a query of table (its target_id, or
// id for targets) to a tenant's targets, and its argument; none for "".
func ofTenant(column, tenant string) (string, []any) {
	if tenant == "" {
		return "", nil
	}
	return " AND " + column + " IN (SELECT id FROM targets WHERE tenant = ?)", []any{tenant}
}

// OpenCounts counts the unresolved issues by category and severity (of a
// tenant's targets; "": all). The grouping follows index issues_status
// (status, category, severity), which the query reads alone; the statuses
// are summed here.
func (s *Store) OpenCounts(ctx context.Context, tenant string) ([]Count, error) {
	cond, targs := ofTenant("target_id", tenant)
	rows, err := s.db.QueryContext(ctx, `SELECT status, category, severity, count(*) FROM issues
		WHERE status IN (`+placeholders(len(Unresolved))+`)`+cond+` GROUP BY status, category, severity`,
		append(statusArgs(Unresolved), targs...)...)
	if err != nil {
		return nil, s.wrap("count issues", err)
	}
	defer rows.Close()
	type key struct {
		cat checks.Category
		sev checks.Severity
	}
	sum := map[key]int{}
	for rows.Next() {
		var status string
		var k key
		var n int
		if err := rows.Scan(&status, &k.cat, &k.sev, &n); err != nil {
			return nil, s.wrap("count issues", err)
		}
		sum[k] += n
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("count issues", err)
	}
	out := make([]Count, 0, len(sum))
	for k, n := range sum {
		out = append(out, Count{Category: k.cat, Severity: k.sev, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(a.Category, b.Category), cmp.Compare(a.Severity, b.Severity))
	})
	return out, nil
}

// NewInLatestScans sums the issues that each target's (of a tenant; "":
// every target's) latest finished crawl found for the first time: "new
// since the last scan".
func (s *Store) NewInLatestScans(ctx context.Context, tenant string) (int, error) {
	var n int
	cond, targs := ofTenant("target_id", tenant)
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(sum(s.issues_new), 0) FROM scans s
		WHERE s.id IN (SELECT max(id) FROM scans WHERE finished_at IS NOT NULL AND kind = ?`+cond+` GROUP BY target_id)`,
		append([]any{KindCrawl}, targs...)...).Scan(&n)
	return n, s.wrap("count new issues", err)
}

// OpenTrend returns the number of unresolved issues (of a tenant's
// targets; "": all) at each of the given instants, replaying every issue's
// history (its status at an instant is the one its last event before then
// set).
func (s *Store) OpenTrend(ctx context.Context, at []time.Time, tenant string) ([]int, error) {
	out := make([]int, len(at))
	keys := make([]string, len(at))
	for i, t := range at {
		keys[i] = formatTime(t)
	}
	cond, targs := ofTenant("target_id", tenant)
	if cond != "" {
		cond = " WHERE issue_id IN (SELECT id FROM issues WHERE true" + cond + ")"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT issue_id, at, to_status FROM issue_events`+cond+` ORDER BY issue_id, id`, targs...)
	if err != nil {
		return nil, s.wrap("issue trend", err)
	}
	defer rows.Close()
	type event struct {
		at     string
		status Status
	}
	var cur int64 = -1
	var hist []event // one issue's status changes, in order
	flush := func() {
		for i, k := range keys {
			var st Status
			for _, h := range hist {
				if h.at >= k {
					break
				}
				st = h.status
			}
			if st != "" && slices.Contains(Unresolved, st) {
				out[i]++
			}
		}
		hist = hist[:0]
	}
	for rows.Next() {
		var id int64
		var ts string
		var st Status
		if err := rows.Scan(&id, &ts, &st); err != nil {
			return nil, s.wrap("issue trend", err)
		}
		if id != cur && cur >= 0 {
			flush()
		}
		cur = id
		hist = append(hist, event{ts, st})
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("issue trend", err)
	}
	if cur >= 0 {
		flush()
	}
	return out, nil
}

// Digests lists the send records of one week (every week when week is ""),
// failures first.
func (s *Store) Digests(ctx context.Context, week string) ([]DigestRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT unit, week, address, status, error, attempts, updated_at FROM digests
		WHERE ? = '' OR week = ? ORDER BY CASE status WHEN 'sent' THEN 1 ELSE 0 END, week DESC, unit LIMIT 500`, week, week)
	if err != nil {
		return nil, s.wrap("list digests", err)
	}
	defer rows.Close()
	var out []DigestRecord
	for rows.Next() {
		var r DigestRecord
		var at string
		if err := rows.Scan(&r.Unit, &r.Week, &r.Address, &r.Status, &r.Error, &r.Attempts, &at); err != nil {
			return nil, s.wrap("read digest", err)
		}
		r.UpdatedAt = parseTime(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
