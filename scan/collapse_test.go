package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xunjian/xunjian/store"
)

// smallSite is a district site of eight pages with three problems the
// checks find: a dead link, a half-width comma in Chinese text and an ID
// card number in a 公示. Its home page can be replaced by a maintenance
// notice (nothing crawlable from it), by a script redirect to a WAF's
// challenge on another host, or by a script redirect to /index.shtml (the
// portal moved), and the comma can be fixed.
type smallSite struct {
	srv      *httptest.Server
	redirect atomic.Bool // maintenance notice
	offsite  atomic.Bool
	moved    atomic.Bool
	login    atomic.Bool // every page but the home page redirects to a login page
	fixed    atomic.Bool
}

func newSmallSite(t *testing.T) *smallSite {
	s := &smallSite{}
	nav := `<div class="nav"><a href="/">首页</a><a href="/xwzx/">新闻中心</a><a href="/zwgk/">政务公开</a></div>`
	page := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><meta charset="utf-8"><title>%s_测试区人民政府</title></head><body>%s<div class="main">%s</div></body></html>`, title, nav, body)
	}
	article := func(title, date, text string) string {
		return `<h1>` + title + `</h1><p class="date">发布日期：` + date + `</p><p>` + text + `</p>`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		page(w, "用户登录", `<form method="post"><input name="user"><input name="pass" type="password"></form>`)
	})
	wall := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if s.login.Load() {
				http.Redirect(w, r, "/login?from="+r.URL.Path, http.StatusFound)
				return
			}
			h(w, r)
		}
	}
	home := func(w http.ResponseWriter, r *http.Request) {
		page(w, "首页", `<ul>
<li><a href="/xwzx/1.html">区政府召开常务会议</a><span>2026-11-25</span></li>
<li><a href="/xwzx/2.html">冬季安全生产检查</a><span>2026-11-24</span></li>
<li><a href="/xwzx/3.html">全区秋冬季造林工作推进会</a><span>2026-11-20</span></li>
<li><a href="/zwgk/1.html">低保对象公示</a><span>2026-11-18</span></li>
<li><a href="/zwgk/2.html">关于开展自查的通知</a><span>2026-11-16</span></li></ul>`)
	}
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case s.redirect.Load():
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>系统维护</title></head><body><p>网站系统升级维护中，请稍后访问。给您带来不便，敬请谅解。</p></body></html>`)
		case s.offsite.Load():
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<script>window.location.href="http://waf.invalid/verify?from=%2F";</script>`)
		case s.moved.Load():
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<script>window.location.href="/index.shtml";</script>`)
		default:
			home(w, r)
		}
	})
	mux.HandleFunc("/index.shtml", home)
	mux.HandleFunc("/xwzx/{$}", wall(func(w http.ResponseWriter, r *http.Request) {
		page(w, "新闻中心", `<ul><li><a href="1.html">区政府召开常务会议</a>[2026-11-25]</li>
<li><a href="2.html">冬季安全生产检查</a>[2026-11-24]</li><li><a href="3.html">全区秋冬季造林工作推进会</a>[2026-11-20]</li></ul>`)
	}))
	mux.HandleFunc("/zwgk/{$}", wall(func(w http.ResponseWriter, r *http.Request) {
		page(w, "政务公开", `<ul><li><a href="1.html">低保对象公示</a>[2026-11-18]</li><li><a href="2.html">关于开展自查的通知</a>[2026-11-16]</li></ul>`)
	}))
	mux.HandleFunc("/xwzx/1.html", wall(func(w http.ResponseWriter, r *http.Request) {
		page(w, "区政府召开常务会议", article("区政府召开常务会议", "2026-11-25",
			`会议研究了冬季供暖保障工作。<a href="/xwzx/old.html">上次会议情况</a>`)) // dead link
	}))
	mux.HandleFunc("/xwzx/2.html", wall(func(w http.ResponseWriter, r *http.Request) {
		text := `为贯彻落实安全生产法,确保群众温暖过冬，区应急管理局开展检查。` // half-width comma
		if s.fixed.Load() {
			text = strings.Replace(text, ",", "，", 1)
		}
		page(w, "冬季安全生产检查", article("冬季安全生产检查", "2026-11-24", text))
	}))
	mux.HandleFunc("/xwzx/3.html", wall(func(w http.ResponseWriter, r *http.Request) {
		page(w, "全区秋冬季造林工作推进会", article("全区秋冬季造林工作推进会", "2026-11-20", `会议部署了今冬明春造林任务。`))
	}))
	mux.HandleFunc("/zwgk/1.html", wall(func(w http.ResponseWriter, r *http.Request) {
		page(w, "低保对象公示", article("低保对象公示", "2026-11-18", `张某，身份证号码：11010519491231002X，保障人数 2 人。`)) // personal data
	}))
	mux.HandleFunc("/zwgk/2.html", wall(func(w http.ResponseWriter, r *http.Request) {
		page(w, "关于开展自查的通知", article("关于开展自查的通知", "2026-11-16", `各单位于本月底前完成自查。`))
	}))
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

// issue 15, item 0: a site scanned completely (3 issues), then re-scanned
// after its home page became a maintenance notice, reads 1 page. That scan is
// not complete: it closes nothing — not even the issue really fixed in
// between — and says why with both page counts. The restored site's next
// scan is complete again and verifies the fix.
func TestRun_CollapsedCrawlClosesNothing(t *testing.T) {
	ctx := context.Background()
	s := newSmallSite(t)
	st := tempStore(t)
	site := Site{Name: "测试区", URL: s.srv.URL + "/", Owner: "区政府办公室"}
	unresolved := func() []string {
		t.Helper()
		list, err := st.Issues(ctx, store.Filter{Statuses: store.Unresolved})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, is := range list {
			out = append(out, string(is.Category)+" "+strings.TrimPrefix(is.URL, s.srv.URL))
		}
		slices.Sort(out)
		return out
	}
	planted := []string{"dead_link /xwzx/1.html", "privacy_leak /zwgk/1.html", "punctuation /xwzx/2.html"}

	rep, err := Run(ctx, st, site, options())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != store.ScanComplete || rep.PagesRead != 8 || rep.Summary.New != 3 || rep.Baseline != 0 || rep.CollapseNote() != "" {
		t.Fatalf("first scan: %s, %d pages read, %+v", rep.Status, rep.PagesRead, rep.Summary)
	}
	if got := unresolved(); !slices.Equal(got, planted) {
		t.Fatalf("first scan found %v, want %v", got, planted)
	}

	// The comma is fixed, and the home page becomes a maintenance notice.
	s.fixed.Store(true)
	s.redirect.Store(true)
	rep, err = Run(ctx, st, site, options())
	if err != nil {
		t.Fatal(err)
	}
	const want = "本次仅抓取 1 页（上次 8 页），疑似首页跳转、拦截或维护，未复查关闭任何问题"
	if rep.Status != store.ScanCollapsed || rep.Stats.Pages != 1 || rep.PagesRead != 1 || rep.Baseline != 8 || rep.Summary.Verified != 0 || rep.CollapseNote() != want {
		t.Errorf("redirected scan: %s, %d pages read (baseline %d), %+v, %q", rep.Status, rep.PagesRead, rep.Baseline, rep.Summary, rep.CollapseNote())
	}
	// It may report what it sees (a home page without news), but every
	// planted problem stays open, the fixed comma included.
	if got := unresolved(); !subset(planted, got) {
		t.Errorf("after the redirected scan, unresolved %v, want all of %v", got, planted)
	}
	scans, err := st.ScansOf(ctx, store.KindCrawl, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sc := scans[0]; sc.Status != store.ScanCollapsed || sc.Verified != 0 || sc.PagesRead != 1 || sc.Baseline != 8 ||
		!strings.HasPrefix(sc.Note, want) || sc.CollapseNote() != want || sc.Status.Label() != "页面骤减（未关闭任何问题）" {
		t.Errorf("redirected scan recorded as %+v", sc)
	}
	if got := verified(t, st); len(got) != 0 {
		t.Errorf("the redirected scan verified %v", got)
	}
	if pages, ok, _ := st.LastCompletePages(ctx, 1); !ok || pages != 8 {
		t.Errorf("the baseline moved to %d pages", pages)
	}

	// The home page is restored: complete again, and the fix is verified.
	s.redirect.Store(false)
	rep, err = Run(ctx, st, site, options())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != store.ScanComplete || rep.PagesRead != 8 || rep.Baseline != 8 || rep.Summary.Verified < 1 || rep.Summary.StillOpen != 2 {
		t.Errorf("restored scan: %s, %d pages read, %+v", rep.Status, rep.PagesRead, rep.Summary)
	}
	if got := unresolved(); !slices.Equal(got, planted[:2]) {
		t.Errorf("after the restored scan, unresolved %v, want %v", got, planted[:2])
	}
	if got := verified(t, st); !slices.Contains(got, "punctuation /xwzx/2.html") {
		t.Errorf("verified %v, want the comma among them", got)
	}
}

// A home page that only sends browsers to another host (a WAF's challenge, a
// bare domain redirecting to www.): the scan reads 1 page, is not complete
// and says where the home page went.
func TestRun_OffsiteHomeRedirectClosesNothing(t *testing.T) {
	ctx := context.Background()
	s := newSmallSite(t)
	st := tempStore(t)
	site := Site{Name: "测试区", URL: s.srv.URL + "/"}
	if rep, err := Run(ctx, st, site, options()); err != nil || rep.Status != store.ScanComplete {
		t.Fatalf("first scan: %v %v", rep.Status, err)
	}
	s.fixed.Store(true)
	s.offsite.Store(true)
	rep, err := Run(ctx, st, site, options())
	if err != nil {
		t.Fatal(err)
	}
	scans, _ := st.ScansOf(ctx, store.KindCrawl, 1)
	if rep.Status != store.ScanPartial || rep.Summary.Verified != 0 || !strings.Contains(scans[0].Note, "首页跳转到其他域名 http://waf.invalid/verify") {
		t.Errorf("off-site home: %s, %+v, %q", rep.Status, rep.Summary, scans[0].Note)
	}
}

// The sequence of issue 15 with a redirect the crawler can follow: the home
// page moved to /index.shtml by script. The site is read whole, so the scan
// is complete: the fixed comma is verified and the rest stay open.
func TestRun_ScriptRedirectHomeIsFollowed(t *testing.T) {
	ctx := context.Background()
	s := newSmallSite(t)
	st := tempStore(t)
	site := Site{Name: "测试区", URL: s.srv.URL + "/"}
	if rep, err := Run(ctx, st, site, options()); err != nil || rep.Status != store.ScanComplete || rep.Summary.New != 3 {
		t.Fatalf("first scan: %v %+v %v", rep.Status, rep.Summary, err)
	}
	s.fixed.Store(true)
	s.moved.Store(true)
	rep, err := Run(ctx, st, site, options())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != store.ScanComplete || rep.PagesRead != 8 || rep.Summary.Verified != 1 || rep.Summary.StillOpen != 2 || rep.Summary.New != 0 {
		t.Errorf("moved home: %s, %d pages read, %+v", rep.Status, rep.PagesRead, rep.Summary)
	}
	if got := verified(t, st); !slices.Equal(got, []string{"punctuation /xwzx/2.html"}) {
		t.Errorf("verified %v", got)
	}
}

// A login wall in front of every page but the home page: the crawler still
// fetches as many URLs, each redirected to the login page under its own
// return address, but reads two distinct pages — collapsed.
func TestRun_LoginWallIsCollapsed(t *testing.T) {
	ctx := context.Background()
	s := newSmallSite(t)
	st := tempStore(t)
	site := Site{Name: "测试区", URL: s.srv.URL + "/"}
	if rep, err := Run(ctx, st, site, options()); err != nil || rep.Status != store.ScanComplete {
		t.Fatalf("first scan: %v %v", rep.Status, err)
	}
	s.login.Store(true)
	rep, err := Run(ctx, st, site, options())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != store.ScanCollapsed || rep.PagesRead != 2 || rep.Summary.Verified != 0 ||
		rep.CollapseNote() != "本次仅抓取 2 页（上次 8 页），疑似首页跳转、拦截或维护，未复查关闭任何问题" {
		t.Errorf("behind a login wall: %s, %d of %d pages read, %+v", rep.Status, rep.PagesRead, rep.Stats.Pages, rep.Summary)
	}
}

// A site that really shrank: staff accept the smaller scan, which is then
// complete and the new baseline; a guard with a zero ratio judges nothing.
func TestRun_AcceptFewerPages(t *testing.T) {
	ctx := context.Background()
	s := newSmallSite(t)
	st := tempStore(t)
	site := Site{Name: "测试区", URL: s.srv.URL + "/"}
	if _, err := Run(ctx, st, site, options()); err != nil {
		t.Fatal(err)
	}
	s.redirect.Store(true)
	off := options()
	off.Collapse = &store.CollapseGuard{}
	if rep, _ := Run(ctx, st, site, off); rep.Status != store.ScanComplete {
		t.Errorf("guard off: %s", rep.Status)
	}
	s.redirect.Store(false)
	if rep, _ := Run(ctx, st, site, options()); rep.Status != store.ScanComplete {
		t.Fatalf("restored: %s", rep.Status)
	}
	s.redirect.Store(true)
	accept := options()
	accept.AcceptFewerPages = true
	if rep, _ := Run(ctx, st, site, accept); rep.Status != store.ScanComplete || rep.Baseline != 0 {
		t.Errorf("accepted: %s (baseline %d)", rep.Status, rep.Baseline)
	}
	if rep, _ := Run(ctx, st, site, options()); rep.Status != store.ScanComplete || rep.Baseline != 1 {
		t.Errorf("after the accepted scan: %s (baseline %d)", rep.Status, rep.Baseline)
	}
}

// verified lists the issues the scans declared fixed, as category and path.
func verified(t *testing.T, st *store.Store) []string {
	t.Helper()
	list, err := st.Issues(context.Background(), store.Filter{Statuses: []store.Status{store.StatusVerified}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, is := range list {
		u, _ := url.Parse(is.URL)
		out = append(out, string(is.Category)+" "+u.Path)
	}
	return out
}

func subset(small, big []string) bool {
	for _, s := range small {
		if !slices.Contains(big, s) {
			return false
		}
	}
	return true
}
