// Package store keeps everything xunjian knows — targets, scans, pages and
// links as last seen, and issues with their history — in one SQLite file
// (the default) or a PostgreSQL database (a city's or province's
// deployment; `database: postgres://…`). All SQL lives here, written once
// (db.go rewrites it for PostgreSQL). The schema is an ordered list of
// embedded migrations; its version is SQLite's user_version, or the
// schema_version table on PostgreSQL, checked at every start.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx" driver
	sqlite3 "github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Sentinel errors.
var (
	ErrNotFound = errors.New("store: not found")
	ErrLocked   = errors.New("store: the database is locked by another xunjian process")
	ErrFull     = errors.New("store: the database or its disk is full")
)

// Store is an open database.
type Store struct {
	db       *db
	path     string
	leaseTTL time.Duration
}

// Options tune an open database; the zero value is what xunjian runs with.
type Options struct {
	// BusyTimeout is how long a statement waits for another connection's
	// write lock before it fails with ErrLocked (default 5 s).
	BusyTimeout time.Duration
	// LeaseTTL is how long a scan holds its target without renewing the
	// lease (default LeaseTTL): after it, the scan's process is taken for
	// dead and the next scan of the target goes ahead.
	LeaseTTL time.Duration
	// MaxPages caps the database file at this many pages (0: no cap):
	// writes past it fail as on a full disk (tests use it).
	MaxPages int
}

// timeFormat is how times are stored: UTC, second precision, sortable.
const timeFormat = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

// Open opens (creating if needed) the database at path and brings its
// schema up to date. A database written by a newer xunjian is refused.
func Open(ctx context.Context, file string) (*Store, error) {
	return OpenWith(ctx, file, Options{})
}

// OpenWith is Open with options. A file name opens SQLite; a postgres://
// or postgresql:// address opens PostgreSQL (pgx).
func OpenWith(ctx context.Context, file string, o Options) (*Store, error) {
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = LeaseTTL
	}
	if IsPostgres(file) {
		return openPostgres(ctx, file, o)
	}
	// busy_timeout comes first so it applies while the other pragmas run;
	// _txlock=immediate makes every transaction take the write lock at
	// BEGIN, so two writers wait for each other instead of deadlocking.
	dsn := "file:" + (&url.URL{Path: file}).EscapedPath() +
		fmt.Sprintf("?_busy_timeout=%d", o.BusyTimeout.Milliseconds()) +
		"&_journal_mode=WAL&_foreign_keys=on&_synchronous=NORMAL&_txlock=immediate"
	drv := &sqlite3.SQLiteDriver{}
	if o.MaxPages > 0 {
		// A per-connection setting: every connection of the pool gets it.
		drv.ConnectHook = func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", o.MaxPages), nil)
			return err
		}
	}
	s := &Store{db: &db{DB: sql.OpenDB(connector{dsn: dsn, drv: drv})}, path: file, leaseTTL: o.LeaseTTL}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// IsPostgres reports whether a database setting names a PostgreSQL
// database rather than a SQLite file.
func IsPostgres(database string) bool {
	return strings.HasPrefix(database, "postgres://") || strings.HasPrefix(database, "postgresql://")
}

// openPostgres opens a PostgreSQL database and brings its schema up to date.
func openPostgres(ctx context.Context, dsn string, o Options) (*Store, error) {
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", Redact(dsn), err)
	}
	s := &Store{db: &db{DB: conn, pg: true}, path: Redact(dsn), leaseTTL: o.LeaseTTL}
	if err := s.db.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("store: cannot reach PostgreSQL at %s: %w", s.path, err)
	}
	if err := s.migrate(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

// NewSchema makes an empty schema on the PostgreSQL server at dsn and
// returns the address of a database that works in it, and a function that
// drops it: each test run on PostgreSQL gets one of its own.
func NewSchema(ctx context.Context, dsn, name string) (string, func(), error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("store: PostgreSQL at %s: %w", Redact(dsn), err)
	}
	drop := func() {
		admin.ExecContext(context.WithoutCancel(ctx), `DROP SCHEMA `+name+` CASCADE`)
		admin.Close()
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + name, drop, nil
}

// Redact is a database setting without its password, for messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// connector opens connections of one DSN with a driver of our own (the
// connect hook).
type connector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.drv }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// IsBusy reports whether err is the database being locked by another
// connection or process for longer than the busy timeout: the same request
// may well succeed a little later.
func IsBusy(err error) bool {
	if errors.Is(err, ErrLocked) {
		return true
	}
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []migration
	for i, n := range names {
		data, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: i + 1, name: path.Base(n), sql: string(data)})
	}
	return out, nil
}

func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("store: read migrations: %w", err)
	}
	// The first statement applies the connection pragmas; switching a new
	// file to WAL needs an exclusive lock that SQLite does not wait for, so
	// two processes opening a new file at once retry here for a while.
	if s.db.pg {
		return s.migratePostgres(ctx, ms)
	}
	var current int
	for attempt := 0; ; attempt++ {
		err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current)
		if err == nil {
			break
		}
		var se sqlite3.Error
		if attempt >= 50 || !errors.As(err, &se) || (se.Code != sqlite3.ErrBusy && se.Code != sqlite3.ErrLocked) {
			return s.wrap("open "+s.path, err)
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			return s.wrap("open "+s.path, ctx.Err())
		}
	}
	if current > len(ms) {
		return fmt.Errorf("store: %s has schema version %d, newer than this xunjian knows (%d): upgrade xunjian or use another database file", s.path, current, len(ms))
	}
	for _, m := range ms[current:] {
		// Each step takes the write lock first and looks again: another
		// process opening the same file at the same moment may have applied
		// it already.
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return s.wrap("begin migration", err)
		}
		var now int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&now); err != nil {
			tx.Rollback()
			return s.wrap("migration "+m.name, err)
		}
		if now >= m.version {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return s.wrap("migration "+m.name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return s.wrap("migration "+m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return s.wrap("migration "+m.name, err)
		}
	}
	return nil
}

// migratePostgres applies the migrations PostgreSQL has not seen, each in
// one transaction with its version (table schema_version); an advisory
// lock keeps two processes starting at once from applying one twice.
func (s *Store) migratePostgres(ctx context.Context, ms []migration) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.wrap("open "+s.path, err)
	}
	defer conn.Close()
	const lock = 7_172_017 // any fixed number: xunjian's migrations
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lock); err != nil {
		return s.wrap("lock for migration", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lock)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)`); err != nil {
		return s.wrap("open "+s.path, err)
	}
	var current int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(max(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return s.wrap("open "+s.path, err)
	}
	if current > len(ms) {
		return fmt.Errorf("store: %s has schema version %d, newer than this xunjian knows (%d): upgrade xunjian or use another database", s.path, current, len(ms))
	}
	for _, m := range ms[current:] {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return s.wrap("begin migration", err)
		}
		if _, err := tx.ExecContext(ctx, s.db.ddl(m.sql)); err != nil {
			tx.Rollback()
			return s.wrap("migration "+m.name, err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM schema_version`)
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, m.version)
		}
		if err != nil {
			tx.Rollback()
			return s.wrap("migration "+m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return s.wrap("migration "+m.name, err)
		}
	}
	return nil
}

// wrap adds the package prefix and turns SQLite's lock and format errors
// into messages an operator can act on.
func (s *Store) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "53100" { // disk_full
		return fmt.Errorf("%w (%s): %s: %w", ErrFull, s.path, what, err)
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return fmt.Errorf("%w (%s): %s", ErrLocked, s.path, what)
		case sqlite3.ErrFull:
			return fmt.Errorf("%w (%s): %s: %w", ErrFull, s.path, what, err)
		case sqlite3.ErrNotADB:
			return fmt.Errorf("store: %s is not an xunjian database (not SQLite): %w", s.path, err)
		}
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// Backup writes a consistent copy of the database to file (which must not
// exist) while others may go on reading and writing: SQLite's VACUUM INTO,
// which also compacts the copy.
func (s *Store) Backup(ctx context.Context, file string) error {
	if s.db.pg {
		return fmt.Errorf("store: backup: %s is a PostgreSQL database: back it up with pg_dump", s.path)
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("store: backup: %s exists; choose a new file", file)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, file); err != nil {
		return s.wrap("backup to "+file, err)
	}
	return nil
}
