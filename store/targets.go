package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Target is a website (or, later, a new-media account) under patrol.
type Target struct {
	ID      int64
	Name    string
	Kind    string // "site"
	URL     string
	Owner   string
	Email   string
	Enabled bool
}

// SyncTarget creates the target named t.Name or updates its settings, and
// returns its id. Configuration files declare targets; this keeps the
// database in step with them.
func (s *Store) SyncTarget(ctx context.Context, t Target, now time.Time) (int64, error) {
	if t.Kind == "" {
		t.Kind = "site"
	}
	ts := formatTime(now)
	var id int64
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO targets (name, kind, url, owner, email, enabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url,
			owner = excluded.owner, email = excluded.email, updated_at = excluded.updated_at
		RETURNING id`, t.Name, t.Kind, t.URL, t.Owner, t.Email, ts, ts).Scan(&id)
	if err != nil {
		return 0, s.wrap("save target "+t.Name, err)
	}
	return id, nil
}

// TargetByName finds a target; ErrNotFound when there is none.
func (s *Store) TargetByName(ctx context.Context, name string) (Target, error) {
	var t Target
	err := s.db.QueryRowContext(ctx, `SELECT id, name, kind, url, owner, email, enabled FROM targets WHERE name = ?`, name).
		Scan(&t.ID, &t.Name, &t.Kind, &t.URL, &t.Owner, &t.Email, &t.Enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return Target{}, ErrNotFound
	}
	if err != nil {
		return Target{}, s.wrap("read target", err)
	}
	return t, nil
}
