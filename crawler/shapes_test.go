package crawler

import (
	"context"
	"net"
	"sync/atomic"

	"golang.org/x/text/encoding/simplifiedchinese"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// serve answers each path with a page; a value starting with "301 " or
// "302 " redirects there.
func serve(t *testing.T, pages map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		body, ok := pages[key]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(body, "301 ") || strings.HasPrefix(body, "302 ") {
			code := http.StatusMovedPermanently
			if body[:3] == "302" {
				code = http.StatusFound
			}
			http.Redirect(w, r, body[4:], code)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func run(t *testing.T, start string) (*Result, map[string]*Page) {
	t.Helper()
	var mu sync.Mutex
	pages := map[string]*Page{}
	res, err := New(testOptions()).Run(context.Background(), start, func(p *Page) {
		mu.Lock()
		pages[p.URL] = p
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	return res, pages
}

// The commonest redirect on government sites, /dir/ → /dir/index.html, is
// no loop; the exact address coming back is.
func TestCrawl_RedirectToIndexIsNoLoop(t *testing.T) {
	ext := serve(t, map[string]string{
		"/":           "301 /index.html",
		"/index.html": "<html><body>天津政务网</body></html>",
		"/loop/a":     "302 /loop/b",
		"/loop/b":     "302 /loop/a",
		"/self/":      "302 /self/",
	})
	site := serve(t, map[string]string{
		"/": `<html><body><div class="main"><a href="` + ext.URL + `/">天津</a> <a href="` + ext.URL + `/loop/a">环</a> <a href="` + ext.URL + `/self/">自</a></div></body></html>`,
	})
	res, _ := run(t, site.URL+"/")
	if st := target(t, res, ext.URL+"/").Status; st.Broken() {
		t.Errorf("301 to index.html reported: %+v", st)
	}
	for _, u := range []string{ext.URL + "/loop/a", ext.URL + "/self/"} {
		if st := target(t, res, u).Status; st.Problem != RedirectLoop {
			t.Errorf("%s: %+v, want a loop", u, st)
		}
	}
}

// A home page that only redirects by script: the target is the home page,
// and the whole site is crawled.
func TestCrawl_ScriptRedirectHome(t *testing.T) {
	site := serve(t, map[string]string{
		"/":             `<html><head><script>window.location.href="/index.shtml";</script></head><body><noscript><a href="/index.shtml">进入首页</a></noscript></body></html>`,
		"/index.shtml":  `<html><body><div class="main"><ul><li><a href="/xwzx/a.html">区政府召开常务会议</a> 2026-11-20</li></ul><a href="/gone.html">旧页</a> <a href="/redirect.htm">专题</a></div></body></html>`,
		"/xwzx/a.html":  `<html><body><div class="main"><p>正文</p></div></body></html>`,
		"/redirect.htm": `<meta http-equiv="refresh" content="0;url=/index.shtml">`,
	})
	res, pages := run(t, site.URL+"/")
	if !res.Complete || res.Targets[res.Start].URL != site.URL+"/index.shtml" {
		t.Fatalf("complete %v, home %s", res.Complete, res.Targets[res.Start].URL)
	}
	if p := pages[site.URL+"/index.shtml"]; p == nil || !p.IsHome {
		t.Errorf("index.shtml not the home page: %+v", p)
	}
	if pages[site.URL+"/"] != nil {
		t.Errorf("the redirect stub was checked as a page")
	}
	if pages[site.URL+"/xwzx/a.html"] == nil || !target(t, res, site.URL+"/gone.html").Status.Broken() {
		t.Errorf("the site behind the redirect was not crawled: %d pages", len(pages))
	}
	if st := target(t, res, site.URL+"/redirect.htm").Status; st.Broken() {
		t.Errorf("a page with a <meta> refresh: %+v", st)
	}
}

// Two stubs in a row (/ → /index.shtml → /portal/) while the first stub's
// fallback links are crawled: the home ends at the portal (and -race sees
// no unguarded read of it). A stub sending phones to /m/ and the rest to
// the portal moves to the portal.
func TestCrawl_HomeStubs(t *testing.T) {
	portal := `<html><body><div class="main"><ul><li><a href="/xwzx/a.html">区政府召开常务会议</a> 2026-11-20</li></ul></div></body></html>`
	for name, home := range map[string]string{
		"chain":  `<script>location.href="/index.shtml";</script><noscript><a href="/a.html">甲</a><a href="/b.html">乙</a></noscript>`,
		"mobile": `<script>if(/Mobile/.test(navigator.userAgent)){location.href="/m/index.html";}else{location.href="/portal/";}</script>`,
	} {
		t.Run(name, func(t *testing.T) {
			site := serve(t, map[string]string{
				"/": home, "/index.shtml": `<script>window.location.replace("/portal/")</script>`,
				"/portal/": portal, "/m/index.html": `<p>手机版</p>`, "/a.html": "<p>甲</p>", "/b.html": "<p>乙</p>",
				"/xwzx/a.html": "<p>正文</p>",
			})
			res, pages := run(t, site.URL+"/")
			if got := res.Targets[res.Start].URL; got != site.URL+"/portal/" || !res.Complete {
				t.Errorf("home %s, complete %v", got, res.Complete)
			}
			if p := pages[site.URL+"/portal/"]; p == nil || !p.IsHome {
				t.Errorf("the portal is not the home page")
			}
		})
	}
}

// A bare domain whose home page only sends browsers to another host: one
// page, not complete, and a note says where it went.
func TestCrawl_OffsiteHomeIsNotComplete(t *testing.T) {
	site := serve(t, map[string]string{"/": `<script>window.location.href="http://www.example.gov.cn/";</script>`})
	res, _ := run(t, site.URL+"/")
	if res.Complete || !strings.Contains(strings.Join(res.Stats.Notes, " "), "首页跳转到其他域名 http://www.example.gov.cn/") {
		t.Errorf("complete %v, notes %q", res.Complete, res.Stats.Notes)
	}
}

// A server that sets a cookie and redirects back to the same address once
// (a WAF's handshake) is no loop.
func TestCrawl_CookieHandshakeIsNoLoop(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("waf"); err != nil {
			http.SetCookie(w, &http.Cookie{Name: "waf", Value: "ok", Path: "/"})
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><body><div class="main"><p>区政府门户网站</p></div></body></html>`))
	}))
	defer srv.Close()
	res, _ := run(t, srv.URL+"/")
	if st := res.Targets[res.Start].Status; st.Broken() || !res.Complete {
		t.Errorf("home %+v", st)
	}
}

// A malformed Content-Type naming GBK (mime.ParseMediaType refuses it) is
// still decoded once.
func TestCrawl_MalformedContentTypeDecodedOnce(t *testing.T) {
	body, _ := simplifiedchinese.GBK.NewEncoder().String(`<html><head><title>区应急管理局关于做好冬季安全生产工作的通知</title></head><body><p>正文</p></body></html>`)
	for _, ct := range []string{"text/html;;charset=gbk", "text/html,charset=gbk", "text/html; charset=gbk; charset=utf-8"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Write([]byte(body))
		}))
		res, pages := run(t, srv.URL+"/")
		srv.Close()
		p := pages[res.Targets[res.Start].URL]
		if p == nil || p.Title != "区应急管理局关于做好冬季安全生产工作的通知" {
			t.Errorf("%s: %+v", ct, p)
		}
	}
}

// Two columns that serve the same “暂无信息” page are two columns: only an
// article, one path, or a canonical link folds URLs together.
func TestCrawl_IdenticalListPagesAreNotFolded(t *testing.T) {
	empty := `<html><body><div class="main"><ul><li>暂无信息</li></ul></div></body></html>`
	site := serve(t, map[string]string{
		"/":      `<html><body><div class="main"><a href="/jyta/">建议提案</a> <a href="/zdly/">重点领域</a></div></body></html>`,
		"/jyta/": empty, "/zdly/": empty,
	})
	res, pages := run(t, site.URL+"/")
	if len(res.Aliases) != 0 || pages[site.URL+"/jyta/"] == nil || pages[site.URL+"/zdly/"] == nil {
		t.Errorf("aliases %v, %d pages", res.Aliases, len(pages))
	}
}

// Malformed hrefs are kept with the page they are on.
func TestCrawl_BadLinks(t *testing.T) {
	site := serve(t, map[string]string{
		"/": `<html><body><div class="main"><a href="https;//www.gov.cn/x">国务院</a><a href="` + "\u200b" + `https://www.gov.cn/">政府网</a><a href="http://127.0.0.1:____/x">本地</a></div></body></html>`,
	})
	res, _ := run(t, site.URL+"/")
	if len(res.BadLinks) != 3 {
		t.Fatalf("bad links %+v", res.BadLinks)
	}
	for _, b := range res.BadLinks {
		if res.Targets[b.From].URL != site.URL+"/" || b.Reason == "" || b.Anchor == "" {
			t.Errorf("%+v", b)
		}
	}
}

// One page under two URLs (a static URL and its dynamic alias) is checked
// once, and reported under the same URL whichever was fetched first.
func TestCrawl_AliasesCheckedOnce(t *testing.T) {
	article := `<html><body><div class="main"><h1>关于做好冬季安全生产工作的通知</h1><div class="info">发布时间：2026-11-20</div><p>请按装烟感报警器。</p></div></body></html>`
	site := serve(t, map[string]string{
		"/":                          `<html><body><div class="main"><a href="/tzgg/t20261120_1.html">通知</a> <a href="/content.jsp?col=tzgg&id=1">通知</a> <a href="/content.jsp/?col=tzgg&id=1">通知</a></div></body></html>`,
		"/tzgg/t20261120_1.html":     article,
		"/content.jsp?col=tzgg&id=1": article,
	})
	for range 3 {
		res, pages := run(t, site.URL+"/")
		n := 0
		for u := range pages {
			if strings.Contains(pages[u].Doc.Text, "按装") {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("the article was checked %d times", n)
		}
		if got := res.Aliases[site.URL+"/content.jsp?col=tzgg&id=1"]; got != site.URL+"/tzgg/t20261120_1.html" {
			t.Fatalf("aliases %v", res.Aliases)
		}
	}
}

// An outside site that redirects into this machine (a metadata service, a
// neighbour's admin page) is not followed and says so; the district's own
// site on an intranet address keeps working.
func TestCrawl_RedirectIntoTheIntranetRefused(t *testing.T) {
	var secret atomic.Int32
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret.Add(1)
		w.Write([]byte("内网管理页面"))
	}))
	defer inner.Close()
	outside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/secret", http.StatusFound)
	}))
	defer outside.Close()
	site := serve(t, map[string]string{
		"/":     `<html><body><div class="main"><a href="http://outside.example.com/x">外站</a> <a href="/own">本站</a></div></body></html>`,
		"/own":  "301 /own/",
		"/own/": `<html><body>本站内网页面</body></html>`,
	})
	opts := testOptions()
	// outside.example.com is the outside server; every other name is what
	// it says (loopback).
	opts.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if strings.HasPrefix(addr, "outside.example.com:") {
			addr = strings.TrimPrefix(outside.URL, "http://")
		}
		return LoopbackOnly(ctx, network, addr)
	}
	res, err := New(opts).Run(context.Background(), site.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := target(t, res, "http://outside.example.com/x").Status; st.Problem != IntranetRedirect {
		t.Errorf("outside link: %+v", st)
	}
	if st := target(t, res, site.URL+"/own").Status; st.Broken() {
		t.Errorf("the site's own redirect on its intranet address: %+v", st)
	}
	if got := secret.Load(); got != 0 {
		t.Errorf("the intranet page was requested %d times", got)
	}
}
