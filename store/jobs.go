package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// JobStarted records the start of a scheduled job's run.
func (s *Store) JobStarted(ctx context.Context, name string, at time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO job_runs (name, started_at) VALUES (?, ?) RETURNING id`, name, formatTime(at)).Scan(&id)
	return id, s.wrap("record job start", err)
}

// JobFinished records the end of a run and its error, if any.
func (s *Store) JobFinished(ctx context.Context, id int64, at time.Time, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	_, err := s.db.ExecContext(ctx, `UPDATE job_runs SET finished_at = ?, error = ? WHERE id = ?`, formatTime(at), msg, id)
	return s.wrap("record job end", err)
}

// LastJobRun is when the job last started; ok is false when it never ran.
func (s *Store) LastJobRun(ctx context.Context, name string) (time.Time, bool, error) {
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT started_at FROM job_runs WHERE name = ? ORDER BY id DESC LIMIT 1`, name).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, s.wrap("last job run", err)
	}
	return parseTime(at), true, nil
}

// JobRun is one recorded run.
type JobRun struct {
	Name              string
	Started, Finished time.Time
	Error             string
}

// JobRuns lists the latest runs, newest first.
func (s *Store) JobRuns(ctx context.Context, limit int) ([]JobRun, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, started_at, COALESCE(finished_at, ''), error FROM job_runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, s.wrap("list job runs", err)
	}
	defer rows.Close()
	var out []JobRun
	for rows.Next() {
		var r JobRun
		var st, fin string
		if err := rows.Scan(&r.Name, &st, &fin, &r.Error); err != nil {
			return nil, s.wrap("read job run", err)
		}
		r.Started, r.Finished = parseTime(st), parseTime(fin)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Prune deletes probes and job runs older than before (housekeeping), then
// brings the query planner's statistics up to date: SQLite's optimize;
// PostgreSQL's VACUUM ANALYZE (its counts read the index alone only where
// the table's visibility map says the rows are settled).
func (s *Store) Prune(ctx context.Context, before time.Time) error {
	for _, q := range []string{`DELETE FROM probes WHERE at < ?`, `DELETE FROM job_runs WHERE started_at < ?`} {
		if _, err := s.db.ExecContext(ctx, q, formatTime(before)); err != nil {
			return s.wrap("prune", err)
		}
	}
	return s.Optimize(ctx)
}

// Optimize brings the query planner's statistics up to date.
func (s *Store) Optimize(ctx context.Context) error {
	q := `PRAGMA optimize`
	if s.db.pg {
		q = `VACUUM ANALYZE`
	}
	_, err := s.db.ExecContext(ctx, q)
	return s.wrap("optimize", err)
}
