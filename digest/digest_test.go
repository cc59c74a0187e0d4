package digest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/mail"
	"github.com/xunjian/xunjian/mail/mailtest"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

func setup(t *testing.T) (*store.Store, *mailtest.Relay, Options) {
	r := mailtest.Start(t)
	st, err := store.Open(context.Background(), storetest.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cst := time.FixedZone("CST", 8*3600)
	week, _ := reports.ParseWeek("2026-W48", cst)
	ctx := context.Background()
	id, _ := st.SyncTarget(ctx, store.Target{Name: "青溪区门户网站", URL: "http://www.qxq.gov.cn/"}, week.Start)
	scanID, _ := st.StartScan(ctx, id, store.KindCrawl, week.Start.Add(time.Hour))
	fs := []checks.Finding{
		{Category: checks.DeadLink, Severity: checks.Medium, URL: "http://www.qxq.gov.cn/a", Evidence: "http://www.qxq.gov.cn/x", Rule: "dead_link.page", Message: "链接无法访问", Owner: "区卫健委"},
		{Category: checks.Typo, Severity: checks.Medium, URL: "http://www.qxq.gov.cn/b", Evidence: "按装", Rule: "typo.T001", Message: "疑似错别字", Owner: "区教育局"},
		{Category: checks.Typo, Severity: checks.Medium, URL: "http://www.qxq.gov.cn/c", Evidence: "既使", Rule: "typo.T002", Message: "疑似错别字", Owner: "区民政局"},
	}
	if _, err := st.FinishScan(ctx, scanID, id, store.ScanResult{Status: store.ScanComplete, Findings: fs}, week.Start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	port := r.Port
	return st, r, Options{Week: week, Now: week.End.Add(8 * time.Hour), BaseURL: "http://xunjian.local:8080",
		Emails: map[string]string{"区卫健委": "wjw@qxq.gov.cn", "区教育局": "gone@qxq.gov.cn"},
		Staff:  []string{"zwgk@qxq.gov.cn"}, RetryWait: 10 * time.Millisecond,
		SMTP: mail.Config{Host: "127.0.0.1", Port: port, Security: "none", From: "巡检 <xunjian@qxq.gov.cn>", Timeout: 5 * time.Second}}
}

func TestRun_SendsOnceAndRecords(t *testing.T) {
	st, r, o := setup(t)
	ctx := context.Background()
	res, err := Run(ctx, st, o)
	if err != nil {
		t.Fatal(err)
	}
	// 区卫健委 and the staff summary go out; 区教育局's address is refused
	// (and does not stop the others); 区民政局 has no address.
	if res.Sent != 2 || res.Rejected != 1 || len(res.NoAddress) != 1 || res.NoAddress[0] != "区民政局" {
		t.Errorf("first run %+v", res)
	}
	res, err = Run(ctx, st, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 0 || res.Skipped != 3 {
		t.Errorf("second run sent again: %+v", res)
	}
	if n := r.Count(); n != 2 {
		t.Errorf("relay received %d messages, want 2", n)
	}
	rec, ok, _ := st.DigestState(ctx, "区教育局", "2026-W48")
	if !ok || rec.Status != store.DigestRejected || !strings.Contains(rec.Error, "550") {
		t.Errorf("rejection record %+v", rec)
	}
}

func TestRun_TransientFailureRetried(t *testing.T) {
	st, r, o := setup(t)
	delete(o.Emails, "区教育局")
	o.Staff = nil
	r.FailNext(2) // two 451s, then accepted
	res, err := Run(context.Background(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 1 || res.Failed != 0 {
		t.Errorf("%+v", res)
	}
	r.FailNext(10)
	o.Week.Start, o.Week.End = o.Week.Start.AddDate(0, 0, 7), o.Week.End.AddDate(0, 0, 7)
	o.Week.Number++
	res, _ = Run(context.Background(), st, o)
	if res.Failed != 1 {
		t.Errorf("still failing after the retries: %+v", res)
	}
	rec, _, _ := st.DigestState(context.Background(), "区卫健委", o.Week.String())
	if rec.Status != store.DigestFailed {
		t.Errorf("a failed send must stay visible and be retried next run: %+v", rec)
	}
}

func TestRun_DryRunWritesEML(t *testing.T) {
	st, r, o := setup(t)
	o.DryRunDir = t.TempDir()
	res, err := Run(context.Background(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != 4 { // three units (one without an address) and the summary
		t.Errorf("written %v", res.Written)
	}
	data, _ := os.ReadFile(filepath.Join(o.DryRunDir, "2026-W48-区卫健委.eml"))
	if !strings.Contains(string(data), "Subject:") || !strings.Contains(string(data), "=?UTF-8?") || r.Count() != 0 {
		t.Errorf("eml %q, relay got %d", data[:min(200, len(data))], r.Count())
	}
}

// BenchmarkRun builds and sends the digests of 83 units holding 5,000 open
// issues (and the staff summary) to an SMTP server on loopback.
// benchDistrict is 83 units holding 5,000 open issues, and the options of
// a run that mails them over an SMTP server on loopback.
func benchDistrict(b *testing.B) (*store.Store, Options) {
	r := mailtest.Start(b)
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "x.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	cst := time.FixedZone("CST", 8*3600)
	week, _ := reports.ParseWeek("2026-W48", cst)
	ctx := context.Background()
	id, _ := st.SyncTarget(ctx, store.Target{Name: "青溪区门户网站", URL: "http://www.qxq.gov.cn/"}, week.Start)
	scanID, _ := st.StartScan(ctx, id, store.KindCrawl, week.Start.Add(time.Hour))
	emails := map[string]string{}
	var fs []checks.Finding
	for i := range 5000 {
		unit := fmt.Sprintf("单位%02d", i%83)
		emails[unit] = fmt.Sprintf("u%02d@qxq.gov.cn", i%83)
		fs = append(fs, checks.Finding{Category: checks.DeadLink, Severity: checks.Medium, URL: fmt.Sprintf("http://www.qxq.gov.cn/p/%d.html", i),
			Evidence: fmt.Sprintf("http://www.qxq.gov.cn/gone/%d.html", i), Rule: "dead_link.page", Message: "链接无法访问：HTTP 404（页面不存在）", Owner: unit})
	}
	if _, err := st.FinishScan(ctx, scanID, id, store.ScanResult{Status: store.ScanComplete, Findings: fs}, week.Start.Add(time.Hour)); err != nil {
		b.Fatal(err)
	}
	return st, Options{Week: week, Now: week.End, BaseURL: "http://xunjian.local", Emails: emails, Staff: []string{"jc@qxq.gov.cn"},
		SMTP: mail.Config{Host: "127.0.0.1", Port: r.Port, Security: "none", From: "xunjian@qxq.gov.cn", Timeout: 10 * time.Second}}
}

func BenchmarkRun(b *testing.B) {
	st, o := benchDistrict(b)
	for b.Loop() {
		res, err := Run(context.Background(), st, o)
		if err != nil || res.Sent != 84 {
			b.Fatalf("%+v %v", res, err)
		}
		o.Week.Number++ // a new week: nothing was sent for it yet
	}
}

// BenchmarkBuild is what the UI's digest page and each preview cost: every
// unit's digest and the summary, rendered, nothing sent.
func BenchmarkBuild(b *testing.B) {
	st, o := benchDistrict(b)
	for b.Loop() {
		ds, _, err := Build(context.Background(), st, o)
		if err != nil || len(ds) != 83 {
			b.Fatalf("%d digests, %v", len(ds), err)
		}
	}
}

// The portal's last scan read far fewer pages than its last complete one:
// the unit digests with issues there and the staff summary say so.
func TestBuild_SaysCollapsedScan(t *testing.T) {
	st, _, o := setup(t)
	ctx := context.Background()
	id, _ := st.SyncTarget(ctx, store.Target{Name: "青溪区门户网站", URL: "http://www.qxq.gov.cn/"}, o.Week.Start)
	at := o.Week.End.Add(2*time.Hour + 30*time.Minute) // the nightly scan before the Monday digest
	scanID, _ := st.StartScan(ctx, id, store.KindCrawl, at)
	if _, err := st.FinishScan(ctx, scanID, id, store.ScanResult{Status: store.ScanCollapsed, Pages: 1, PagesRead: 1, Baseline: 3,
		Note: store.CollapseNote(1, 3)}, at); err != nil {
		t.Fatal(err)
	}
	ds, sum, err := Build(ctx, st, o)
	if err != nil {
		t.Fatal(err)
	}
	const want = "最近一次巡检（11月30日 02:30）本次仅抓取 1 页（上次 3 页），疑似首页跳转、拦截或维护，未复查关闭任何问题"
	if len(ds) == 0 || !strings.Contains(ds[0].Text, want) || !strings.Contains(sum.Text, want) {
		t.Errorf("digest:\n%s\nsummary:\n%s", ds[0].Text, sum.Text)
	}
}

// Digests whose links would be relative (no ui_base_url) are not sent; a
// dry run still writes them for review.
func TestRun_RefusesRelativeLinks(t *testing.T) {
	for _, base := range []string{"", "/", "xunjian.qxq.gov.cn:8080", "ftp://xunjian.local/"} {
		st, r, o := setup(t)
		o.BaseURL = base
		res, err := Run(context.Background(), st, o)
		if !errors.Is(err, ErrNoBaseURL) || res.Sent != 0 || r.Count() != 0 {
			t.Errorf("base %q: %+v, %v, relay got %d", base, res, err, r.Count())
		}
		if recs, _ := st.Digests(context.Background(), ""); len(recs) != 0 {
			t.Errorf("base %q: records %+v", base, recs)
		}
		o.DryRunDir = t.TempDir()
		if res, err := Run(context.Background(), st, o); err != nil || len(res.Written) != 4 {
			t.Errorf("base %q, dry run: %+v %v", base, res, err)
		}
	}
}
