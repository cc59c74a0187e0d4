package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
)

var t0 = time.Date(2026, 11, 20, 18, 30, 0, 0, time.UTC)

func dead(page, target string) checks.Finding {
	return checks.Finding{Category: checks.DeadLink, Severity: checks.Medium, URL: page, Evidence: target,
		Message: "链接无法访问：HTTP 404", Rule: "dead_link.page", Refs: []checks.Ref{{Page: page, Anchor: "x"}}, Owner: "区政府办公室"}
}

func typo(page string) checks.Finding {
	return checks.Finding{Category: checks.Typo, Severity: checks.Medium, URL: page, Evidence: "按装", Message: "疑似错别字", Rule: "typo.1"}
}

// scanOnce runs one scan of target "区政府网站" with findings.
func scanOnce(t *testing.T, st *Store, at time.Time, status ScanStatus, fs ...checks.Finding) Summary {
	t.Helper()
	ctx := context.Background()
	id, err := st.SyncTarget(ctx, Target{Name: "区政府网站", URL: "http://www.qxq.gov.cn/"}, at)
	if err != nil {
		t.Fatal(err)
	}
	scanID, err := st.StartScan(ctx, id, KindCrawl, at)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := st.FinishScan(ctx, scanID, id, ScanResult{Status: status, Findings: fs,
		Judged:   []string{"dead_link."},
		PageRows: []PageRow{{URL: "http://www.qxq.gov.cn/", Status: 200, Hash: "ab"}},
		LinkRows: []LinkRow{{URL: "http://www.qxq.gov.cn/gone", Kind: "page", Status: 404, Problem: "http_status"}}}, at)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func statusOf(t *testing.T, st *Store, f checks.Finding) Status {
	t.Helper()
	var s Status
	if err := st.db.QueryRow(`SELECT status FROM issues WHERE fingerprint = ?`, Fingerprint(f)).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLifecycle_TwoScans(t *testing.T) {
	st := openTemp(t)
	a, b, c := dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/a"), dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/b"), dead("http://www.qxq.gov.cn/x", "http://www.qxq.gov.cn/c")
	ty := typo("http://www.qxq.gov.cn/x")

	sum := scanOnce(t, st, t0, ScanComplete, a, b, c, ty)
	if sum != (Summary{New: 4}) {
		t.Fatalf("first scan %+v", sum)
	}
	// Staff ignore c as a false positive.
	ids := issueIDs(t, st)
	if err := st.SetStatus(context.Background(), ids[Fingerprint(c)], StatusIgnored, "张三", "外站临时维护", t0); err != nil {
		t.Fatal(err)
	}

	// Second scan: a still there, b fixed, c still there (ignored), the typo
	// category was not judged by this scan, so its issue must stay open.
	sum = scanOnce(t, st, t0.Add(24*time.Hour), ScanComplete, a, c)
	if sum != (Summary{StillOpen: 1, Verified: 1, Ignored: 1}) {
		t.Fatalf("second scan %+v", sum)
	}
	for f, want := range map[*checks.Finding]Status{&a: StatusConfirmed, &b: StatusVerified, &c: StatusIgnored, &ty: StatusOpen} {
		if got := statusOf(t, st, *f); got != want {
			t.Errorf("%s: %s, want %s", f.Evidence, got, want)
		}
	}

	// Third scan: b is back → reopened; c is gone but stays ignored.
	sum = scanOnce(t, st, t0.Add(48*time.Hour), ScanComplete, a, b)
	if sum != (Summary{StillOpen: 1, Reopened: 1}) {
		t.Fatalf("third scan %+v", sum)
	}
	if got := statusOf(t, st, b); got != StatusReopened {
		t.Errorf("b: %s, want reopened", got)
	}
	if got := statusOf(t, st, c); got != StatusIgnored {
		t.Errorf("c: %s, want ignored", got)
	}

	// Every transition is an event with who and why.
	evs, err := st.Events(context.Background(), ids[Fingerprint(b)])
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, e := range evs {
		trail = append(trail, e.Actor+":"+string(e.FromStatus)+"→"+string(e.ToStatus))
	}
	if got := strings.Join(trail, " "); got != "scan:→open scan:open→verified scan:verified→reopened" {
		t.Errorf("events of b: %s", got)
	}
	evs, _ = st.Events(context.Background(), ids[Fingerprint(c)])
	if len(evs) != 2 || evs[1].Actor != "张三" || evs[1].Note != "外站临时维护" {
		t.Errorf("events of c: %+v", evs)
	}
	is, err := st.Issue(context.Background(), ids[Fingerprint(a)])
	if err != nil {
		t.Fatal(err)
	}
	if !is.FirstSeen.Equal(t0) || !is.LastSeen.Equal(t0.Add(48*time.Hour)) || is.SeenCount != 3 || len(is.Refs) != 1 {
		t.Errorf("issue a: %+v", is)
	}
}

func TestLifecycle_IncompleteScansCloseNothing(t *testing.T) {
	for _, status := range []ScanStatus{ScanPartial, ScanInterrupted, ScanCollapsed} {
		t.Run(string(status), func(t *testing.T) {
			st := openTemp(t)
			a := dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/a")
			scanOnce(t, st, t0, ScanComplete, a)
			sum := scanOnce(t, st, t0.Add(time.Hour), status)
			if sum.Verified != 0 || statusOf(t, st, a) != StatusOpen {
				t.Errorf("%s scan verified %d; a is %s", status, sum.Verified, statusOf(t, st, a))
			}
		})
	}
}

func TestLifecycle_FixedButStillSeenIsReopened(t *testing.T) {
	st := openTemp(t)
	a := dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/a")
	scanOnce(t, st, t0, ScanComplete, a)
	id := issueIDs(t, st)[Fingerprint(a)]
	if err := st.SetStatus(context.Background(), id, StatusFixed, "科室甲", "已删除该链接", t0); err != nil {
		t.Fatal(err)
	}
	scanOnce(t, st, t0.Add(time.Hour), ScanComplete, a)
	if got := statusOf(t, st, a); got != StatusReopened {
		t.Errorf("status %s, want reopened", got)
	}
}

func TestSetStatus_RefusesImpossibleTransitions(t *testing.T) {
	st := openTemp(t)
	a := dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/a")
	scanOnce(t, st, t0, ScanComplete, a)
	id := issueIDs(t, st)[Fingerprint(a)]
	if err := st.SetStatus(context.Background(), id, StatusVerified, "x", "", t0); !errors.Is(err, ErrTransition) {
		t.Errorf("open → verified by a person: %v", err)
	}
	if err := st.SetStatus(context.Background(), 999, StatusIgnored, "x", "y", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing issue: %v", err)
	}
}

func TestFingerprint_StableAndSpecific(t *testing.T) {
	a := dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/a")
	b := a
	b.Message, b.Severity, b.Refs = "另一种说法", checks.High, nil
	b.Evidence = "  http://www.qxq.gov.cn/a \n"
	if Fingerprint(a) != Fingerprint(b) {
		t.Error("message, severity, refs or whitespace changed the fingerprint")
	}
	c := a
	c.Rule = "dead_link.home"
	if Fingerprint(a) == Fingerprint(c) {
		t.Error("rule not in the fingerprint")
	}
}

func TestStartScan_MarksKilledScanInterrupted(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	id, _ := st.SyncTarget(ctx, Target{Name: "站", URL: "http://x/"}, t0)
	first, _ := st.StartScan(ctx, id, KindCrawl, t0) // the process dies here
	if _, err := st.StartScan(ctx, id, KindCrawl, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	scans, err := st.Scans(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scans {
		if s.ID == first && s.Status != ScanInterrupted {
			t.Errorf("killed scan is %s", s.Status)
		}
	}
}

func TestOpen_RefusesNewerSchema(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "x.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.db.Exec("PRAGMA user_version = 999")
	st.Close()
	_, err = Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "newer than this xunjian") {
		t.Errorf("err = %v", err)
	}
}

func TestOpen_NotADatabase(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "x.db")
	os.WriteFile(path, []byte("database: xunjian.db\nsites: []\n"+strings.Repeat("x", 200)), 0o644)
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "not an xunjian database") {
		t.Errorf("err = %v", err)
	}
}

func TestFinishScan_LockedDatabase(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "x.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	id, _ := st.SyncTarget(ctx, Target{Name: "站", URL: "http://x/"}, t0)
	// Another process holds the write lock past our busy timeout.
	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	st.db.SetMaxOpenConns(1)
	st.db.Exec("PRAGMA busy_timeout = 100")
	_, err = st.StartScan(ctx, id, KindCrawl, t0)
	if !errors.Is(err, ErrLocked) {
		t.Errorf("err = %v, want ErrLocked", err)
	}
}

func issueIDs(t *testing.T, st *Store) map[string]int64 {
	t.Helper()
	rows, err := st.db.Query(`SELECT fingerprint, id FROM issues`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var fp string
		var id int64
		rows.Scan(&fp, &id)
		out[fp] = id
	}
	return out
}

// BenchmarkFinishScan saves a scan of a 20,000-page site with 7,000 findings
// into a database that already holds the previous night's scan.
func BenchmarkFinishScan(b *testing.B) {
	st, err := Open(context.Background(), filepath.Join(b.TempDir(), "x.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	id, _ := st.SyncTarget(ctx, Target{Name: "站", URL: "http://x/"}, t0)
	res := ScanResult{Status: ScanComplete, Judged: []string{"dead_link."}}
	for i := range 20000 {
		u := fmt.Sprintf("http://x/p/%d.html", i)
		res.PageRows = append(res.PageRows, PageRow{URL: u, Status: 200, Hash: "0123456789abcdef"})
		res.LinkRows = append(res.LinkRows, LinkRow{URL: u, Kind: "page", Status: 200, Referrers: 30})
		if i%3 == 0 {
			res.Findings = append(res.Findings, dead(u, fmt.Sprintf("http://x/missing/%d.html", i)))
		}
	}
	for b.Loop() {
		scanID, err := st.StartScan(ctx, id, KindCrawl, t0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.FinishScan(ctx, scanID, id, res, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func TestProbes_ShareOverWindow(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	id, _ := st.SyncTarget(ctx, Target{Name: "站", URL: "http://x/"}, t0)
	for i := range 10 {
		// one failure 8 days ago (outside the week), one 2 days ago
		ok := i != 1 && i != 8
		if err := st.AddProbe(ctx, id, Probe{At: t0.Add(-time.Duration(i) * 24 * time.Hour), OK: ok}); err != nil {
			t.Fatal(err)
		}
	}
	total, failed, err := st.ProbeShare(ctx, id, t0.Add(-7*24*time.Hour))
	if err != nil || total != 8 || failed != 1 {
		t.Errorf("share %d/%d %v, want 1/8", failed, total, err)
	}
}

func TestFinishScan_SavesOwner(t *testing.T) {
	st := openTemp(t)
	a := dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/a")
	scanOnce(t, st, t0, ScanComplete, a)
	list, _ := st.Issues(context.Background(), Filter{})
	if len(list) != 1 || list[0].Owner != "区政府办公室" {
		t.Errorf("owner %+v", list)
	}
}

// Two processes opening a new database at the same moment (xunjian scan
// started while xunjian serve starts) both succeed.
func TestOpen_Concurrently(t *testing.T) {
	path := testDatabase(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			st, err := Open(context.Background(), path)
			if err == nil {
				st.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// IssuePage's two ways (an index walk for a status filter, ids first for a
// narrower one) give what a plain query with LIMIT gives, in every order.
func TestIssuePage_MatchesPlainQuery(t *testing.T) {
	st := openTemp(t)
	var fs []checks.Finding
	sevs := []checks.Severity{checks.High, checks.Medium, checks.Low}
	for i := range 230 {
		f := typo(fmt.Sprintf("http://www.qxq.gov.cn/p%03d.html", i%37))
		f.Evidence = fmt.Sprintf("按装 %d", i)
		f.Severity = sevs[i%3]
		f.Owner = []string{"区卫健委", "区教育局", ""}[i%3]
		if i%4 == 0 {
			f.Category = checks.Punctuation
		}
		fs = append(fs, f)
	}
	scanOnce(t, st, t0, ScanComplete, fs...)
	ctx := context.Background()
	ids := issueIDs(t, st)
	n := 0
	for _, id := range ids {
		if n++; n%5 == 0 {
			if err := st.SetStatus(ctx, id, StatusIgnored, "张三", "测试", t0); err != nil {
				t.Fatal(err)
			}
		}
	}
	filters := []Filter{
		{Statuses: Unresolved},
		{},
		{Statuses: Unresolved, Category: "typo"},
		{Statuses: Unresolved, Owner: "-"},
		{Statuses: []Status{StatusIgnored}},
		{Query: "按装 1"},
		{Target: "区政府网站", Severity: "high"},
		{Kind: "site", Owner: "区教育局"},
	}
	for _, f := range filters {
		for _, sort := range append(SortKeys, "") {
			for _, desc := range []bool{false, true} {
				for _, off := range []int{0, 20, 200} {
					f := f
					f.Sort, f.Desc, f.Limit, f.Offset = sort, desc, 20, off
					got, total, err := st.IssuePage(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					want, err := st.Issues(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					count, _ := st.CountIssues(ctx, f)
					if total != count || len(got) != len(want) {
						t.Fatalf("%+v: %d of %d, want %d of %d", f, len(got), total, len(want), count)
					}
					for i := range got {
						if got[i].ID != want[i].ID {
							t.Fatalf("%+v: row %d is %d, want %d", f, i, got[i].ID, want[i].ID)
						}
					}
				}
			}
		}
	}
}

func TestOpenTrend(t *testing.T) {
	st := openTemp(t)
	scanOnce(t, st, t0, ScanComplete, dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/a"), typo("http://www.qxq.gov.cn/x"))
	ctx := context.Background()
	ids := issueIDs(t, st)
	if err := st.SetStatus(ctx, ids[Fingerprint(typo("http://www.qxq.gov.cn/x"))], StatusIgnored, "张三", "误报", t0.AddDate(0, 0, 10)); err != nil {
		t.Fatal(err)
	}
	got, err := st.OpenTrend(ctx, []time.Time{t0.AddDate(0, 0, -1), t0.AddDate(0, 0, 5), t0.AddDate(0, 0, 11)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[0 2 1]" {
		t.Errorf("trend %v, want [0 2 1]", got)
	}
	counts, _ := st.OpenCounts(ctx, "")
	if len(counts) != 1 || counts[0] != (Count{Category: "dead_link", Severity: "medium", N: 1}) {
		t.Errorf("open counts %+v", counts)
	}
}

func TestFigures(t *testing.T) {
	st := openTemp(t)
	loc := time.FixedZone("CST", 8*3600)
	jan := time.Date(2026, 1, 15, 9, 0, 0, 0, loc)
	// Found in January: two dead links and a typo; one link fixed in March.
	scanOnce(t, st, jan, ScanComplete, dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/a"), dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/b"), typo("http://www.qxq.gov.cn/x"))
	ctx := context.Background()
	ids := issueIDs(t, st)
	if err := st.SetStatus(ctx, ids[Fingerprint(typo("http://www.qxq.gov.cn/x"))], StatusIgnored, "张三", "误报", jan.AddDate(0, 0, 1)); err != nil {
		t.Fatal(err)
	}
	march := time.Date(2026, 3, 10, 2, 30, 0, 0, loc)
	scanOnce(t, st, march, ScanComplete, dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/b")) // a is gone: verified
	// Found on New Year's Eve in the office's zone (but 2025 in UTC): 2026's.
	scanOnce(t, st, time.Date(2026, 12, 31, 23, 0, 0, 0, loc), ScanComplete, dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/b"), dead("http://www.qxq.gov.cn/", "http://www.qxq.gov.cn/c"))

	f, err := st.Figures(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2027, 1, 1, 0, 0, 0, 0, loc), loc)
	if err != nil {
		t.Fatal(err)
	}
	if f.Total != (Tally{Found: 4, Verified: 1, Ignored: 1, Open: 2}) {
		t.Errorf("total %+v", f.Total)
	}
	if f.ByCategory["dead_link"] != (Tally{Found: 3, Verified: 1, Open: 2}) || f.ByCategory["typo"] != (Tally{Found: 1, Ignored: 1}) {
		t.Errorf("by category %+v", f.ByCategory)
	}
	if f.ByOwner["区政府办公室"].Found != 3 || f.ByOwner[""].Found != 1 {
		t.Errorf("by owner %+v", f.ByOwner)
	}
	if len(f.ByMonth) != 12 || f.ByMonth[0].Found != 3 || f.ByMonth[2].Verified != 1 || f.ByMonth[11].Found != 1 {
		t.Errorf("by month %+v", f.ByMonth)
	}
	if f.VerifiedFor != 1 || f.MedianDays < 53 || f.MedianDays > 55 {
		t.Errorf("median %.1f days over %d", f.MedianDays, f.VerifiedFor)
	}
}

func TestBackup(t *testing.T) {
	sqliteOnly(t)
	st := openTemp(t)
	scanOnce(t, st, t0, ScanComplete, typo("http://www.qxq.gov.cn/x"))
	file := filepath.Join(t.TempDir(), "copy.db")
	if err := st.Backup(context.Background(), file); err != nil {
		t.Fatal(err)
	}
	copyDB, err := Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if list, _ := copyDB.Issues(context.Background(), Filter{}); len(list) != 1 {
		t.Errorf("the copy holds %d issues", len(list))
	}
	if err := st.Backup(context.Background(), file); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("overwriting a backup: %v", err)
	}
}

// A dead link that a site's page and an account's post both carry is one
// issue with both referrers.
func TestFinishScan_PostLinkFoldsIntoSiteIssue(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	scanOnce(t, st, t0, ScanComplete, dead("http://www.qxq.gov.cn/a.html", "http://www.qxq.gov.cn/gone"))
	acct, err := st.SyncTarget(ctx, Target{Name: "青溪发布", URL: "http://feeds.example/qx.xml"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	post := checks.Finding{Category: checks.DeadLink, Severity: checks.Medium, URL: "http://mp.example/s/1",
		Evidence: "http://www.qxq.gov.cn/gone", Rule: checks.RuleDeadPostLink, Message: "发布内容中的链接无法访问", Owner: "区政府办公室"}
	for range 2 { // the next account scan too
		scanID, _ := st.StartScan(ctx, acct, KindCrawl, t0.Add(time.Hour))
		sum, err := st.FinishScan(ctx, scanID, acct, ScanResult{Status: ScanComplete, Findings: []checks.Finding{post}, Judged: []string{"dead_link.post"}}, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if sum.New != 0 {
			t.Fatalf("a second issue for the same dead target: %+v", sum)
		}
	}
	var n int
	var refs string
	if err := st.db.QueryRow(`SELECT COUNT(*), MAX(refs) FROM issues WHERE category = 'dead_link'`).Scan(&n, &refs); err != nil {
		t.Fatal(err)
	}
	if n != 1 || strings.Count(refs, "mp.example/s/1") != 1 || !strings.Contains(refs, "www.qxq.gov.cn/a.html") {
		t.Fatalf("%d issues, refs %s", n, refs)
	}
	// The site's next scan keeps the post among the referrers.
	scanOnce(t, st, t0.Add(90*time.Minute), ScanComplete, dead("http://www.qxq.gov.cn/a.html", "http://www.qxq.gov.cn/gone"))
	if err := st.db.QueryRow(`SELECT MAX(refs) FROM issues WHERE category = 'dead_link'`).Scan(&refs); err != nil || !strings.Contains(refs, "mp.example/s/1") {
		t.Fatalf("after the site's rescan: refs %s %v", refs, err)
	}
	// Another unit's post is that unit's own issue.
	theirs := post
	theirs.URL, theirs.Owner = "http://mp.example/s/2", "区教育局"
	scanID, _ := st.StartScan(ctx, acct, KindCrawl, t0.Add(100*time.Minute))
	if sum, err := st.FinishScan(ctx, scanID, acct, ScanResult{Status: ScanComplete, Findings: []checks.Finding{post, theirs}, Judged: []string{"dead_link.post"}}, t0.Add(100*time.Minute)); err != nil || sum.New != 1 {
		t.Fatalf("another unit's post: %+v %v", sum, err)
	}
	// Without a site issue, the post's dead link is an issue of the account.
	other := post
	other.Evidence = "http://elsewhere.example/x"
	scanID, _ = st.StartScan(ctx, acct, KindCrawl, t0.Add(2*time.Hour))
	if sum, err := st.FinishScan(ctx, scanID, acct, ScanResult{Status: ScanComplete, Findings: []checks.Finding{post, theirs, other}, Judged: []string{"dead_link.post"}}, t0.Add(2*time.Hour)); err != nil || sum.New != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
}

// A hostile page's million-character link makes a bounded issue: stored,
// listed and exported small, its length said, the same issue scan after
// scan.
func TestFinishScan_BoundsWhatAnIssueStores(t *testing.T) {
	st := openTemp(t)
	long := "http://www.qxq.gov.cn/" + strings.Repeat("a", 1_000_000)
	f := dead(long, long)
	f.Message += strings.Repeat("。", 5000)
	for i := range 3000 {
		f.Refs = append(f.Refs, checks.Ref{Page: fmt.Sprintf("http://www.qxq.gov.cn/%d.html", i), Anchor: "x"})
	}
	t0 := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	if sum := scanOnce(t, st, t0, ScanComplete, f); sum.New != 1 {
		t.Fatalf("%+v", sum)
	}
	if sum := scanOnce(t, st, t0.Add(24*time.Hour), ScanComplete, f); sum.New != 0 || sum.StillOpen != 1 {
		t.Errorf("the second scan: %+v", sum)
	}
	is, err := st.Issues(context.Background(), Filter{Statuses: Unresolved})
	if err != nil || len(is) != 1 {
		t.Fatalf("%d issues, %v", len(is), err)
	}
	i := is[0]
	size := len(i.URL) + len(i.Evidence) + len(i.Message)
	for _, r := range i.Refs {
		size += len(r.Page) + len(r.Anchor)
	}
	if size > 200_000 || !strings.Contains(i.URL, "（共 1000022 个字符）") || len(i.Refs) > MaxRefs {
		t.Errorf("issue of %d bytes, %d refs, url %q…", size, len(i.Refs), i.URL[len(i.URL)-40:])
	}
	if len(f.Refs) != 3001 || len(f.URL) != 1_000_022 {
		t.Error("the caller's finding was changed")
	}
}

// A database many districts share: a tenant's view counts, lists and
// replays its own targets' issues only; a district migrated in gets its
// tenant stamped on its targets and users.
func TestTenants(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	scan := func(name, tenant string, fs ...checks.Finding) {
		t.Helper()
		id, err := st.SyncTarget(ctx, Target{Name: name, URL: "http://" + name + "/", Tenant: tenant}, t0)
		if err != nil {
			t.Fatal(err)
		}
		scanID, err := st.StartScan(ctx, id, KindCrawl, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.FinishScan(ctx, scanID, id, ScanResult{Status: ScanComplete, Findings: fs}, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	scan("qx", "青溪区", dead("http://qx/", "http://qx/a"), typo("http://qx/x"))
	scan("dh", "东湖区", dead("http://dh/", "http://dh/a"))
	scan("city", "")

	for _, c := range []struct {
		tenant            string
		issues, open, new int
	}{{"青溪区", 2, 2, 2}, {"东湖区", 1, 1, 1}, {"", 3, 3, 3}, {"无此区", 0, 0, 0}} {
		list, err := st.Issues(ctx, Filter{Tenant: c.tenant})
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range list {
			if c.tenant != "" && is.Tenant != c.tenant {
				t.Errorf("tenant %q lists %s's issue %d", c.tenant, is.Tenant, is.ID)
			}
		}
		counts, _ := st.OpenCounts(ctx, c.tenant)
		open := 0
		for _, n := range counts {
			open += n.N
		}
		fresh, _ := st.NewInLatestScans(ctx, c.tenant)
		trend, _ := st.OpenTrend(ctx, []time.Time{t0.Add(time.Hour)}, c.tenant)
		if len(list) != c.issues || open != c.open || fresh != c.new || trend[0] != c.open {
			t.Errorf("tenant %q: %d issues, %d open, %d new, trend %v; want %d, %d, %d", c.tenant, len(list), open, fresh, trend, c.issues, c.open, c.new)
		}
	}
	// A register row naming the target again, without a tenant, leaves it
	// in its district.
	if _, err := st.SyncTarget(ctx, Target{Name: "dh", URL: "http://dh/"}, t0); err != nil {
		t.Fatal(err)
	}
	if ts, _ := st.TenantTargets(ctx, "东湖区"); len(ts) != 1 || ts[0].Name != "dh" {
		t.Errorf("东湖区's targets %+v", ts)
	}
	if _, err := st.AddUser(ctx, User{Name: "admin2", Role: RoleAdmin, Tenant: "青溪区"}, t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("an administrator given a tenant: %v, want ErrInvalid", err)
	}
	if _, err := st.AddUser(ctx, User{Name: "staff", Role: RoleStaff}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddUser(ctx, User{Name: "root", Role: RoleAdmin}, t0); err != nil {
		t.Fatal(err)
	}
	if demoted, err := st.SetTenant(ctx, "南山区"); err != nil || demoted != 1 {
		t.Fatalf("SetTenant: %d administrators demoted (%v), want 1", demoted, err)
	}
	if root, _ := st.UserByName(ctx, "root"); root.Role != RoleStaff || root.Tenant != "南山区" {
		t.Errorf("the district's administrator after SetTenant: %+v, want its staff", root)
	}
	u, _ := st.UserByName(ctx, "staff")
	city, _ := st.TenantTargets(ctx, "南山区")
	qx, _ := st.TenantTargets(ctx, "青溪区")
	if u.Tenant != "南山区" || len(city) != 1 || city[0].Name != "city" || len(qx) != 1 {
		t.Errorf("after SetTenant: user %+v, 南山区 %+v, 青溪区 %d targets", u, city, len(qx))
	}
}
