package store

import (
	"context"
	"time"
)

// ScoreRow is a target's projected score on a day (the day's last
// computation); Detail is the scorecard as JSON (package reports).
type ScoreRow struct {
	TargetID            int64
	Target, Kind, Owner string
	Day                 string // YYYY-MM-DD in the office's zone
	Score               float64
	Health              int
	Failed              bool
	Enabled             bool // the target is patrolled now (not paused)
	Detail              string
	At                  time.Time
}

// SaveScore keeps a target's score for its day, replacing an earlier one
// of the same day.
func (s *Store) SaveScore(ctx context.Context, r ScoreRow) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO scores (target_id, day, score, health, failed, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (target_id, day) DO UPDATE SET score = excluded.score, health = excluded.health, failed = excluded.failed,
			detail = excluded.detail, at = excluded.at`,
		r.TargetID, r.Day, r.Score, r.Health, r.Failed, r.Detail, formatTime(r.At))
	return s.wrap("save score", err)
}

const scoreColumns = `s.target_id, t.name, t.kind, t.owner, s.day, s.score, s.health, s.failed, t.enabled, s.detail, s.at`

// Scores lists the scores of the days [from, to] (YYYY-MM-DD), by day
// then target name — of one target when target is not 0; without details
// when detail is false.
func (s *Store) Scores(ctx context.Context, from, to string, target int64, detail bool) ([]ScoreRow, error) {
	cols := scoreColumns
	if !detail {
		cols = `s.target_id, t.name, t.kind, t.owner, s.day, s.score, s.health, s.failed, t.enabled, '', s.at`
	}
	return s.queryScores(ctx, `SELECT `+cols+` FROM scores s JOIN targets t ON t.id = s.target_id
		WHERE s.day >= ? AND s.day <= ? AND (? = 0 OR s.target_id = ?) ORDER BY s.day, t.name`, from, to, target, target)
}

// LatestScores are each patrolled (not paused) target's last score on or
// before the day, by target name (sites first).
func (s *Store) LatestScores(ctx context.Context, day string) ([]ScoreRow, error) {
	return s.queryScores(ctx, `SELECT `+scoreColumns+` FROM scores s JOIN targets t ON t.id = s.target_id
		JOIN (SELECT target_id, max(day) AS last FROM scores WHERE day <= ? GROUP BY target_id) m
			ON m.target_id = s.target_id AND m.last = s.day
		WHERE t.enabled <> 0
		ORDER BY t.kind = 'account', t.name`, day)
}

func (s *Store) queryScores(ctx context.Context, query string, args ...any) ([]ScoreRow, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.wrap("list scores", err)
	}
	defer rows.Close()
	var out []ScoreRow
	for rows.Next() {
		var r ScoreRow
		var at string
		if err := rows.Scan(&r.TargetID, &r.Target, &r.Kind, &r.Owner, &r.Day, &r.Score, &r.Health, &r.Failed, &r.Enabled, &r.Detail, &at); err != nil {
			return nil, s.wrap("read score", err)
		}
		r.At = parseTime(at)
		out = append(out, r)
	}
	return out, s.wrap("list scores", rows.Err())
}

// CountScans counts the scans (crawls and probes apart) started in [from, to).
func (s *Store) CountScans(ctx context.Context, kind string, from, to time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM scans WHERE kind = ? AND started_at >= ? AND started_at < ?`,
		kind, formatTime(from), formatTime(to)).Scan(&n)
	return n, s.wrap("count scans", err)
}
