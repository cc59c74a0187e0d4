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

// A site whose mailbox lives on the city's platform (no channel on the
// site itself) and whose news list links one removed article about 人大代表
// 建议: the dead news link becomes "网站唯一的互动渠道…无法访问", high,
// failing 互动回应差.
func TestInteraction_ADeadNewsLinkIsNoChannel(t *testing.T) {
	ctx := context.Background()
	opts := options()
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body>%s</body></html>`, title, body)
	}
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		page(w, "首页", `<ul><li><a href="/xw/1.html">区政府召开人大代表建议和政协提案交办会</a><span>2026-11-20</span></li>
			<li><a href="/xw/2.html">区政府常务会议研究部署安全生产工作</a><span>2026-11-21</span></li></ul>`)
	})
	mux.HandleFunc("/xw/2.html", func(w http.ResponseWriter, r *http.Request) { page(w, "新闻", `<p>会议内容。</p>`) })
	mux.HandleFunc("/xw/1.html", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := tempStore(t)
	if _, err := Run(ctx, st, Site{Name: "测试区", URL: srv.URL + "/"}, opts); err != nil {
		t.Fatal(err)
	}
	list, _ := st.Issues(ctx, store.Filter{Category: checks.InteractionUnanswered})
	for _, is := range list {
		t.Errorf("false interaction issue: %s %s %s: %s", is.Severity, is.Rule, is.Evidence, is.Message)
	}
}

// A low-traffic mailbox: every letter answered within days, the last one
// asked 75 days ago. Nothing is waiting for a reply, yet the channel is
// reported as having stopped answering.
func TestInteraction_NothingWaitingIsNotQuiet(t *testing.T) {
	ctx := context.Background()
	opts := options()
	now := opts.Now()
	day := func(ago int) string { return now.AddDate(0, 0, -ago).Format("2006-01-02") }
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body>%s</body></html>`, title, body)
	}
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		page(w, "首页", `<a href="/ldxx/">区长信箱</a>`)
	})
	mux.HandleFunc("/ldxx/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "区长信箱", fmt.Sprintf(`<table><tr><th>信件标题</th><th>来信时间</th><th>回复时间</th><th>状态</th></tr>
			<tr><td>关于路灯的反映</td><td>%s</td><td>%s</td><td>已办结</td></tr>
			<tr><td>关于停车的咨询</td><td>%s</td><td>%s</td><td>已办结</td></tr></table>`, day(75), day(73), day(120), day(118)))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := tempStore(t)
	if _, err := Run(ctx, st, Site{Name: "测试区", URL: srv.URL + "/"}, opts); err != nil {
		t.Fatal(err)
	}
	list, _ := st.Issues(ctx, store.Filter{Category: checks.InteractionUnanswered})
	for _, is := range list {
		t.Errorf("false interaction issue: %s %s %s: %s", is.Severity, is.Rule, is.Evidence, is.Message)
	}
}

// Ordinary pages of 互动交流: an 在线访谈 transcript (网友提问 with 提问时间,
// answered inline by the guest) and a 公开征求意见 notice (意见提交时间 …至…).
func TestInteraction_InterviewAndConsultationNoticeAreNoMessages(t *testing.T) {
	ctx := context.Background()
	opts := options()
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, crumb, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/hdjl/">互动交流</a> &gt; %s</div>%s</body></html>`, crumb, crumb, body)
	}
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>首页</title></head><body><a href="/hdjl/zxft/1.html">在线访谈：聚焦义务教育招生</a> <a href="/hdjl/zjdc/1.html">关于公开征求《青溪区养犬管理办法（征求意见稿）》意见的公告</a></body></html>`)
	})
	mux.HandleFunc("/hdjl/zxft/1.html", func(w http.ResponseWriter, r *http.Request) {
		page(w, "在线访谈", `<h1>聚焦义务教育招生</h1><p>访谈嘉宾：区教育局局长</p>
			<div class="q"><p>网友“青溪家长”提问：学区如何划分？</p><p>提问时间：2026-06-15 10:23</p></div>
			<div class="a"><p>嘉宾：学区划分以就近入学为原则……</p></div>`)
	})
	mux.HandleFunc("/hdjl/zjdc/1.html", func(w http.ResponseWriter, r *http.Request) {
		page(w, "意见征集", `<h1>关于公开征求《青溪区养犬管理办法（征求意见稿）》意见的公告</h1>
			<p>为广泛听取社会各界意见建议，现将征求意见稿全文公布。</p><p>意见提交时间：2026年7月1日至2026年7月31日</p>
			<p>联系电话：0571-88880000</p>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := tempStore(t)
	if _, err := Run(ctx, st, Site{Name: "测试区", URL: srv.URL + "/"}, opts); err != nil {
		t.Fatal(err)
	}
	list, _ := st.Issues(ctx, store.Filter{Category: checks.InteractionUnanswered})
	for _, is := range list {
		t.Errorf("false interaction issue: %s %s %s: %s", is.Severity, is.Rule, is.Evidence, is.Message)
	}
}

// The mailbox list times out (or the letter moved to page 2) on the next
// night: the unanswered letter's issue is "verified fixed" by a complete
// scan that never saw the letter.
func TestInteraction_AnUnreadMailboxVerifiesNothing(t *testing.T) {
	ctx := context.Background()
	opts := options()
	now := opts.Now()
	day := func(ago int) string { return now.AddDate(0, 0, -ago).Format("2006-01-02") }
	var down atomic.Bool
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body>%s</body></html>`, title, body)
	}
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		page(w, "首页", `<a href="/ldxx/">区长信箱</a> <a href="/xw/1.html">新闻</a>`)
	})
	mux.HandleFunc("/xw/1.html", func(w http.ResponseWriter, r *http.Request) { page(w, "新闻", `<p>新闻内容。</p>`) })
	mux.HandleFunc("/ldxx/", func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		page(w, "区长信箱", fmt.Sprintf(`<table><tr><th>信件标题</th><th>来信时间</th><th>回复时间</th><th>状态</th></tr>
			<tr><td>关于路灯的反映</td><td>%s</td><td></td><td>办理中</td></tr>
			<tr><td>关于停车的咨询</td><td>%s</td><td>%s</td><td>已办结</td></tr></table>`, day(100), day(10), day(8)))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := tempStore(t)
	site := Site{Name: "测试区", URL: srv.URL + "/"}
	if _, err := Run(ctx, st, site, opts); err != nil {
		t.Fatal(err)
	}
	down.Store(true)
	rep, err := Run(ctx, st, site, opts)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := st.Issues(ctx, store.Filter{Category: checks.InteractionUnanswered, Statuses: []store.Status{store.StatusVerified}})
	for _, is := range list {
		t.Errorf("scan %s (status %s) verified %s %q without reading the mailbox", rep.Status, rep.Status, is.Rule, is.Evidence)
	}
}
