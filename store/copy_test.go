package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// A district's SQLite history copied into a new database (PostgreSQL on
// that pass) reads the same: every issue with its id, status and history,
// the users, the scans; the new database numbers what comes next after the
// copied ids; a database that already holds data is refused.
func TestCopyTo(t *testing.T) {
	ctx := context.Background()
	from, err := Open(ctx, filepath.Join(t.TempDir(), "district.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	scanOnce(t, from, t0, ScanComplete, dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/gone"), typo("http://www.qxq.gov.cn/a.html"))
	scanOnce(t, from, t0.Add(24*time.Hour), ScanComplete, dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/gone"))
	if _, err := from.AddUser(ctx, User{Name: "张三", PasswordHash: "x", Role: RoleStaff}, t0); err != nil {
		t.Fatal(err)
	}
	if err := from.SaveScore(ctx, ScoreRow{TargetID: 1, Day: "2026-11-21", Score: 91.5, Health: 88, Detail: "{}", At: t0}); err != nil {
		t.Fatal(err)
	}
	before, err := from.Issues(ctx, Filter{Statuses: []Status{StatusOpen, StatusConfirmed, StatusVerified}})
	if err != nil || len(before) != 2 {
		t.Fatalf("%d issues before, %v", len(before), err)
	}

	to := openTemp(t)
	stats, err := from.CopyTo(ctx, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Total() == 0 || stats.Rows[slices.Index(stats.Tables, "issue_events")] < 3 {
		t.Errorf("copied %v %v", stats.Tables, stats.Rows)
	}
	after, err := to.Issues(ctx, Filter{Statuses: []Status{StatusOpen, StatusConfirmed, StatusVerified}})
	if err != nil || len(after) != len(before) {
		t.Fatalf("%d issues after, %v", len(after), err)
	}
	for i := range before {
		b, a := before[i], after[i]
		if a.ID != b.ID || a.Status != b.Status || a.URL != b.URL || a.Evidence != b.Evidence || !a.FirstSeen.Equal(b.FirstSeen) || a.SeenCount != b.SeenCount {
			t.Errorf("issue %d: %+v, was %+v", b.ID, a, b)
		}
		eb, _ := from.Events(ctx, b.ID)
		ea, _ := to.Events(ctx, a.ID)
		if len(ea) != len(eb) || len(ea) == 0 {
			t.Errorf("issue %d: %d events, was %d", b.ID, len(ea), len(eb))
		}
	}
	if u, err := to.UserByName(ctx, "张三"); err != nil || u.Role != RoleStaff {
		t.Errorf("user: %+v %v", u, err)
	}
	// What comes next is numbered after the copied ids.
	scanOnce(t, to, t0.Add(48*time.Hour), ScanComplete, typo("http://www.qxq.gov.cn/b.html"))
	var maxID int64
	to.db.QueryRow(`SELECT max(id) FROM issues`).Scan(&maxID)
	if copied := slices.MaxFunc(before, func(a, b Issue) int { return int(a.ID - b.ID) }).ID; maxID <= copied {
		t.Errorf("a new issue got id %d, not after the copied ones", maxID)
	}
	if _, err := from.CopyTo(ctx, to, nil); err == nil {
		t.Error("copying into a database that holds data was not refused")
	}
}
