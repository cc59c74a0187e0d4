package store

import (
	"context"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
)

// A nightly patrol verifies only the issues it judged, counts those it
// carried as seen again (a fixed one reopens: its page did not change), and
// leaves the rest as they were; pages that answered unchanged keep their
// row but their visit, and a page's change day follows its content.
func TestIncrementalLifecycle(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	t1 := time.Date(2026, 12, 1, 2, 30, 0, 0, time.UTC)
	id, err := st.SyncTarget(ctx, Target{Name: "区", URL: "http://x.gov.cn/"}, t1)
	if err != nil {
		t.Fatal(err)
	}
	find := func(page string) checks.Finding {
		return checks.Finding{Category: checks.Typo, Severity: checks.Medium, URL: page, Evidence: "错字", Rule: "typo.x", Message: "错别字"}
	}
	a, b, c := "http://x.gov.cn/a.html", "http://x.gov.cn/b.html", "http://x.gov.cn/c.html"
	scan := func(at time.Time, r ScanResult) {
		t.Helper()
		sid, err := st.StartScan(ctx, id, KindCrawl, at)
		if err != nil {
			t.Fatal(err)
		}
		r.Status, r.Judged = ScanComplete, []string{"typo."}
		if _, err := st.FinishScan(ctx, sid, id, r, at); err != nil {
			t.Fatal(err)
		}
	}
	page := func(u, hash string, unchanged bool) PageRow {
		return PageRow{URL: u, Hash: hash, Status: 200, ETag: `"` + hash + `"`, Title: "标题", Unchanged: unchanged}
	}
	scan(t1, ScanResult{Findings: []checks.Finding{find(a), find(b), find(c)}, PageRows: []PageRow{page(a, "1", false), page(b, "1", false), page(c, "1", false)}})
	issue := map[string]Issue{}
	load := func() {
		all, err := st.Issues(ctx, Filter{Target: "区", Statuses: []Status{StatusOpen, StatusVerified, StatusReopened, StatusFixed}})
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range all {
			issue[is.URL] = is
		}
	}
	load()

	t2 := t1.Add(24 * time.Hour)
	scan(t2, ScanResult{Incremental: true, Judge: map[int64]bool{issue[a].ID: true}, Carry: []int64{issue[b].ID},
		PageRows: []PageRow{page(a, "2", false), page(b, "", true)}})
	load()
	if issue[a].Status != StatusVerified {
		t.Errorf("judged and not found: %s, want verified", issue[a].Status)
	}
	if is := issue[b]; is.Status != StatusOpen || is.SeenCount != 2 || !is.LastSeen.Equal(t2) {
		t.Errorf("carried: %s seen %d last %v, want open, twice, %v", is.Status, is.SeenCount, is.LastSeen, t2)
	}
	if is := issue[c]; is.Status != StatusOpen || is.SeenCount != 1 || !is.LastSeen.Equal(t1) {
		t.Errorf("not visited: %s seen %d last %v, want untouched", is.Status, is.SeenCount, is.LastSeen)
	}
	var hashB, changedA, changedB, fetchedB string
	st.db.QueryRow(`SELECT content_hash, changed_at, fetched_at FROM pages WHERE url = ?`, b).Scan(&hashB, &changedB, &fetchedB)
	st.db.QueryRow(`SELECT changed_at FROM pages WHERE url = ?`, a).Scan(&changedA)
	if hashB != "1" || changedB != "" || fetchedB != formatTime(t2) {
		t.Errorf("unchanged page row: hash %q changed %q fetched %q; want its hash kept, no change day, visited tonight", hashB, changedB, fetchedB)
	}
	if changedA != formatTime(t2) {
		t.Errorf("changed page's change day %q, want %s", changedA, formatTime(t2))
	}

	// Staff mark b fixed; its page still answers unchanged: reopened.
	if err := st.SetStatus(ctx, issue[b].ID, StatusFixed, "张三", "已改", t2); err != nil {
		t.Fatal(err)
	}
	scan(t2.Add(24*time.Hour), ScanResult{Incremental: true, Carry: []int64{issue[b].ID}, PageRows: []PageRow{page(b, "", true)}})
	load()
	if issue[b].Status != StatusReopened {
		t.Errorf("a fixed issue on a page that did not change is %s, want reopened", issue[b].Status)
	}
	if n, ok, err := st.LastCompletePages(ctx, id); err != nil || !ok || n != 0 {
		t.Errorf("the collapse baseline is the full crawl's (%d, %v, %v)", n, ok, err)
	}
	if full, _, ok, err := st.LastFullScan(ctx, id); err != nil || !ok || full != 1 {
		t.Errorf("last full scan #%d %v %v, want #1", full, ok, err)
	}
}

// Housekeeping prunes and leaves the planner's statistics fresh on either
// engine (VACUUM ANALYZE runs outside a transaction on PostgreSQL).
func TestPruneOptimizes(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	id, err := st.SyncTarget(ctx, Target{Name: "区", URL: "http://x.gov.cn/"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddProbe(ctx, id, Probe{At: t0, OK: true, Status: 200}); err != nil {
		t.Fatal(err)
	}
	if err := st.Prune(ctx, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if total, _, err := st.ProbeShare(ctx, id, t0.Add(-time.Hour)); err != nil || total != 0 {
		t.Errorf("after pruning: %d probes, %v", total, err)
	}
}
