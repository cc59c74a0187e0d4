package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// trapSite serves pages (path → title and body), each with a breadcrumb
// under 互动交流 when crumb is set; a path it does not hold answers 404, a
// path marked down 503.
type trapSite struct {
	pages map[string][2]string // path → title, body
	down  map[string]*atomic.Bool
	crumb bool
	srv   *httptest.Server
}

func newTrapSite(t *testing.T, crumb bool, pages map[string][2]string) *trapSite {
	ts := &trapSite{pages: pages, down: map[string]*atomic.Bool{}, crumb: crumb}
	ts.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := ts.down[r.URL.Path]; d != nil && d.Load() {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		p, ok := ts.pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		trail := ""
		if ts.crumb && r.URL.Path != "/" {
			trail = `<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/hdjl/">互动交流</a> &gt; ` + p[0] + `</div>`
		}
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body>%s%s</body></html>`, p[0], trail, p[1])
	}))
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *trapSite) scan(t *testing.T, st *store.Store) Report {
	t.Helper()
	rep, err := Run(context.Background(), st, Site{Name: "测试区", URL: ts.srv.URL + "/"}, options())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// noInteraction fails the test for every 互动回应 issue in st.
func noInteraction(t *testing.T, st *store.Store) {
	t.Helper()
	list, _ := st.Issues(context.Background(), store.Filter{Category: checks.InteractionUnanswered})
	for _, is := range list {
		t.Errorf("false interaction issue: %s %s %s: %s", is.Severity, is.Rule, is.Evidence, is.Message)
	}
}

func ago(days int) string { return options().Now().AddDate(0, 0, -days).Format("2006-01-02") }

// A dead link to a news item about 人大代表建议 is a dead link, not an
// unreadable consultation channel (the site's mailbox may be on the city's
// platform: nothing here says the site has none).
func TestInteraction_ADeadNewsLinkIsNoChannel(t *testing.T) {
	ts := newTrapSite(t, false, map[string][2]string{
		"/": {"首页", `<ul><li><a href="/xw/1.html">区政府召开人大代表建议和政协提案交办会</a><span>2026-11-20</span></li>
			<li><a href="/xw/2.html">区政府常务会议研究部署安全生产工作</a><span>2026-11-21</span></li></ul>`},
		"/xw/2.html": {"新闻", `<p>会议内容。</p>`},
	})
	st := tempStore(t)
	if rep := ts.scan(t, st); rep.Broken != 1 {
		t.Fatalf("%d broken links, want the news item's", rep.Broken)
	}
	noInteraction(t, st)
}

// A mailbox whose letters were all answered within days is not quiet,
// however long ago the last one came.
func TestInteraction_NothingWaitingIsNotQuiet(t *testing.T) {
	ts := newTrapSite(t, false, map[string][2]string{
		"/": {"首页", `<a href="/ldxx/">区长信箱</a>`},
		"/ldxx/": {"区长信箱", fmt.Sprintf(`<table><tr><th>信件标题</th><th>来信时间</th><th>回复时间</th><th>状态</th></tr>
			<tr><td>关于路灯的反映</td><td>%s</td><td>%s</td><td>已办结</td></tr>
			<tr><td>关于停车的咨询</td><td>%s</td><td>%s</td><td>已办结</td></tr></table>`, ago(75), ago(73), ago(120), ago(118))},
	})
	st := tempStore(t)
	if rep := ts.scan(t, st); rep.Channels != 1 || rep.Interaction.Answered != 2 {
		t.Fatalf("the mailbox was not read: %d channels, %+v", rep.Channels, rep.Interaction)
	}
	noInteraction(t, st)
}

// Ordinary pages of 互动交流 are no messages: an 在线访谈 transcript (网友提问
// with 提问时间, answered on the page) and a 公开征求意见 notice (意见提交时间
// …至…).
func TestInteraction_InterviewAndConsultationNoticeAreNoMessages(t *testing.T) {
	ts := newTrapSite(t, true, map[string][2]string{
		"/": {"首页", `<a href="/hdjl/zxft/1.html">在线访谈：聚焦义务教育招生</a> <a href="/hdjl/zjdc/1.html">关于公开征求《青溪区养犬管理办法（征求意见稿）》意见的公告</a>`},
		"/hdjl/zxft/1.html": {"在线访谈", `<h1>聚焦义务教育招生</h1><p>访谈嘉宾：区教育局局长</p>
			<div class="q"><p>网友“青溪家长”提问：学区如何划分？</p><p>提问时间：2026-06-15 10:23</p></div>
			<div class="a"><p>嘉宾：学区划分以就近入学为原则……</p></div>`},
		"/hdjl/zjdc/1.html": {"意见征集", `<h1>关于公开征求《青溪区养犬管理办法（征求意见稿）》意见的公告</h1>
			<p>为广泛听取社会各界意见建议，现将征求意见稿全文公布。</p><p>意见提交时间：2026年7月1日至2026年7月31日</p>
			<p>联系电话：0571-88880000</p>`},
	})
	st := tempStore(t)
	if rep := ts.scan(t, st); rep.PagesRead != 3 {
		t.Fatalf("%d pages read, want the home page and both pages", rep.PagesRead)
	}
	noInteraction(t, st)
}

// The night the mailbox cannot be read (or a letter moved beyond the
// crawl), its unanswered letter stays unresolved: a scan that did not look
// verifies nothing.
func TestInteraction_AnUnreadMailboxVerifiesNothing(t *testing.T) {
	ts := newTrapSite(t, false, map[string][2]string{
		"/":          {"首页", `<a href="/ldxx/">区长信箱</a> <a href="/xw/1.html">新闻</a>`},
		"/xw/1.html": {"新闻", `<p>新闻内容。</p>`},
		"/ldxx/": {"区长信箱", fmt.Sprintf(`<table><tr><th>信件标题</th><th>来信时间</th><th>回复时间</th><th>状态</th></tr>
			<tr><td>关于路灯的反映</td><td>%s</td><td></td><td>办理中</td></tr>
			<tr><td>关于停车的咨询</td><td>%s</td><td>%s</td><td>已办结</td></tr></table>`, ago(100), ago(10), ago(8))},
	})
	ts.down["/ldxx/"] = &atomic.Bool{}
	st := tempStore(t)
	ts.scan(t, st)
	ctx := context.Background()
	open, _ := st.Issues(ctx, store.Filter{Category: checks.InteractionUnanswered, Statuses: store.Unresolved})
	if len(open) == 0 {
		t.Fatal("the first scan found no unanswered letter")
	}
	ts.down["/ldxx/"].Store(true)
	rep := ts.scan(t, st)
	list, _ := st.Issues(ctx, store.Filter{Category: checks.InteractionUnanswered, Statuses: []store.Status{store.StatusVerified}})
	for _, is := range list {
		t.Errorf("scan %s verified %s %q without reading the mailbox", rep.Status, is.Rule, is.Evidence)
	}
}
