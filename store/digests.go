package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Digest send states.
const (
	DigestSent     = "sent"
	DigestFailed   = "failed"   // temporary: retried on the next run
	DigestRejected = "rejected" // the address was refused for good
)

// DigestRecord is the state of one unit's digest for one week.
type DigestRecord struct {
	Unit, Week, Address, Status, Error string
	Attempts                           int
	UpdatedAt                          time.Time
}

// DigestState returns the record of (unit, week); ok is false when it was
// never tried.
func (s *Store) DigestState(ctx context.Context, unit, week string) (DigestRecord, bool, error) {
	var r DigestRecord
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT unit, week, address, status, error, attempts, updated_at FROM digests
		WHERE unit = ? AND week = ?`, unit, week).Scan(&r.Unit, &r.Week, &r.Address, &r.Status, &r.Error, &r.Attempts, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, s.wrap("read digest state", err)
	}
	r.UpdatedAt = parseTime(at)
	return r, true, nil
}

// RecordDigest saves the outcome of one attempt to send (unit, week).
func (s *Store) RecordDigest(ctx context.Context, unit, week, address, status, errText string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO digests (unit, week, address, status, attempts, error, updated_at)
		VALUES (?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT (unit, week) DO UPDATE SET address = excluded.address, status = excluded.status,
		attempts = digests.attempts + 1, error = excluded.error, updated_at = excluded.updated_at`,
		unit, week, address, status, errText, formatTime(now))
	return s.wrap("record digest", err)
}

// VerifiedAt returns when each issue verified between from and to was
// verified.
func (s *Store) VerifiedAt(ctx context.Context, from, to time.Time) (map[int64]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT issue_id, max(at) FROM issue_events WHERE to_status = ? AND at >= ? AND at < ?
		GROUP BY issue_id`, StatusVerified, formatTime(from), formatTime(to))
	if err != nil {
		return nil, s.wrap("verified issues", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var at string
		if err := rows.Scan(&id, &at); err != nil {
			return nil, s.wrap("verified issues", err)
		}
		out[id] = parseTime(at)
	}
	return out, rows.Err()
}
