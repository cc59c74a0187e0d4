package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Roles of the people who use the staff UI.
const (
	RoleAdmin = "admin" // users, targets and settings, and everything staff do
	RoleStaff = "staff" // triage: confirm, assign, ignore, comment, export
	RoleOwner = "owner" // an owning unit: sees its own issues, marks them fixed, comments
)

// validRole checks a role and the unit an owner needs.
func validRole(role, unit string) error {
	switch {
	case role == RoleOwner && strings.TrimSpace(unit) == "":
		return fmt.Errorf("%w: the role %s needs the owning unit", ErrInvalid, RoleOwner)
	case role != RoleAdmin && role != RoleStaff && role != RoleOwner:
		return fmt.Errorf("%w: role %q: use %s, %s or %s", ErrInvalid, role, RoleAdmin, RoleStaff, RoleOwner)
	}
	return nil
}

// User is a person who may sign in to the staff UI.
type User struct {
	ID           int64
	Name         string
	PasswordHash string
	Role         string
	Unit         string // owners: the unit whose issues they see
	// Tenant keeps a staff or owner account to one tenant's targets (its
	// district, in a database many share); "" sees every target.
	Tenant    string
	Disabled  bool
	CreatedAt time.Time
	LastLogin time.Time
}

// ErrExists is returned when a name is already taken.
var ErrExists = errors.New("store: already exists")

const userColumns = `id, name, password_hash, role, unit, disabled, created_at, last_login, tenant`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var created, last string
	if err := row.Scan(&u.ID, &u.Name, &u.PasswordHash, &u.Role, &u.Unit, &u.Disabled, &created, &last, &u.Tenant); err != nil {
		return User{}, err
	}
	u.CreatedAt, u.LastLogin = parseTime(created), parseTime(last)
	return u, nil
}

// AddUser creates a user (name, password hash, role, and an owner's unit);
// ErrExists when the name is taken.
func (s *Store) AddUser(ctx context.Context, u User, now time.Time) (int64, error) {
	if err := validRole(u.Role, u.Unit); err != nil {
		return 0, err
	}
	if u.Role == RoleAdmin && strings.TrimSpace(u.Tenant) != "" {
		return 0, fmt.Errorf("%w: an administrator manages every tenant; give the tenant to a %s or %s account", ErrInvalid, RoleStaff, RoleOwner)
	}
	if u.Role != RoleOwner {
		u.Unit = ""
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO users (name, password_hash, role, unit, created_at, tenant) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Name, u.PasswordHash, u.Role, strings.TrimSpace(u.Unit), formatTime(now), strings.TrimSpace(u.Tenant)).Scan(&id)
	if isUnique(err) {
		return 0, fmt.Errorf("%w: user %q", ErrExists, u.Name)
	}
	if err != nil {
		return 0, s.wrap("add user", err)
	}
	return id, nil
}

// UserByName returns the user with that name; ErrNotFound when none.
func (s *Store) UserByName(ctx context.Context, name string) (User, error) {
	return s.user(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name)
}

// UserByID returns one user; ErrNotFound when none.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	return s.user(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id)
}

func (s *Store) user(ctx context.Context, q string, arg any) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, q, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("%w: user %v", ErrNotFound, arg)
	}
	if err != nil {
		return User{}, s.wrap("read user", err)
	}
	return u, nil
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, s.wrap("list users", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, s.wrap("read user", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers counts the users (0 on a new database).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, s.wrap("count users", err)
}

// SetPassword replaces a user's password hash and ends their sessions.
func (s *Store) SetPassword(ctx context.Context, id int64, passwordHash string) error {
	return s.userUpdate(ctx, id, `UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash)
}

// SetUserDisabled disables (or enables again) a user; disabling ends their sessions.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.userUpdate(ctx, id, `UPDATE users SET disabled = ? WHERE id = ?`, disabled)
}

// SetRole changes a user's role (and an owner's unit).
func (s *Store) SetRole(ctx context.Context, id int64, role, unit string) error {
	if err := validRole(role, unit); err != nil {
		return err
	}
	if role != RoleOwner {
		unit = ""
	}
	// An administrator manages every tenant: made one, the account is no
	// longer kept to its own.
	return s.userUpdate(ctx, id, `UPDATE users SET role = ?, unit = ?, tenant = CASE WHEN ? = ? THEN '' ELSE tenant END WHERE id = ?`,
		role, strings.TrimSpace(unit), role, RoleAdmin)
}

func (s *Store) userUpdate(ctx context.Context, id int64, q string, v ...any) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap("begin", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, q, append(v, id)...)
	if err != nil {
		return s.wrap("update user", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: user %d", ErrNotFound, id)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return s.wrap("end sessions", err)
	}
	return s.wrap("commit", tx.Commit())
}

// AddSession records a signed-in session by the hash of its token.
func (s *Store) AddSession(ctx context.Context, tokenHash string, userID int64, now, expires time.Time) error {
	ts := formatTime(now)
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		tokenHash, userID, ts, ts, formatTime(expires))
	if err != nil {
		return s.wrap("add session", err)
	}
	_, err = s.db.ExecContext(ctx, `UPDATE users SET last_login = ? WHERE id = ?`, ts, userID)
	return s.wrap("record login", err)
}

// SessionUser returns the user of a live session: not expired, not idle
// for longer than idle, and the user not disabled. It marks the session
// seen (at most once a minute, to spare writes; not when the database is
// busy). ErrNotFound otherwise.
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (User, error) {
	var seen string
	row := s.db.QueryRowContext(ctx, `SELECT s.seen_at, `+strings.ReplaceAll("u."+userColumns, ", ", ", u.")+` FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND s.seen_at > ? AND u.disabled = 0`,
		tokenHash, formatTime(now), formatTime(now.Add(-idle)))
	var u User
	var created, last string
	err := row.Scan(&seen, &u.ID, &u.Name, &u.PasswordHash, &u.Role, &u.Unit, &u.Disabled, &created, &last, &u.Tenant)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, s.wrap("read session", err)
	}
	u.CreatedAt, u.LastLogin = parseTime(created), parseTime(last)
	if now.Sub(parseTime(seen)) > time.Minute {
		// Another process holding the write lock past the busy timeout
		// does not end a live session: it is marked seen on a later
		// request (the idle limit is hours, the lock seconds).
		if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET seen_at = ? WHERE token_hash = ?`, formatTime(now), tokenHash); err != nil && !IsBusy(err) {
			return User{}, s.wrap("touch session", err)
		}
	}
	return u, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return s.wrap("end session", err)
}

// PruneSessions deletes expired sessions.
func (s *Store) PruneSessions(ctx context.Context, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(now))
	return s.wrap("prune sessions", err)
}
