package crawler

import (
	"context"
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
		"/index.shtml":  `<html><body><div class="main"><ul><li><a href="/xwzx/a.html">区政府召开常务会议</a> 2026-11-20</li></ul><a href="/gone.html">旧页</a></div></body></html>`,
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
	article := `<html><body><div class="main"><h1>关于做好冬季安全生产工作的通知</h1><p>请按装烟感报警器。</p></div></body></html>`
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
