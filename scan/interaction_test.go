package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// channelSite is a district site with the common layouts of consultation
// channels — a TRS 咨询 list whose rows say their state, a JCMS 领导信箱
// table, a 征集 whose messages show only on their own pages, a dead 投诉
// link — and its traps: an 办件公示 list with states, a news article
// about the mailbox. replied publishes the overdue letter's reply.
type channelSite struct {
	srv     *httptest.Server
	replied atomic.Bool
}

func newChannelSite(t *testing.T, now time.Time) *channelSite {
	cs := &channelSite{}
	day := func(ago int) string { return now.AddDate(0, 0, -ago).Format("2006-01-02") }
	page := func(w http.ResponseWriter, crumb, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body><div class="position">当前位置：<a href="/">首页</a> &gt; %s</div>%s</body></html>`,
			crumb, crumb, body)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		page(w, "首页", `<div class="nav"><a href="/hdjl/zxzx/">在线咨询</a> <a href="/hdjl/ldxx/">书记信箱</a> <a href="/hdjl/zj/">意见征集</a>
			<a href="/hdjl/ts/">投诉举报</a> <a href="/bjgs/">办件公示</a> <a href="/xwzx/1.html">领导信箱开通</a></div>`)
	})
	mux.HandleFunc("/hdjl/zxzx/", func(w http.ResponseWriter, r *http.Request) { // TRS: states in the rows
		page(w, "在线咨询", fmt.Sprintf(`<ul class="list">
			<li><span>[已回复]</span><a href="./202607/t1.html">关于社保转移的咨询</a><span class="date">%s</span></li>
			<li><span>[未回复]</span><a href="./202608/t2.html">关于公积金提取的咨询</a><span class="date">%s</span></li></ul>`, day(30), day(95)))
	})
	mux.HandleFunc("/hdjl/zxzx/202607/t1.html", func(w http.ResponseWriter, r *http.Request) {
		page(w, "在线咨询", fmt.Sprintf(`<p>咨询标题：关于社保转移的咨询</p><p>咨询时间：%s</p><p>回复时间：%s</p><p>回复内容：请携带身份证到社保大厅办理。</p>`, day(30), day(25)))
	})
	mux.HandleFunc("/hdjl/zxzx/202608/t2.html", func(w http.ResponseWriter, r *http.Request) {
		if cs.replied.Load() {
			page(w, "在线咨询", fmt.Sprintf(`<p>咨询标题：关于公积金提取的咨询</p><p>咨询时间：%s</p><p>办理状态：已回复</p><p>回复时间：%s</p>`, day(95), day(1)))
			return
		}
		page(w, "在线咨询", fmt.Sprintf(`<p>咨询标题：关于公积金提取的咨询</p><p>咨询时间：%s</p><p>办理状态：未回复</p>`, day(95)))
	})
	mux.HandleFunc("/hdjl/ldxx/", func(w http.ResponseWriter, r *http.Request) { // JCMS: a table of letters
		page(w, "书记信箱", fmt.Sprintf(`<table><tr><th>信件标题</th><th>来信时间</th><th>回复时间</th><th>状态</th></tr>
			<tr><td><a href="/art/1.html">关于老旧小区改造的建议</a></td><td>%s</td><td>%s</td><td>已办结</td></tr>
			<tr><td><a href="/art/2.html">关于农贸市场搬迁的反映</a></td><td>%s</td><td></td><td>办理中</td></tr></table>`, day(50), day(40), day(70)))
	})
	mux.HandleFunc("/art/", func(w http.ResponseWriter, r *http.Request) { page(w, "书记信箱", `<p>来信内容略。</p>`) })
	mux.HandleFunc("/hdjl/zj/", func(w http.ResponseWriter, r *http.Request) { // 征集: messages on their own pages
		page(w, "意见征集", `<ul><li><a href="/hdjl/zj/1.html">对《青溪区养犬管理办法》的意见</a></li></ul>`)
	})
	mux.HandleFunc("/hdjl/zj/1.html", func(w http.ResponseWriter, r *http.Request) {
		page(w, "意见征集", fmt.Sprintf(`<table><tr><td>留言标题</td><td>对《青溪区养犬管理办法》的意见</td></tr>
			<tr><td>留言时间</td><td>%s</td></tr><tr><td>答复时间</td><td>%s</td></tr></table>`, day(20), day(12)))
	})
	mux.HandleFunc("/hdjl/ts/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "维护中", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/bjgs/", func(w http.ResponseWriter, r *http.Request) { // trap: states, but no channel
		page(w, "办件公示", fmt.Sprintf(`<ul><li><span>[办理中]</span><a href="/bjgs/1.html">张某某的个体工商户登记</a><span>%s</span></li></ul>`, day(200)))
	})
	mux.HandleFunc("/bjgs/1.html", func(w http.ResponseWriter, r *http.Request) { page(w, "办件公示", `<p>办件详情。</p>`) })
	mux.HandleFunc("/xwzx/1.html", func(w http.ResponseWriter, r *http.Request) { // trap: about the mailbox
		page(w, "新闻中心", `<p>区领导信箱正式开通，市民可随时留言，留言时间不限，相关部门将在5个工作日内答复。</p><p>发布时间：2026-11-20</p>`)
	})
	cs.srv = httptest.NewServer(mux)
	t.Cleanup(cs.srv.Close)
	return cs
}

func TestRun_Interaction(t *testing.T) {
	ctx := context.Background()
	opts := options()
	now := opts.Now()
	cs := newChannelSite(t, now)
	st := tempStore(t)
	site := Site{Name: "测试区", URL: cs.srv.URL + "/", Owner: "区政府办公室"}
	rep, err := Run(ctx, st, site, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Channels != 3 || rep.Interaction.Messages != 5 || rep.Interaction.Answered != 3 || rep.Interaction.Unanswered != 2 {
		t.Errorf("channels %d, stats %+v", rep.Channels, rep.Interaction)
	}
	list, _ := st.Issues(ctx, store.Filter{Category: checks.InteractionUnanswered})
	got := map[string]string{}
	for _, is := range list {
		got[is.Rule] += is.Evidence + "|"
	}
	for _, want := range []struct{ rule, evidence string }{
		{checks.RuleMessageUnanswered, "关于公积金提取的咨询"},  // 95 days, the TRS row (its page says 未回复 too)
		{checks.RuleMessageUnanswered, "关于农贸市场搬迁的反映"}, // 70 days, the JCMS table
		{checks.RuleChannelUnreadable, "投诉举报"},
	} {
		if !strings.Contains(got[want.rule], want.evidence) {
			t.Errorf("%s: %q, want %q", want.rule, got[want.rule], want.evidence)
		}
	}
	if len(list) != 3 {
		t.Errorf("%d issues (a trap drew one?): %v", len(list), got)
	}
	// The reply is published: the next scan verifies the issue.
	cs.replied.Store(true)
	rep, err = Run(ctx, st, site, opts)
	if err != nil {
		t.Fatal(err)
	}
	// …and the reply after 94 days is one itself (the indicator counts a
	// message answered after 3 months).
	if rep.Summary.Verified != 1 || rep.Summary.New != 1 {
		t.Errorf("after the reply: %+v", rep.Summary)
	}
	if late, _ := st.Issues(ctx, store.Filter{Category: checks.InteractionUnanswered, Statuses: store.Unresolved}); !slices.ContainsFunc(late,
		func(is store.Issue) bool { return is.Rule == checks.RuleMessageLateReply }) {
		t.Errorf("no late reply among %+v", late)
	}
}
