// Package storetest opens stores and records scans for tests of what reads
// the store.
package storetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// Open is a new store in a temporary folder, closed when the test ends —
// or, when XUNJIAN_STORETEST_POSTGRES names a PostgreSQL server, in a
// schema of its own there (the packages above the store run their tests
// on PostgreSQL so).
func Open(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var schemas atomic.Int64

// Database is a new, empty database for one test: a SQLite file in the
// test's folder, or a fresh schema on XUNJIAN_STORETEST_POSTGRES's server
// (dropped when the test ends).
func Database(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("XUNJIAN_STORETEST_POSTGRES")
	if dsn == "" {
		return filepath.Join(t.TempDir(), "x.db")
	}
	db, drop, err := store.NewSchema(context.Background(), dsn, fmt.Sprintf("st%d_%d", os.Getpid(), schemas.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return db
}

// Scan records a complete scan of target at `at` that found fs, and
// returns the target's id.
func Scan(t testing.TB, st *store.Store, target store.Target, at time.Time, fs ...checks.Finding) int64 {
	t.Helper()
	return ScanJudging(t, st, target, at, nil, fs...)
}

// ScanJudging is Scan by a scan that judged the rules with the prefixes
// judged: the unresolved issues of those it no longer finds are verified
// fixed.
func ScanJudging(t testing.TB, st *store.Store, target store.Target, at time.Time, judged []string, fs ...checks.Finding) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := st.SyncTarget(ctx, target, at)
	if err != nil {
		t.Fatal(err)
	}
	scanID, err := st.StartScan(ctx, id, store.KindCrawl, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.FinishScan(ctx, scanID, id, store.ScanResult{Status: store.ScanComplete, Findings: fs, Judged: judged}, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return id
}
