package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// The store's tests run on SQLite and then, when XUNJIAN_TEST_POSTGRES
// names a PostgreSQL server (postgres://user@127.0.0.1:5432/db), once more
// on it, each test in a schema of its own. XUNJIAN_REQUIRE_POSTGRES=1 (CI)
// makes a missing server a failure instead of a SQLite-only run.
var testPostgres string // the server of this pass; "" on the SQLite pass

func TestMain(m *testing.M) {
	code := m.Run()
	dsn := os.Getenv("XUNJIAN_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("XUNJIAN_REQUIRE_POSTGRES") != "" {
			fmt.Fprintln(os.Stderr, "store: XUNJIAN_REQUIRE_POSTGRES is set but XUNJIAN_TEST_POSTGRES names no server")
			os.Exit(1)
		}
		os.Exit(code)
	}
	testPostgres = dsn
	fmt.Println("store: the same tests on PostgreSQL")
	if c := m.Run(); c != 0 {
		code = c
	}
	os.Exit(code)
}

var schemas atomic.Int64

// testDatabase is a new, empty database for one test on this pass's
// engine: a file in the test's folder, or a fresh PostgreSQL schema
// (dropped when the test ends).
func testDatabase(t testing.TB) string {
	t.Helper()
	if testPostgres == "" {
		return filepath.Join(t.TempDir(), "x.db")
	}
	db, drop, err := NewSchema(context.Background(), testPostgres, fmt.Sprintf("t%d_%d", os.Getpid(), schemas.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return db
}

// sqliteOnly skips a test of what only SQLite has (a file, its locks, its
// page cap) on the PostgreSQL pass.
func sqliteOnly(t testing.TB) {
	t.Helper()
	if testPostgres != "" {
		t.Skip("SQLite only")
	}
}

func openTemp(t *testing.T) *Store {
	t.Helper()
	st, err := Open(context.Background(), testDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
