package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

// A quiet channel (a letter waiting, no reply since) rests on every message
// of the channel: a patrol that read only the list's first page — the
// waiting letter pushed to the second, its own page answering 304 — does
// not verify it; full crawls judge it.
func TestNightly_QuietChannelNotVerifiedFromFirstListPage(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	day0 := time.Date(2026, 12, 1, 2, 30, 0, 0, zone)
	var mu sync.Mutex
	type letter struct {
		path, title string
		asked       int // days before day0
		answered    int // days before day0; -1: not answered
	}
	letters := []letter{ // newest first
		{"/hdjl/zxzx/b.html", "关于公积金提取的咨询", 70, -1},
		{"/hdjl/zxzx/a.html", "关于社保转移的咨询", 200, 190},
		{"/hdjl/zxzx/e.html", "关于户籍迁移的咨询", 300, 290},
	}
	day := func(ago int) string { return day0.AddDate(0, 0, -ago).Format("2006-01-02") }
	page := func(crumb, body string) string {
		return fmt.Sprintf(`<html><head><title>%s</title></head><body><div class="position">当前位置：<a href="/">首页</a> &gt; %s</div>%s</body></html>`, crumb, crumb, body)
	}
	render := func(path string) (string, bool) {
		mu.Lock()
		defer mu.Unlock()
		if path == "/" {
			return page("首页", `<div class="nav"><a href="/hdjl/zxzx/">在线咨询</a></div>`), true
		}
		pages := (len(letters) + 1) / 2
		for p := 0; p < pages; p++ {
			name := "/hdjl/zxzx/"
			if p > 0 {
				name = fmt.Sprintf("/hdjl/zxzx/index_%d.html", p)
			}
			if path != name {
				continue
			}
			var b strings.Builder
			b.WriteString(`<ul class="list">`)
			for _, l := range letters[p*2 : min(len(letters), p*2+2)] {
				state := "[已回复]"
				if l.answered < 0 {
					state = "[未回复]"
				}
				fmt.Fprintf(&b, `<li><span>%s</span><a href="%s">%s</a><span class="date">%s</span></li>`, state, l.path, l.title, day(l.asked))
			}
			b.WriteString(`</ul><div class="page">`)
			for q := 0; q < pages; q++ {
				n := "/hdjl/zxzx/"
				if q > 0 {
					n = fmt.Sprintf("/hdjl/zxzx/index_%d.html", q)
				}
				fmt.Fprintf(&b, `<a href="%s">%d</a>`, n, q+1)
			}
			b.WriteString(`</div>`)
			return page("在线咨询", b.String()), true
		}
		for _, l := range letters {
			if l.path == path {
				body := fmt.Sprintf(`<p>咨询标题：%s</p><p>咨询时间：%s</p>`, l.title, day(l.asked))
				if l.answered >= 0 {
					body += fmt.Sprintf(`<p>办理状态：已回复</p><p>回复时间：%s</p><p>回复内容：已办理。</p>`, day(l.answered))
				} else {
					body += `<p>办理状态：未回复</p>`
				}
				return page("在线咨询", body), true
			}
		}
		return "", false
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := render(r.URL.Path)
		serveWithETag(w, r, body, ok)
	}))
	defer srv.Close()

	clock := day0
	policy := &Nightly{ArchiveDays: 7, RecentDays: 3, FullDays: -1, LinkDays: 7, Zone: zone}
	opts := func() Options {
		return Options{Crawl: crawler.Options{Concurrency: 1, Workers: 1, Timeout: 2 * time.Second, Dial: crawler.LoopbackOnly},
			Nightly: policy, Now: func() time.Time { return clock }, Heartbeat: time.Hour}
	}
	st := storetest.Open(t)
	ctx := context.Background()
	s := Site{Name: "测试区", URL: srv.URL + "/", Owner: "区政府办"}
	if rep, err := Run(ctx, st, s, opts()); err != nil || rep.Status != store.ScanComplete {
		t.Fatalf("full crawl: %v %v", rep.Status, err)
	}
	quiet := issueOn(t, st, s.Name, srv.URL+"/hdjl/zxzx/", checks.RuleChannelQuiet)
	issueOn(t, st, s.Name, srv.URL+"/hdjl/zxzx/b.html", checks.RuleMessageUnanswered)

	// A night on which the list's second page is not on its rotation.
	night := 0
	for n := 1; n < 7; n++ {
		at := day0.AddDate(0, 0, n)
		if !due(srv.URL+"/hdjl/zxzx/index_1.html", day0, 7, nightOf(at, zone), at) {
			night = n
			break
		}
	}
	if night == 0 {
		t.Skip("no night without the second list page due")
	}
	clock = day0.AddDate(0, 0, night)
	mu.Lock()
	letters = append([]letter{
		{"/hdjl/zxzx/d.html", "关于停车位的咨询", -night + 1, -1},
		{"/hdjl/zxzx/c.html", "关于路灯维修的咨询", -night + 1, -1},
	}, letters...)
	mu.Unlock()
	rep, err := Run(ctx, st, s, opts())
	if err != nil || !rep.Incremental || rep.Status != store.ScanComplete {
		t.Fatalf("night %d: incremental %v %s %v", night, rep.Incremental, rep.Status, err)
	}
	now, _ := st.Issue(ctx, quiet.ID)
	if now.Status == store.StatusVerified {
		t.Errorf("night %d: the quiet channel's issue was verified fixed; its 70-day letter still waits (on the list's 2nd page, not read tonight; its own page answered 304)", night)
	}
}
