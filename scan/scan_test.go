package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/xunjian/xunjian/attachment/attachmenttest"
	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/demosite"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/store"
)

// district is a tiny site whose home page links to a page that can be
// broken and fixed between scans.
type district struct {
	srv    *httptest.Server
	broken atomic.Bool
	slow   atomic.Bool
}

func newDistrict(t *testing.T) *district {
	d := &district{}
	d.broken.Store(true)
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>测试区人民政府</title></head><body><div class="nav"><a href="/xwzx/">新闻</a></div>
<div class="main"><a href="/zwgk/a.html">关于开展自查的通知</a>`)
		for i := range 20 {
			fmt.Fprintf(w, `<li><a href="/xwzx/%d.html">新闻%d</a><span>2026-11-%02d</span></li>`, i, i, i+1)
		}
		fmt.Fprint(w, `</div></body></html>`)
	})
	mux.HandleFunc("/xwzx/", func(w http.ResponseWriter, r *http.Request) {
		if d.slow.Load() {
			time.Sleep(50 * time.Millisecond)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><meta name="ArticleTitle" content="新闻"></head><body><p>新闻</p></body></html>`)
	})
	mux.HandleFunc("/zwgk/a.html", func(w http.ResponseWriter, r *http.Request) {
		if d.broken.Load() {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<html><body><p>通知</p></body></html>`)
	})
	d.srv = httptest.NewServer(mux)
	t.Cleanup(d.srv.Close)
	return d
}

func (d *district) site() Site {
	return Site{Name: "测试区", URL: d.srv.URL + "/", Owner: "区政府办公室"}
}

func options() Options {
	return Options{
		Crawl: crawler.Options{Concurrency: 2, Timeout: time.Second, CheckExternal: true, Dial: crawler.LoopbackOnly},
		Now:   func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) },
	}
}

func TestRun_FixVerifiedThenReopened(t *testing.T) {
	ctx := context.Background()
	d := newDistrict(t)
	st := tempStore(t)

	rep, err := Run(ctx, st, d.site(), options())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != store.ScanComplete || rep.Summary.New != 1 || rep.Stats.Pages != 23 {
		t.Fatalf("first scan %+v", rep)
	}
	d.broken.Store(false)
	rep, _ = Run(ctx, st, d.site(), options())
	if rep.Summary.Verified != 1 || rep.Summary.New != 0 {
		t.Fatalf("after the fix %+v", rep.Summary)
	}
	d.broken.Store(true)
	rep, _ = Run(ctx, st, d.site(), options())
	if rep.Summary.Reopened != 1 {
		t.Fatalf("after it broke again %+v", rep.Summary)
	}
	list, _ := st.Issues(ctx, store.Filter{})
	if len(list) != 1 || list[0].Status != store.StatusReopened || list[0].Evidence != d.srv.URL+"/zwgk/a.html" {
		t.Errorf("issues %+v", list)
	}
}

func TestRun_InterruptedScanKeepsIssuesOpen(t *testing.T) {
	d := newDistrict(t)
	st := tempStore(t)
	if _, err := Run(context.Background(), st, d.site(), options()); err != nil {
		t.Fatal(err)
	}
	// The link is fixed, but the next scan is stopped (Ctrl-C) half-way: it
	// must not declare anything fixed, and must leave the database usable.
	d.broken.Store(false)
	d.slow.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	opts := options()
	opts.Progress = func(p crawler.Progress) {
		if p.Pages >= 3 {
			cancel()
		}
	}
	rep, err := Run(ctx, st, d.site(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != store.ScanInterrupted || rep.Summary.Verified != 0 {
		t.Errorf("interrupted scan: %+v", rep)
	}
	list, _ := st.Issues(context.Background(), store.Filter{Statuses: store.Unresolved})
	if len(list) != 1 {
		t.Errorf("open issues after an interrupted scan: %d", len(list))
	}
	scans, _ := st.Scans(context.Background(), 5)
	if scans[0].Status != store.ScanInterrupted {
		t.Errorf("scan recorded as %s", scans[0].Status)
	}
}

func TestRun_UnreachableSiteIsAFindingNotAnError(t *testing.T) {
	st := tempStore(t)
	rep, err := Run(context.Background(), st, Site{Name: "关停的网站", URL: "http://127.0.0.1:1/"}, options())
	if err != nil {
		t.Fatal(err)
	}
	list, _ := st.Issues(context.Background(), store.Filter{})
	if rep.Status != store.ScanPartial || len(list) != 1 || list[0].Category != "site_unreachable" {
		t.Errorf("report %+v issues %+v", rep, list)
	}
}

// On the sample district site: the column register is built, staff's
// corrections apply, and every issue names the unit that must fix it.
func TestRun_DemoSiteColumnsAndOwners(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	ext := httptest.NewServer(demosite.External())
	defer ext.Close()
	site := httptest.NewServer(demosite.New(now, ext.URL))
	defer site.Close()
	st := tempStore(t)
	opts := options()
	opts.Now = func() time.Time { return now }
	opts.Crawl.RecheckAfter = time.Millisecond
	set, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	opts.Rules = set
	s := Site{Name: "青溪区", URL: site.URL + "/", Owner: "区政府办公室", Columns: []checks.ColumnOverride{
		{URL: site.URL + "/xwzx/", Owner: "区融媒体中心"},
		{Name: "人事信息", Class: "exempt"},
	}}
	rep, err := Run(context.Background(), st, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Veto != (checks.Veto{Late: 2, Empty: 1}) {
		t.Errorf("veto %+v", rep.Veto)
	}
	list, err := st.Issues(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	owners := map[string]string{}
	for _, is := range list {
		owners[string(is.Category)+" "+strings.TrimPrefix(is.URL, site.URL)] = is.Owner
		if is.Category == "stale_column" && strings.Contains(is.Evidence, "人事信息") {
			t.Errorf("an exempted column was judged: %s", is.Evidence)
		}
	}
	for key, want := range map[string]string{
		"stale_column /xwzx/zwyw/": "区融媒体中心",
		"stale_column /zwgk/tzgg/": "区政府办公室",
		"dead_link /":              "区政府办公室",
		"homepage_stale /":         "区政府办公室",
		"empty_column /hdjl/":      "区政府办公室",
		"stale_column /xwzx/bmdt/": "区融媒体中心", // the future-dated item
	} {
		if got, ok := owners[key]; !ok || got != want {
			t.Errorf("%s: owner %q (found %v), want %q", key, got, ok, want)
		}
	}
	// Beside an issue on an article: its title, column, date and the
	// passage as found (快照).
	seen := false
	for _, is := range list {
		if is.Rule != checks.RuleSuspectTypo {
			continue
		}
		seen = true
		c, err := st.ContextOf(context.Background(), is.ID)
		if err != nil || !strings.HasPrefix(c.PageTitle, "区卫生健康局开展冬季传染病防控培训") || c.Column == "" || c.Published != "2026-11-24" ||
			!strings.Contains(c.Snapshot, "培训要求，各单位要及时消除预检分诊环节的安全引患，会同区人民检查院做好涉疫案件法律监督衔接工作") {
			t.Errorf("context %+v %v", c, err)
		}
	}
	if !seen {
		t.Error("no issue of the typo detector on the sample site")
	}
}

// A site in the first days of January: dates without a year on the home page
// belong to December, a GBK-encoded list uses full-width digits, and the
// register tells fresh, stale, exempt, unclassified and explained-empty
// columns apart.
func TestRun_ColumnsAcrossTheYearBoundary(t *testing.T) {
	gbk := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	nav := `<div class="nav"><a href="/yw/">工作动态</a><a href="/tzgg/">通知公告</a><a href="/nb/">政府信息公开年报</a><a href="/jgzn/">机构职能</a><a href="/czzj/">财政资金</a></div>`
	pages := map[string]string{
		"/": `<html><head><meta charset="utf-8"><title>测试区</title></head><body>` + nav + `<ul>
<li><a href="/yw/1.html">元旦慰问</a><span>01-03</span></li><li><a href="/yw/2.html">年终总结会</a><span>12-28</span></li></ul></body></html>`,
		"/yw/": `<html><head><meta charset="utf-8"><meta name="ColumnName" content="工作动态"></head><body>` + nav + `<ul>
<li><a href="1.html">元旦慰问</a>[2027-01-03]</li><li><a href="2.html">年终总结会</a>[2026-12-28]</li></ul></body></html>`,
		"/nb/":   `<html><head><meta charset="utf-8"><meta name="ColumnName" content="政府信息公开年报"></head><body>` + nav + `<ul><li><a href="2019.html">2019年报</a> 2020-01-15</li></ul></body></html>`,
		"/jgzn/": `<html><head><meta charset="utf-8"><title>机构职能</title></head><body>` + nav + `<p>` + strings.Repeat("区政府办公室负责协助区政府领导处理日常工作。", 5) + `</p></body></html>`,
		"/czzj/": `<html><head><meta charset="utf-8"><meta name="ColumnName" content="财政资金"></head><body>` + nav + `<p>本单位暂无此类信息，特此说明。</p></body></html>`,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/tzgg/" {
			w.Header().Set("Content-Type", "text/html") // GBK, declared only in <meta>
			fmt.Fprint(w, gbk(`<html><head><meta charset="gbk"><meta name="ColumnName" content="通知公告"></head><body>`+nav+
				`<ul><li><a href="a.html">关于春节值班的通知</a><span>２０２６年６月３０日</span></li></ul></body></html>`))
			return
		}
		body, ok := pages[r.URL.Path]
		if !ok {
			fmt.Fprint(w, `<html><head><meta name="ArticleTitle" content="文章"></head><body>正文</body></html>`)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := tempStore(t)
	opts := options()
	jan5 := time.Date(2027, 1, 5, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	opts.Now = func() time.Time { return jan5 }
	rep, err := Run(context.Background(), st, Site{Name: "测试区", URL: srv.URL + "/"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range rep.Columns {
		newest := ""
		if !c.Newest.IsZero() {
			newest = c.Newest.Format("2006-01-02")
		}
		got[c.Name] = fmt.Sprintf("%s %s empty=%v", c.Class, newest, c.Empty)
	}
	want := map[string]string{
		"工作动态":     "news 2027-01-03 empty=false",
		"通知公告":     "notice 2026-06-30 empty=false",
		"政府信息公开年报": "exempt 2020-01-15 empty=false",
		"机构职能":     "  empty=false",
		"财政资金":     "  empty=true",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %q, want %q", name, got[name], w)
		}
	}
	list, _ := st.Issues(context.Background(), store.Filter{})
	var rules []string
	for _, is := range list {
		rules = append(rules, is.Rule)
	}
	// Only 通知公告 (189 days) is late; the home page (2 days) is fresh; the
	// explained empty column and the exempt one are quiet.
	if strings.Join(rules, ",") != checks.RuleStaleColumn {
		t.Errorf("issues %v", rules)
	}
}

// A mistake in the footer is on every page but is one issue, reported on the
// home page; the same mistake in an article's own text is reported there.
func TestRun_BoilerplateCheckedOncePerSite(t *testing.T) {
	footer := `<div class="footer">主办单位:测试区人民政府办公室</div>`
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		body := `<ul>`
		for i := range 5 {
			body += fmt.Sprintf(`<li><a href="/a%d.html">文章%d</a> 2026-11-2%d</li>`, i, i, i)
		}
		body += `</ul>`
		if r.URL.Path == "/a3.html" {
			body = `<p>为贯彻落实安全生产法,确保群众温暖过冬。</p>`
		}
		fmt.Fprint(w, `<html><body><div class="main">`+body+`</div>`+footer+`</body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := tempStore(t)
	if _, err := Run(context.Background(), st, Site{Name: "测试区", URL: srv.URL + "/"}, options()); err != nil {
		t.Fatal(err)
	}
	list, _ := st.Issues(context.Background(), store.Filter{Category: "punctuation"})
	var where []string
	for _, is := range list {
		where = append(where, strings.TrimPrefix(is.URL, srv.URL))
	}
	slices.Sort(where)
	if strings.Join(where, " ") != "/ /a3.html" {
		t.Errorf("punctuation issues on %v, want the footer once (on /) and the article", where)
	}
}

// Policy documents on a GBK page and in attachments: the document's own date
// decides whether an old name is history, attachments are read in every
// format, and only those with personal data are reported.
func TestRun_PolicyDocumentsAndAttachments(t *testing.T) {
	gbk := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	meta := func(written, number string) string {
		return `<table><tr><th>索引号：</th><td>000014349/` + written[:4] + `-00110</td><th>发文机关：</th><td>测试区人民政府</td></tr>
<tr><th>成文日期：</th><td>` + written + `</td><th>发布日期：</th><td>` + written + `</td></tr><tr><th>文号：</th><td>` + number + `</td></tr></table>`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><ul><li><a href="/zcwj/2017.html">2017年文件</a> 2017-05-02</li><li><a href="/zcwj/2023.html">2023年文件</a> 2023-05-02</li><li><a href="/news.html">动态</a> 2026-11-25</li></ul></body></html>`)
	})
	mux.HandleFunc("/f/gone.pdf", http.NotFound)
	mux.HandleFunc("/zcwj/2017.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html") // GBK, declared in <meta> only
		fmt.Fprint(w, gbk(`<html><head><meta charset="gb2312"><title>关于市场监管工作的通知</title></head><body>`+meta("2017-05-02", "测政发〔2017〕3号")+
			`<p>按照国家工商行政管理总局的部署开展工作。</p><p><a href="/f/list.xlsx">名册.xlsx</a> <a href="/f/clean.docx">正文.docx</a> <a href="/f/gone.pdf">原件.pdf</a></p></body></html>`))
	})
	mux.HandleFunc("/zcwj/2023.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>关于市场监管工作的通知</title></head><body>`+meta("2023-05-02", "测政发〔2023〕3号")+
			`<p>按照国家工商行政管理总局的部署开展工作。</p><p><a href="/f/scan.pdf">附件.pdf</a></p></body></html>`)
	})
	mux.HandleFunc("/f/list.xlsx", func(w http.ResponseWriter, r *http.Request) {
		w.Write(demosite.Xlsx("名册", [][]string{{"姓名", "身份证号码", "联系方式"}, {"张某", "11010519491231002X", "13900001111"}, {"李某", "440304199003073913", ""}}))
	})
	mux.HandleFunc("/f/clean.docx", func(w http.ResponseWriter, r *http.Request) {
		w.Write(demosite.Docx("各单位要认真贯彻落实。", "联系电话：0571-88880000"))
	})
	mux.HandleFunc("/f/scan.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Write(demosite.PDF("Notice", "No personal data here."))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := tempStore(t)
	set, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	opts := options()
	opts.Rules, opts.ReadAttachments = set, true
	rep, err := Run(context.Background(), st, Site{Name: "测试区", URL: srv.URL + "/"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Documents != 2 || rep.Attachments != 3 {
		t.Errorf("documents %d, attachments %d", rep.Documents, rep.Attachments)
	}
	list, _ := st.Issues(context.Background(), store.Filter{})
	var got []string
	for _, is := range list {
		got = append(got, string(is.Category)+" "+strings.TrimPrefix(is.URL, srv.URL))
	}
	slices.Sort(got)
	want := []string{
		"dead_link /zcwj/2017.html",     // 原件.pdf is gone
		"obsolete_name /zcwj/2023.html", // a 2023 document naming an abolished body; the 2017 one is history
		"privacy_leak /f/list.xlsx",     // the ID in the spreadsheet
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("issues\n%v\nwant\n%v", got, want)
	}
	// The spreadsheet's three numbers are one issue of the file, named on
	// the page that links it, its cells not run together by tabs.
	for _, is := range list {
		if is.Category != "privacy_leak" {
			continue
		}
		if is.Rule != checks.RulePersonalDataFile || !strings.Contains(is.Message, "个人信息 3 处（身份证号 2 个，手机号 1 个）") ||
			strings.Contains(is.Evidence, "\t") || !strings.Contains(is.Evidence, "［工作表“名册”］张某 110105********002X 139****1111；［工作表“名册”］李某 440304********3913") ||
			len(is.Refs) != 1 || !strings.HasSuffix(is.Refs[0].Page, "/zcwj/2017.html") || is.Refs[0].Anchor != "名册.xlsx" {
			t.Errorf("the attachment's personal data: %+v", is)
		}
	}
}

// An attachment bomb — a sheet of 256 MiB in a 540 KB file — is a finding
// of its own, and the scan reads the site's other attachments and goes on.
func TestRun_AttachmentBombIsAFinding(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><p>名单公示：<a href="/f/bomb.xlsx">名单.xlsx</a> <a href="/f/list.xlsx">名册.xlsx</a> <a href="/a.html">公告</a></p></body></html>`)
	})
	mux.HandleFunc("/a.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><p>联系人：张三，身份证号码 11010519491231002X。</p></body></html>`)
	})
	mux.HandleFunc("/f/bomb.xlsx", func(w http.ResponseWriter, r *http.Request) { w.Write(attachmenttest.XLSXCells()) })
	mux.HandleFunc("/f/list.xlsx", func(w http.ResponseWriter, r *http.Request) {
		w.Write(demosite.Xlsx("名册", [][]string{{"姓名", "身份证号码"}, {"李某", "11010519491231002X"}}))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := tempStore(t)
	opts := options()
	opts.ReadAttachments = true
	rep, err := Run(context.Background(), st, Site{Name: "测试区", URL: srv.URL + "/"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Attachments != 2 || rep.AttachmentFails != 1 {
		t.Errorf("attachments %d, fails %d", rep.Attachments, rep.AttachmentFails)
	}
	list, _ := st.Issues(context.Background(), store.Filter{})
	var got []string
	for _, is := range list {
		if is.Category == "homepage_stale" {
			continue // the page has no dates
		}
		got = append(got, string(is.Category)+" "+is.Rule+" "+strings.TrimPrefix(is.URL, srv.URL))
		if is.Rule == checks.RuleUnreadAttachment && (!strings.HasPrefix(is.Message, "附件过大或已损坏，未检查") || !is.Suspected) {
			t.Errorf("bomb finding: %+v", is)
		}
	}
	slices.Sort(got)
	want := []string{
		"dead_link dead_link.attachment_unread /f/bomb.xlsx", // the bomb, not read
		"privacy_leak privacy_leak.id_card /a.html",          // the scan went on: the page after it …
		"privacy_leak privacy_leak.id_card /f/list.xlsx",     // … and the other attachment
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("issues\n%v\nwant\n%v", got, want)
	}
}

// tempStore is a new database in the test's temporary folder.
func tempStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// An account whose dates turn unreadable is not judged for freshness: the
// silence found before stays open, and the unreadable dates are said.
func TestRunAccounts_UnreadableDatesCloseNothing(t *testing.T) {
	var date atomic.Value
	date.Store("Mon, 02 Nov 2026 09:00:00 +0800")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title><item><title>区政府召开常务会议</title><link>http://a/1</link><pubDate>%s</pubDate></item></channel></rss>`, date.Load())
	}))
	defer srv.Close()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cst := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, cst)
	opts := Options{Crawl: crawler.Options{Concurrency: 2, Timeout: time.Second, Dial: crawler.LoopbackOnly}, Now: func() time.Time { return now }}
	acct := []Account{{Name: "青溪发布", Owner: "区融媒体中心", Source: crawler.Source{Kind: crawler.SourceFeed, URL: srv.URL}}}
	open := func() []string {
		is, err := st.Issues(context.Background(), store.Filter{Statuses: store.Unresolved})
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		for _, i := range is {
			rules = append(rules, i.Rule)
		}
		slices.Sort(rules)
		return rules
	}
	if _, err := RunAccounts(context.Background(), st, acct, opts, checks.DefaultAccountRules()); err != nil {
		t.Fatal(err)
	}
	if got := open(); !slices.Equal(got, []string{checks.RuleAccountStale}) {
		t.Fatalf("first scan: %v", got)
	}
	date.Store("廿九日 晚")
	now = now.Add(24 * time.Hour)
	if _, err := RunAccounts(context.Background(), st, acct, opts, checks.DefaultAccountRules()); err != nil {
		t.Fatal(err)
	}
	if got := open(); !slices.Equal(got, []string{checks.RuleAccountDateUnreadable, checks.RuleAccountStale}) {
		t.Errorf("second scan: %v, want the silence kept and the dates said", got)
	}
}
