package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/store"
)

func digestInput(t *testing.T) DigestInput {
	week, err := ParseWeek("2026-W48", shanghai)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, shanghai) // Monday of W49: the digest of W48
	mon := week.Start
	issues := []store.Issue{
		{ID: 1, Target: "青溪区门户网站", Category: "dead_link", Severity: "medium", URL: "http://www.qxq.gov.cn/wjw/a.html", Evidence: "http://www.qxq.gov.cn/wjw/old.html",
			Message: "链接无法访问：HTTP 404（页面不存在）", Status: "open", Owner: "区卫健委", FirstSeen: mon.Add(26 * time.Hour)},
		{ID: 2, Target: "青溪区门户网站", Category: "stale_column", Severity: "medium", URL: "http://www.qxq.gov.cn/wjw/", Evidence: "栏目“卫健动态”最近更新 2026-10-20",
			Message: "已 38 天未更新", Status: "assigned", Owner: "区卫健委", Deadline: "2026-11-28", FirstSeen: mon.AddDate(0, 0, -20)},
		{ID: 3, Target: "青溪卫健", Category: "stale_account", Severity: "high", URL: "http://rss/wjw.xml", Evidence: "账号“青溪卫健”最近发布 2026-11-07",
			Message: "已 20 天未发布新内容", Status: "open", Owner: "区卫健委", FirstSeen: mon.AddDate(0, 0, -3)},
		{ID: 4, Target: "青溪区门户网站", Category: "typo", Severity: "medium", URL: "http://www.qxq.gov.cn/wjw/b.html", Evidence: "按装",
			Message: "疑似错别字", Status: "verified", Owner: "区卫健委", FirstSeen: mon.AddDate(0, 0, -10)},
		{ID: 5, Target: "青溪区门户网站", Category: "typo", Severity: "medium", URL: "http://www.qxq.gov.cn/jy/c.html", Evidence: "既使",
			Message: "疑似错别字", Status: "ignored", Owner: "区教育局", FirstSeen: mon},
		{ID: 6, Target: "青溪区门户网站", Category: "empty_column", Severity: "medium", URL: "http://www.qxq.gov.cn/hdjl/", Evidence: "栏目“互动交流”无内容",
			Message: "空白栏目", Status: "open", Owner: "区政府办公室", FirstSeen: mon.Add(time.Hour)},
	}
	// The portal's nightly scan before the digest found its home page a
	// script redirect: it read 1 page and closed nothing.
	scans := []store.Scan{
		{Target: "青溪区门户网站", TargetKind: "site", Kind: store.KindCrawl, StartedAt: now.Add(-330 * time.Minute), Status: store.ScanCollapsed,
			Pages: 1, PagesRead: 1, Baseline: 495, Note: store.CollapseNote(1, 495)},
		{Target: "青溪卫健", TargetKind: "account", Kind: store.KindCrawl, StartedAt: now.Add(-320 * time.Minute), Status: store.ScanComplete},
	}
	return DigestInput{Issues: issues, Verified: map[int64]time.Time{4: mon.Add(50 * time.Hour)},
		Emails: map[string]string{"区卫健委": "wjw@qxq.gov.cn"}, BaseURL: "http://xunjian.qxq.gov.cn:8080/", Week: week, Now: now, Scans: scans}
}

func TestBuildDigests_Golden(t *testing.T) {
	in := digestInput(t)
	ds, err := BuildDigests(in)
	if err != nil {
		t.Fatal(err)
	}
	// 区卫健委 (3 open, 1 new, 1 overdue, 1 fixed) and 区政府办公室; 区教育局 has
	// only an ignored issue: no mail.
	if len(ds) != 2 || ds[0].Unit != "区卫健委" || ds[1].Unit != "区政府办公室" {
		t.Fatalf("digests for %v", unitsOf(ds))
	}
	d := ds[0]
	if d.Subject != "【网站巡检周报】区卫健委 2026年第48周：待整改 3 项（新增 1 项）" || d.NewCount != 1 || d.CarriedCount != 2 || d.OverdueCount != 1 || d.FixedCount != 1 || len(d.Vetoes) != 1 {
		t.Errorf("digest %q new %d carried %d overdue %d fixed %d vetoes %d", d.Subject, d.NewCount, d.CarriedCount, d.OverdueCount, d.FixedCount, len(d.Vetoes))
	}
	if !strings.Contains(d.HTML, `href="http://xunjian.qxq.gov.cn:8080/issues/1"`) || strings.Contains(d.HTML, "<img") {
		t.Error("HTML part: links to the UI, no images")
	}
	// The collapsed scan of the portal is said under the portal, not under
	// the account.
	const alert = "最近一次巡检（11月30日 02:30）本次仅抓取 1 页（上次 495 页），疑似首页跳转、拦截或维护，未复查关闭任何问题；已整改的问题将在下次完整巡检时复查"
	if len(d.Groups) != 2 || d.Groups[0].Alert != alert || d.Groups[1].Alert != "" || !strings.Contains(d.Text, "注意："+alert+"。") || !strings.Contains(d.HTML, alert) {
		t.Errorf("the collapsed scan is not said where it belongs: %+v", d.Groups)
	}
	golden(t, "digest.txt", []byte(d.Text))
	golden(t, "digest.html", []byte(d.HTML))
	s, err := BuildSummary(ds, d.Week, ScanAlerts(in.Scans, in.Now))
	if err != nil {
		t.Fatal(err)
	}
	if s.Total != 4 || len(s.NoAddress) != 1 || s.Units[0].Unit != "区卫健委" || len(s.Alerts) != 1 || !strings.Contains(s.Text, "青溪区门户网站："+alert+"。") {
		t.Errorf("summary %+v", s)
	}
	golden(t, "summary.txt", []byte(s.Text))
}

func TestParseWeek(t *testing.T) {
	w, err := ParseWeek("2026-W48", shanghai)
	if err != nil || w.Start.Format("2006-01-02") != "2026-11-23" || w.End.Format("2006-01-02") != "2026-11-30" {
		t.Errorf("%v %v", w, err)
	}
	if w := WeekOf(time.Date(2027, 1, 1, 10, 0, 0, 0, shanghai)); w.String() != "2026-W53" {
		t.Errorf("1 Jan 2027 is in %s", w)
	}
	for _, bad := range []string{"2026-48", "2026-W60", "2025-W53"} {
		if _, err := ParseWeek(bad, shanghai); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func unitsOf(ds []Digest) []string {
	var u []string
	for _, d := range ds {
		u = append(u, d.Unit)
	}
	return u
}

// A message that opens with its category (严重表述错误：“…”) is not said after
// the category a second time.
func TestBuildDigests_CategoryNotRepeated(t *testing.T) {
	in := digestInput(t)
	const msg = "严重表述错误：“中华人民共合国”疑为“中华人民共和国”之误（严重表述错误可单项否决，请立即更正）"
	in.Issues = []store.Issue{{ID: 70, Target: "青溪区门户网站", Category: "serious_error", Severity: "high", URL: "http://www.qxq.gov.cn/xwzx/b.html",
		Evidence: "根据中华人民共合国宪法", Message: msg, Status: "open", Owner: "区卫健委", FirstSeen: in.Week.Start.Add(time.Hour)}}
	ds, err := BuildDigests(in)
	if err != nil || len(ds) != 1 {
		t.Fatalf("%d digests, %v", len(ds), err)
	}
	for part, s := range map[string]string{"text": ds[0].Text, "HTML": ds[0].HTML} {
		if strings.Contains(s, "严重表述错误：严重表述错误") || !strings.Contains(s, "严重表述错误：“中华人民共合国”疑为") {
			t.Errorf("%s part:\n%s", part, s)
		}
	}
	if got := Detail("typo", "疑似错别字：“按装”应为“安装”"); got != "疑似错别字：“按装”应为“安装”" {
		t.Errorf("a message not opening with its category changed: %q", got)
	}
}
