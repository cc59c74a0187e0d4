package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// copyTables are the tables a district's history is, in the order their
// references need; each keeps its ids. Sessions (sign-ins) and scan leases
// (scans running now) stay behind: users sign in again on the new
// database, and no scan runs while it is copied.
var copyTables = []string{"targets", "users", "scans", "pages", "links", "issues", "issue_events", "columns", "documents",
	"probes", "digests", "job_runs", "scores"}

// CopyStats counts the rows copied, by table, in copyTables' order.
type CopyStats struct {
	Tables []string
	Rows   []int64
}

// Total is the number of rows copied.
func (c CopyStats) Total() int64 {
	var n int64
	for _, r := range c.Rows {
		n += r
	}
	return n
}

// CopyTo copies this database's history — targets, users, scans, pages,
// links, issues with every event, columns, documents, probes, digests,
// job runs and scores — into to, an empty database of the same schema
// version (a district's SQLite file into a city's PostgreSQL), in one
// transaction: all of it or nothing. Ids are kept, so links to an issue
// (/issues/123) still lead to it; the new database's id sequences continue
// after them. A database that already has targets, issues or users is
// refused.
func (s *Store) CopyTo(ctx context.Context, to *Store, progress func(table string, rows int64)) (CopyStats, error) {
	var stats CopyStats
	for _, t := range []string{"targets", "issues", "users"} {
		var n int64
		if err := to.db.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return stats, to.wrap("copy: read "+t, err)
		}
		if n > 0 {
			return stats, fmt.Errorf("store: copy: %s already holds %d %s: copy only into an empty database", to.path, n, t)
		}
	}
	tx, err := to.db.BeginTx(ctx, nil)
	if err != nil {
		return stats, to.wrap("copy: begin", err)
	}
	defer tx.Rollback()
	var numbered []string // tables whose rows the database numbers (an id column)
	for _, table := range copyTables {
		n, hasID, err := s.copyTable(ctx, tx, table)
		if err != nil {
			return stats, err
		}
		stats.Tables, stats.Rows = append(stats.Tables, table), append(stats.Rows, n)
		if hasID {
			numbered = append(numbered, table)
		}
		if progress != nil {
			progress(table, n)
		}
	}
	if to.db.pg {
		// Identity columns continue after the copied ids.
		for _, table := range numbered {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'),
				COALESCE((SELECT max(id) FROM %s), 0) + 1, false)`, table, table)); err != nil {
				return stats, to.wrap("copy: continue the ids of "+table, err)
			}
		}
	}
	return stats, to.wrap("copy: commit", tx.Commit())
}

// copyTable copies one table's rows through a statement prepared once, and
// says how many and whether the table has an id column.
func (s *Store) copyTable(ctx context.Context, tx *txn, table string) (int64, bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return 0, false, s.wrap("copy: read "+table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, false, s.wrap("copy: read "+table, err)
	}
	hasID := slices.Contains(cols, "id")
	insert, err := tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s)`, table, strings.Join(cols, ", "), placeholders(len(cols))))
	if err != nil {
		return 0, false, fmt.Errorf("store: copy %s: %w", table, err)
	}
	defer insert.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, hasID, s.wrap("copy: read "+table, err)
		}
		args := make([]any, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				args[i] = string(x) // SQLite hands TEXT back as bytes at times
			case time.Time:
				args[i] = formatTime(x)
			default:
				args[i] = x
			}
		}
		if _, err := insert.ExecContext(ctx, args...); err != nil {
			return n, hasID, fmt.Errorf("store: copy %s, row %d: %w", table, n+1, err)
		}
		n++
	}
	return n, hasID, s.wrap("copy: read "+table, rows.Err())
}
