package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/xunjian/xunjian/checks"
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
	// Tenant is the district (or other tenant) the target belongs to in a
	// database many share; "" in a district's own.
	Tenant string
	// Managed marks a target the configuration file declares: it is
	// edited there (the UI can only pause it), and synced at start.
	Managed bool
	// Settings are what the register's columns do not hold; only the
	// configuration sets them (SyncConfigured).
	Settings TargetSettings
}

// TargetSettings are a configured target's settings beyond the register.
type TargetSettings struct {
	// A site's hosts besides its start URL's, column corrections (URLs
	// resolved and normalised) and chrome selectors.
	AllowedHosts []string                `json:"allowed_hosts,omitempty"`
	Columns      []checks.ColumnOverride `json:"columns,omitempty"`
	Chrome       []string                `json:"chrome,omitempty"`
	// A Weibo account's API address (default https://m.weibo.cn) and the
	// cookie it needs.
	API string `json:"api,omitempty"`
	// Cookie is the Weibo cookie: a secret, read from the configuration
	// when the patrol runs and never written to the database.
	Cookie string `json:"-"`
	// Portal marks the site the assessment leads with (the first the
	// configuration declares).
	Portal bool `json:"portal,omitempty"`
	// PausedByConfig: the configuration paused the target (enabled: false,
	// or no longer declared), so declaring it again resumes it.
	PausedByConfig bool `json:"paused_by_config,omitempty"`
}

// SyncTarget creates the target named t.Name or updates its settings, and
// returns its id. Configuration files declare targets; this keeps the
// database in step with them. A new target gets t.Tenant; an existing one
// keeps its own (a register imported in the UI does not move a target out
// of its district).
func (s *Store) SyncTarget(ctx context.Context, t Target, now time.Time) (int64, error) {
	if t.Kind == "" {
		t.Kind = "site"
	}
	ts := formatTime(now)
	var id int64
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO targets (name, kind, url, owner, email, enabled, created_at, updated_at,
			platform, account_id, source_kind, source, contact, tenant)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url,
			owner = excluded.owner, email = excluded.email, updated_at = excluded.updated_at,
			platform = excluded.platform, account_id = excluded.account_id, source_kind = excluded.source_kind,
			source = excluded.source, contact = excluded.contact
		RETURNING id`, t.Name, t.Kind, t.URL, t.Owner, t.Email, ts, ts,
		t.Platform, t.AccountID, t.SourceKind, t.Source, t.Contact, t.Tenant).Scan(&id)
	if err != nil {
		return 0, s.wrap("save target "+t.Name, err)
	}
	return id, nil
}

// ImportTarget saves a target from an imported register like SyncTarget,
// except one the configuration declares, which is edited there: when the
// row says something else, skipped is true and nothing changes (a row
// that says the same, as an export re-imported, is taken as it is).
func (s *Store) ImportTarget(ctx context.Context, t Target, now time.Time) (skipped bool, err error) {
	var row targetRow
	err = s.db.QueryRowContext(ctx, `SELECT `+targetColumns+` FROM targets WHERE name = ?`, t.Name).Scan(row.fields()...)
	switch {
	case err == nil && row.Managed:
		// (A Weibo account's register row gives its uid as its ID.)
		sameID := row.AccountID == t.AccountID || t.SourceKind == "weibo" && t.AccountID == row.Source
		same := row.URL == t.URL && row.Owner == t.Owner && row.Email == t.Email && row.Platform == t.Platform &&
			sameID && row.SourceKind == t.SourceKind && row.Source == t.Source && row.Contact == t.Contact
		return !same, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return false, s.wrap("import target "+t.Name, err)
	}
	_, err = s.SyncTarget(ctx, t, now)
	return false, err
}

const targetColumns = `id, name, kind, url, owner, email, enabled, platform, account_id, source_kind, source, contact, managed, settings, tenant`

// targetRow reads a row of targetColumns.
type targetRow struct {
	Target
	settings string
}

func (t *targetRow) fields() []any {
	return []any{&t.ID, &t.Name, &t.Kind, &t.URL, &t.Owner, &t.Email, &t.Enabled, &t.Platform, &t.AccountID, &t.SourceKind,
		&t.Source, &t.Contact, &t.Managed, &t.settings, &t.Tenant}
}

// target is the row's target, its settings decoded.
func (t *targetRow) target() (Target, error) {
	if t.settings != "" {
		if err := json.Unmarshal([]byte(t.settings), &t.Settings); err != nil {
			return Target{}, fmt.Errorf("store: target %s: unreadable settings: %w", t.Name, err)
		}
	}
	return t.Target, nil
}

// Targets lists the targets of a kind ("" for all), by name.
func (s *Store) Targets(ctx context.Context, kind string) ([]Target, error) {
	return s.queryTargets(ctx, `SELECT `+targetColumns+` FROM targets WHERE ? = '' OR kind = ? ORDER BY name`, kind, kind)
}

// TenantTargets lists a tenant's targets, by name ("": every target).
func (s *Store) TenantTargets(ctx context.Context, tenant string) ([]Target, error) {
	cond, args := ofTenant("id", tenant)
	return s.queryTargets(ctx, `SELECT `+targetColumns+` FROM targets WHERE true`+cond+` ORDER BY name`, args...)
}

// SetTenant gives every target and every user without a tenant the one
// named: a district's history copied into a database many share. The
// district's administrators become its staff (an administrator manages
// every tenant); demoted is how many.
func (s *Store) SetTenant(ctx context.Context, tenant string) (demoted int, err error) {
	if tenant == "" {
		return 0, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrap("set tenant", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, tenant = ? WHERE role = ?`, RoleStaff, tenant, RoleAdmin)
	if err != nil {
		return 0, s.wrap("set tenant", err)
	}
	n, _ := res.RowsAffected()
	for _, table := range []string{"targets", "users"} {
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET tenant = ? WHERE tenant = ''`, tenant); err != nil {
			return 0, s.wrap("set tenant", err)
		}
	}
	return int(n), s.wrap("set tenant", tx.Commit())
}

// queryTargets runs a query of targetColumns and reads its targets.
func (s *Store) queryTargets(ctx context.Context, query string, args ...any) ([]Target, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.wrap("list targets", err)
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		var row targetRow
		if err := rows.Scan(row.fields()...); err != nil {
			return nil, s.wrap("read target", err)
		}
		t, err := row.target()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TargetsOfOwner lists the targets that hold an issue (of any status) of
// the owning unit, by name: what an owner account's filters may offer.
func (s *Store) TargetsOfOwner(ctx context.Context, owner string) ([]Target, error) {
	return s.queryTargets(ctx, `SELECT `+targetColumns+` FROM targets
		WHERE id IN (SELECT target_id FROM issues WHERE owner = ?) ORDER BY name`, owner)
}

// TargetByID returns one target; ErrNotFound when none.
func (s *Store) TargetByID(ctx context.Context, id int64) (Target, error) {
	var row targetRow
	err := s.db.QueryRowContext(ctx, `SELECT `+targetColumns+` FROM targets WHERE id = ?`, id).Scan(row.fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		return Target{}, fmt.Errorf("%w: target %d", ErrNotFound, id)
	}
	if err != nil {
		return Target{}, s.wrap("read target", err)
	}
	return row.target()
}

// SyncConfigured saves the targets the configuration declares, marked
// managed, with their settings; a target the configuration disables
// (Enabled false) is paused, the others keep the state the UI gave them. A
// managed target the configuration no longer declares is paused and no
// longer managed: its issues stay, staff decide. It returns the names of
// those.
func (s *Store) SyncConfigured(ctx context.Context, ts []Target, now time.Time) (dropped []string, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.wrap("sync targets", err)
	}
	defer tx.Rollback()
	at := formatTime(now)
	declared := map[string]bool{}
	for _, t := range ts {
		declared[t.Name] = true
		t.Settings.PausedByConfig = !t.Enabled
		settings, err := json.Marshal(t.Settings)
		if err != nil {
			return nil, fmt.Errorf("store: target %s: %w", t.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO targets (name, kind, url, owner, email, enabled, created_at, updated_at,
				platform, account_id, source_kind, source, contact, managed, settings, tenant)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
			ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url, tenant = excluded.tenant,
				owner = excluded.owner, email = excluded.email, updated_at = excluded.updated_at,
				platform = excluded.platform, account_id = excluded.account_id, source_kind = excluded.source_kind,
				source = excluded.source, contact = excluded.contact, managed = 1, settings = excluded.settings,
				enabled = CASE WHEN excluded.enabled = 0 THEN 0
					WHEN instr(targets.settings, '"paused_by_config":true') > 0 THEN 1 ELSE targets.enabled END`,
			t.Name, cmp.Or(t.Kind, "site"), t.URL, t.Owner, t.Email, t.Enabled, at, at,
			t.Platform, t.AccountID, t.SourceKind, t.Source, t.Contact, string(settings), t.Tenant); err != nil {
			return nil, s.wrap("save target "+t.Name, err)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT name FROM targets WHERE managed = 1`)
	if err != nil {
		return nil, s.wrap("sync targets", err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, s.wrap("sync targets", err)
		}
		if !declared[name] {
			dropped = append(dropped, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.wrap("sync targets", err)
	}
	for _, name := range dropped {
		var raw string
		if err := tx.QueryRowContext(ctx, `SELECT settings FROM targets WHERE name = ?`, name).Scan(&raw); err != nil {
			return nil, s.wrap("sync targets", err)
		}
		set := map[string]any{}
		_ = json.Unmarshal([]byte(raw), &set) // an unreadable value is replaced
		set["paused_by_config"], set["portal"] = true, false
		out, _ := json.Marshal(set)
		if _, err := tx.ExecContext(ctx, `UPDATE targets SET managed = 0, enabled = 0, updated_at = ?, settings = ? WHERE name = ?`,
			at, string(out), name); err != nil {
			return nil, s.wrap("sync targets", err)
		}
	}
	return dropped, s.wrap("sync targets", tx.Commit())
}

// UpdateTarget saves a target's settings (by its id; the name may change).
// What only the configuration sets (managed, Settings) stays as it is.
func (s *Store) UpdateTarget(ctx context.Context, t Target, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE targets SET name = ?, url = ?, owner = ?, email = ?, enabled = ?,
		platform = ?, account_id = ?, source_kind = ?, source = ?, contact = ?, updated_at = ? WHERE id = ?`,
		t.Name, t.URL, t.Owner, t.Email, t.Enabled, t.Platform, t.AccountID, t.SourceKind, t.Source, t.Contact, formatTime(now), t.ID)
	if isUnique(err) {
		return fmt.Errorf("%w: target %q", ErrExists, t.Name)
	}
	if err != nil {
		return s.wrap("save target "+t.Name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: target %d", ErrNotFound, t.ID)
	}
	return nil
}

// SetTargetEnabled pauses or resumes the patrol of a target.
func (s *Store) SetTargetEnabled(ctx context.Context, id int64, enabled bool, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE targets SET enabled = ?, updated_at = ? WHERE id = ?`, enabled, formatTime(now), id)
	if err != nil {
		return s.wrap("enable target", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: target %d", ErrNotFound, id)
	}
	return nil
}

// OpenByTarget counts unresolved issues per target name.
func (s *Store) OpenByTarget(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.name, count(*) FROM issues i JOIN targets t ON t.id = i.target_id
		WHERE i.status IN (`+placeholders(len(Unresolved))+`) GROUP BY t.name`, statusArgs(Unresolved)...)
	if err != nil {
		return nil, s.wrap("count issues", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, s.wrap("count issues", err)
		}
		out[name] = n
	}
	return out, rows.Err()
}
