// Package storetest records scans for tests of what reads the store.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// Scan records a complete scan of target at `at` that found fs, and
// returns the target's id.
func Scan(t testing.TB, st *store.Store, target store.Target, at time.Time, fs ...checks.Finding) int64 {
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
	if _, err := st.FinishScan(ctx, scanID, id, store.ScanResult{Status: store.ScanComplete, Findings: fs}, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return id
}
