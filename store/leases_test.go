package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
)

// Eight processes start a scan of one target at the same moment: one
// takes it, seven are refused with the running scan's start.
func TestStartScan_OneScanPerTargetAcrossProcesses(t *testing.T) {
	path := testDatabase(t)
	ctx := context.Background()
	first, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	id, _ := first.SyncTarget(ctx, Target{Name: "区政府网站", URL: "http://x/"}, t0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []int64
	var refused []*ScanningError
	for range 8 {
		st, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		wg.Go(func() {
			scanID, err := st.StartScan(ctx, id, KindCrawl, t0)
			mu.Lock()
			defer mu.Unlock()
			var se *ScanningError
			switch {
			case err == nil:
				won = append(won, scanID)
			case errors.As(err, &se) && errors.Is(err, ErrScanning):
				refused = append(refused, se)
			default:
				t.Errorf("StartScan: %v", err)
			}
		})
	}
	wg.Wait()
	if len(won) != 1 || len(refused) != 7 {
		t.Fatalf("%d scans started, %d refused; want 1 and 7", len(won), len(refused))
	}
	for _, se := range refused {
		if se.ScanID != won[0] || se.Target != "区政府网站" || !se.Since.Equal(t0) {
			t.Errorf("refusal %+v, want scan %d since %s", se, won[0], t0)
		}
	}
	// Nobody marked the running scan interrupted.
	scans, _ := first.Scans(ctx, 10)
	if len(scans) != 1 || scans[0].Status != ScanRunning {
		t.Errorf("scans %+v, want the one running", scans)
	}
	// Once it ends, the target is free.
	if _, err := first.FinishScan(ctx, won[0], id, ScanResult{Status: ScanComplete}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := first.StartScan(ctx, id, KindCrawl, t0.Add(time.Minute)); err != nil {
		t.Errorf("a scan after the first ended: %v", err)
	}
}

// A probe and a crawl of one site do not hold each other up.
func TestStartScan_KindsAreHeldApart(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	id, _ := st.SyncTarget(ctx, Target{Name: "站", URL: "http://x/"}, t0)
	if _, err := st.StartScan(ctx, id, KindCrawl, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.StartScan(ctx, id, KindProbe, t0); err != nil {
		t.Errorf("a probe during a crawl: %v", err)
	}
}

// A lease renewed by the heartbeat lives on; one not renewed expires and
// the next scan takes the target over, marking the dead scan interrupted.
func TestRenewScan_ExpiryAndTakeOver(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	id, _ := st.SyncTarget(ctx, Target{Name: "站", URL: "http://x/"}, t0)
	a, err := st.StartScan(ctx, id, KindCrawl, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RenewScan(ctx, a, t0.Add(90*time.Second)); err != nil {
		t.Fatal(err)
	}
	// Without the renewal the lease had expired at t0+2m.
	if _, err := st.StartScan(ctx, id, KindCrawl, t0.Add(3*time.Minute)); !errors.Is(err, ErrScanning) {
		t.Fatalf("a scan while the renewed lease lives: %v", err)
	}
	// The holder dies: no more renewals.
	b, err := st.StartScan(ctx, id, KindCrawl, t0.Add(90*time.Second+LeaseTTL+time.Second))
	if err != nil {
		t.Fatalf("a scan after the lease expired: %v", err)
	}
	scans, _ := st.Scans(ctx, 10)
	status := map[int64]Scan{}
	for _, s := range scans {
		status[s.ID] = s
	}
	if status[a].Status != ScanInterrupted || status[a].Note == "" || status[b].Status != ScanRunning {
		t.Errorf("scans %+v", scans)
	}
	// The old holder, were it only stalled, has lost the target.
	if err := st.RenewScan(ctx, a, t0.Add(4*time.Minute)); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("renewing a lost lease: %v", err)
	}
	if _, err := st.FinishScan(ctx, a, id, ScanResult{Status: ScanComplete, Findings: []checks.Finding{typo("http://x/a")}}, t0.Add(5*time.Minute)); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("finishing a taken-over scan: %v", err)
	}
	if list, _ := st.Issues(ctx, Filter{}); len(list) != 0 {
		t.Errorf("a taken-over scan saved %d issues", len(list))
	}
	// FailScan gives the lease back as FinishScan does.
	if err := st.FailScan(ctx, b, "测试", t0.Add(6*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.StartScan(ctx, id, KindCrawl, t0.Add(6*time.Minute)); err != nil {
		t.Errorf("a scan after a failed one: %v", err)
	}
}

// A scan whose results do not fit on the disk is recorded failed, and its
// target is free again.
func TestFinishScan_FullDisk(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "x.db")
	ctx := context.Background()
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := st.SyncTarget(ctx, Target{Name: "站", URL: "http://x/"}, t0)
	st.Close()
	fi, _ := os.Stat(path)
	st, err = OpenWith(ctx, path, Options{MaxPages: int(fi.Size() / 4096)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	scanID, err := st.StartScan(ctx, id, KindCrawl, t0)
	if err != nil {
		t.Fatal(err)
	}
	var fs []checks.Finding
	for i := range 200 {
		fs = append(fs, typo(fmt.Sprintf("http://x/%d/%s", i, strings.Repeat("a", 200))))
	}
	_, err = st.FinishScan(ctx, scanID, id, ScanResult{Status: ScanComplete, Findings: fs}, t0)
	if !errors.Is(err, ErrFull) {
		t.Fatalf("err = %v, want ErrFull", err)
	}
	if err := st.FailScan(ctx, scanID, "磁盘空间不足", t0); err != nil {
		t.Fatal(err)
	}
	scans, _ := st.Scans(ctx, 1)
	if scans[0].Status != ScanFailed {
		t.Errorf("scan is %s", scans[0].Status)
	}
	if _, err := st.StartScan(ctx, id, KindCrawl, t0); err != nil {
		t.Errorf("the next scan: %v", err)
	}
}

// A session due its refresh while another process holds the write lock
// stays signed in: the refresh waits for the lock, gives up, and the user is
// returned all the same.
func TestSessionUser_BusyDatabaseKeepsTheSession(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "x.db")
	ctx := context.Background()
	st, err := OpenWith(ctx, path, Options{BusyTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	uid, err := st.AddUser(ctx, User{Name: "zhang", PasswordHash: "x", Role: RoleStaff}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddSession(ctx, "h", uid, t0, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	later := t0.Add(10 * time.Minute) // due its refresh
	u, err := st.SessionUser(ctx, "h", later, time.Hour)
	if err != nil || u.Name != "zhang" {
		t.Fatalf("SessionUser during a lock: %+v %v", u, err)
	}
	// A write fails busy, and says so.
	if err := st.AddSession(ctx, "h2", uid, later, later.Add(time.Hour)); !IsBusy(err) || !errors.Is(err, ErrLocked) {
		t.Errorf("a write during a lock: %v, want busy", err)
	}
	tx.Rollback()
	if _, err := st.SessionUser(ctx, "h", later.Add(2*time.Minute), time.Hour); err != nil {
		t.Errorf("after the lock: %v", err)
	}
}

// A retried job asks which targets a scan finished since it was enqueued:
// a scan that ran to any end counts, a running or interrupted one does not.
func TestFinishedSince(t *testing.T) {
	ctx := context.Background()
	st, err := OpenWith(ctx, testDatabase(t), Options{LeaseTTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id, _ := st.SyncTarget(ctx, Target{Name: "区政府网站", URL: "http://x/"}, t0)
	finished := func(since time.Time) bool {
		t.Helper()
		ok, err := st.FinishedSince(ctx, "区政府网站", since)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	scan, err := st.StartScan(ctx, id, KindCrawl, t0)
	if err != nil {
		t.Fatal(err)
	}
	if finished(t0) {
		t.Error("a running scan counted as finished")
	}
	// Killed: the next scan, after the lease, marks it interrupted.
	later := t0.Add(2 * time.Minute)
	scan2, err := st.StartScan(ctx, id, KindCrawl, later)
	if err != nil {
		t.Fatal(err)
	}
	if finished(t0) {
		t.Errorf("interrupted scan %d counted as finished", scan)
	}
	if _, err := st.FinishScan(ctx, scan2, id, ScanResult{Status: ScanComplete}, later.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if !finished(t0) || !finished(later.Add(300*time.Millisecond)) {
		t.Error("the complete scan started at or after since does not count")
	}
	if finished(later.Add(time.Second)) {
		t.Error("a scan started before since counted")
	}
}
