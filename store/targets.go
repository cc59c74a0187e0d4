package store

import (
	"context"
	"time"
)

// Target is a website (or, later, a new-media account) under patrol.
type Target struct {
	ID      int64
	Name    string
	Kind    string // "site" or "account"
	URL     string
	Owner   string
	Email   string
	Enabled bool
	// Accounts only.
	Platform, AccountID, SourceKind, Source, Contact string
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
		INSERT INTO targets (name, kind, url, owner, email, enabled, created_at, updated_at,
			platform, account_id, source_kind, source, contact)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url,
			owner = excluded.owner, email = excluded.email, updated_at = excluded.updated_at,
			platform = excluded.platform, account_id = excluded.account_id, source_kind = excluded.source_kind,
			source = excluded.source, contact = excluded.contact
		RETURNING id`, t.Name, t.Kind, t.URL, t.Owner, t.Email, ts, ts,
		t.Platform, t.AccountID, t.SourceKind, t.Source, t.Contact).Scan(&id)
	if err != nil {
		return 0, s.wrap("save target "+t.Name, err)
	}
	return id, nil
}

const targetColumns = `id, name, kind, url, owner, email, enabled, platform, account_id, source_kind, source, contact`

func (t *Target) fields() []any {
	return []any{&t.ID, &t.Name, &t.Kind, &t.URL, &t.Owner, &t.Email, &t.Enabled, &t.Platform, &t.AccountID, &t.SourceKind, &t.Source, &t.Contact}
}

// Targets lists the targets of a kind ("" for all), by name.
func (s *Store) Targets(ctx context.Context, kind string) ([]Target, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+targetColumns+` FROM targets WHERE ? = '' OR kind = ? ORDER BY name`, kind, kind)
	if err != nil {
		return nil, s.wrap("list targets", err)
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		var t Target
		if err := rows.Scan(t.fields()...); err != nil {
			return nil, s.wrap("read target", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
