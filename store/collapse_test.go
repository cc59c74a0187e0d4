package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
)

// The threshold's edges: exactly at the ratio is not collapsed, one page
// below is; the floor keeps tiny sites out; no baseline or a zero ratio
// judges nothing.
func TestCollapseGuard_Edges(t *testing.T) {
	def := DefaultCollapseGuard
	for _, c := range []struct {
		g               CollapseGuard
		pages, baseline int
		want            bool
	}{
		{def, 1, 495, true},    // the home page became a redirect
		{def, 248, 495, false}, // 248 ≥ 247.5
		{def, 247, 495, true},
		{def, 50, 100, false}, // exactly half
		{def, 49, 100, true},
		{def, 10, 10, false},
		{def, 12, 10, false}, // more pages than before
		{def, 1, 0, false},   // first scan: no baseline
		{def, 0, 0, false},
		// The floor: at least 3 pages fewer.
		{def, 1, 3, false}, // 1 < 1.5, but only 2 fewer
		{def, 1, 4, true},  // 3 fewer
		{def, 2, 4, false}, // exactly half
		{def, 2, 5, true},  // 2 < 2.5 and 3 fewer
		{def, 3, 5, false},
		{def, 1, 2, false},
		{CollapseGuard{Ratio: 0.9, MinDrop: 3}, 4, 5, false}, // one page fewer on a tiny site
		{CollapseGuard{Ratio: 0.9, MinDrop: 3}, 80, 100, true},
		{CollapseGuard{Ratio: 0.9, MinDrop: 3}, 90, 100, false}, // exactly at the ratio
		{CollapseGuard{Ratio: 0.3, MinDrop: 0}, 3, 10, false},   // 0.3 × 10 in floating point is 3.0000000000000004
		{CollapseGuard{Ratio: 0.3, MinDrop: 0}, 2, 10, true},
		{CollapseGuard{Ratio: 0.5, MinDrop: 0}, 1, 3, true},
		{CollapseGuard{}, 1, 495, false}, // ratio 0: the guard is off
	} {
		if got := c.g.Collapsed(c.pages, c.baseline); got != c.want {
			t.Errorf("%+v: %d pages after %d: collapsed %v, want %v", c.g, c.pages, c.baseline, got, c.want)
		}
	}
	if got := CollapseNote(1, 495); got != "本次仅抓取 1 页（上次 495 页），疑似首页跳转、拦截或维护，未复查关闭任何问题" {
		t.Errorf("note %q", got)
	}
}

// The baseline is the last complete crawl: collapsed, partial and
// interrupted crawls and probes do not move it; a collapsed crawl keeps
// both page counts and closes nothing.
func TestLastCompletePages(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	id, err := st.SyncTarget(ctx, Target{Name: "区政府网站", URL: "http://www.qxq.gov.cn/"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	at := t0
	a := dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/a")
	finish := func(kind string, status ScanStatus, pages, baseline int, fs ...checks.Finding) Summary {
		t.Helper()
		at = at.Add(time.Hour)
		scanID, err := st.StartScan(ctx, id, kind, at)
		if err != nil {
			t.Fatal(err)
		}
		var r ScanResult
		r.Status, r.PagesRead, r.Baseline, r.Judged, r.Findings = status, pages, baseline, []string{"dead_link."}, fs
		sum, err := st.FinishScan(ctx, scanID, id, r, at)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	want := func(pages int, ok bool) {
		t.Helper()
		got, gotOK, err := st.LastCompletePages(ctx, id)
		if err != nil || got != pages || gotOK != ok {
			t.Errorf("last complete pages %d %v (%v), want %d %v", got, gotOK, err, pages, ok)
		}
	}
	want(0, false)
	finish(KindCrawl, ScanPartial, 20000, 0)
	want(0, false)
	finish(KindCrawl, ScanComplete, 495, 0, a)
	want(495, true)
	if sum := finish(KindCrawl, ScanCollapsed, 1, 495); sum.Verified != 0 || statusOf(t, st, a) != StatusOpen {
		t.Errorf("a collapsed scan verified %d issues", sum.Verified)
	}
	finish(KindCrawl, ScanInterrupted, 3, 0)
	finish(KindProbe, ScanComplete, 1, 0)
	want(495, true)
	scans, err := st.ScansOf(ctx, KindCrawl, 3)
	if err != nil {
		t.Fatal(err)
	}
	if c := scans[1]; c.Status != ScanCollapsed || c.PagesRead != 1 || c.Baseline != 495 ||
		c.CollapseNote() != "本次仅抓取 1 页（上次 495 页），疑似首页跳转、拦截或维护，未复查关闭任何问题" {
		t.Errorf("collapsed scan read back as %+v (%q)", c, c.CollapseNote())
	}
	if scans[0].CollapseNote() != "" {
		t.Errorf("an interrupted scan gives %q", scans[0].CollapseNote())
	}
	finish(KindCrawl, ScanComplete, 300, 495) // the site really shrank (accepted by staff)
	want(300, true)
}

// A database from before pages were counted as read: the migration
// estimates the count of the last scan from the pages it fetched (HTML that
// answered, distinct content), so the first scan after the upgrade is
// compared with it.
func TestMigration_EstimatesPagesRead(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	n := slices.IndexFunc(ms, func(m migration) bool { return m.name == "0008_scan_baseline.sql" })
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:n] {
		if _, err := db.Exec(m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	for _, q := range []string{
		fmt.Sprintf("PRAGMA user_version = %d", n),
		`INSERT INTO targets (id, name, url, created_at, updated_at) VALUES (1, '区政府网站', 'http://www.qxq.gov.cn/', '', '')`,
		`INSERT INTO scans (id, target_id, started_at, status, pages) VALUES (1, 1, '2026-11-20T18:00:00Z', 'complete', 9)`,
		`INSERT INTO scans (id, target_id, started_at, status, pages) VALUES (2, 1, '2026-11-21T18:00:00Z', 'complete', 9)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// Scan 2 fetched five HTML pages (two with the same content), a 404,
	// a redirect's target and a PDF; scan 1's pages were all fetched again.
	for i, p := range []struct {
		status      int
		ctype, hash string
	}{{200, "text/html; charset=utf-8", "a"}, {200, "text/html", "b"}, {200, "text/html", "c"}, {200, "text/html", "c"},
		{301, "text/html", "d"}, {404, "text/html", "e"}, {200, "application/pdf", "f"}} {
		if _, err := db.Exec(`INSERT INTO pages (target_id, url, status, content_type, content_hash, fetched_at, last_scan_id)
			VALUES (1, ?, ?, ?, ?, '', 2)`, fmt.Sprintf("http://www.qxq.gov.cn/%d.html", i), p.status, p.ctype, p.hash); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if pages, ok, err := st.LastCompletePages(ctx, 1); err != nil || !ok || pages != 4 {
		t.Errorf("estimated %d pages read (%v, %v), want 4", pages, ok, err)
	}
	var first int
	st.db.QueryRow(`SELECT pages_read FROM scans WHERE id = 1`).Scan(&first)
	if first != 0 {
		t.Errorf("scan 1: %d pages read, want 0 (its pages were fetched again)", first)
	}
}
