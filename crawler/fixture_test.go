package crawler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// fixture is a small district site in government-CMS markup with every
// fault the crawler must survive. It counts the requests each path gets.
type fixture struct {
	t        *testing.T
	srv      *httptest.Server
	external *httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	methods  map[string][]string
}

const cmsHead = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s_测试区人民政府</title>
<meta name="SiteName" content="测试区人民政府"><meta name="ColumnName" content="%s">
<link rel="stylesheet" href="/css/style.css"></head><body>
<div class="header"><a href="/">首页</a> <a href="/xwzx/">新闻中心</a> <a href="/search/?q=1">搜索</a></div>
<div class="nav"><ul><li><a href="/zwgk/">政务公开</a></li><li><a href="/nav-broken/">领导信箱</a></li></ul></div>`

const cmsFoot = `<div class="footer"><p>主办单位：测试区人民政府办公室</p><a href="/about/">关于我们</a></div></body></html>`

func page(title, body string) string {
	return fmt.Sprintf(cmsHead, title, title) + `<div class="main">` + body + `</div>` + cmsFoot
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{t: t, hits: map[string]int{}, methods: map[string][]string{}}
	ext := http.NewServeMux()
	ext.HandleFunc("/ok/", func(w http.ResponseWriter, r *http.Request) { f.hit(r); fmt.Fprint(w, "ok") })
	ext.HandleFunc("/gone/", func(w http.ResponseWriter, r *http.Request) { f.hit(r); http.Error(w, "gone", http.StatusGone) })
	ext.HandleFunc("/head405/", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		fmt.Fprint(w, "ok")
	})
	ext.HandleFunc("/busy/", func(w http.ResponseWriter, r *http.Request) {
		if f.hit(r) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, "ok")
	})
	ext.HandleFunc("/hang/", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	ext.HandleFunc("/reset/", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // close with RST
		}
		conn.Close()
	})
	ext.HandleFunc("/moved/", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		http.Redirect(w, r, "/", http.StatusMovedPermanently)
	})
	ext.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		fmt.Fprint(w, "<html><title>外站首页</title></html>")
	})
	f.external = httptest.NewServer(ext)
	t.Cleanup(f.external.Close)

	x := f.external.URL
	mux := http.NewServeMux()
	html := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			f.hit(r)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\nDisallow: /search/\n")
	})
	mux.HandleFunc("/{$}", html(page("首页", `
<div class="column-block"><h2>政务要闻</h2><a class="more" href="/xwzx/">更多</a><ul>
<li><a href="/xwzx/a1.html">区政府召开常务会议</a><span>2026-11-20</span></li>
<li><a href="/xwzx/a1.html#comments">区政府召开常务会议（评论）</a></li>
<li><a href="/xwzx/list.jsp?page=1&amp;col=2">列表</a><a href="/xwzx/list.jsp?col=2&amp;page=1">列表（参数顺序不同）</a></li>
<li><a href="/index.html">首页</a></li>
</ul></div>
<a href="/missing.html">已删除的文章</a>
<a href="/private/secret.html">内部页面</a>
<img src="/img/banner.jpg" alt="横幅">
<a href="/files/plan.pdf">2026年工作计划.pdf</a>
<a href="/gbk.html">GBK页面</a> <a href="/gbk-header.html">GBK页面（响应头声明）</a>
<a href="/calendar.jsp?month=2026-01">活动日历</a>
<a href="/soft404.html">旧文章</a>
<a href="/loop1.html">循环</a>
<a href="/err500.html">在线办事</a>
<a href="mailto:office@example.gov.cn">邮箱</a><a href="tel:0571-88880000">电话</a><a href="javascript:void(0)">脚本</a><a href="#top">顶部</a>
<a href="`+x+`/ok/">市政府</a> <a href="`+x+`/gone/">旧平台</a> <a href="`+x+`/head405/">不支持HEAD</a>
<a href="`+x+`/busy/">限流</a> <a href="`+x+`/hang/">超时</a> <a href="`+x+`/reset/">重置</a> <a href="`+x+`/moved/deep/page.html">被重定向到首页</a>
<a href="http://nonexistent.example.invalid/">不存在的域名</a>
<a href="/old-news/">旧栏目</a> <a href="/refresh.html">跳转页</a>
<a href="/big.html">大页面</a> <a href="/manylinks.html">链接很多</a> <a href="/malformed.html">残缺HTML</a>`)))
	mux.HandleFunc("/xwzx/{$}", html(page("新闻中心", `<ul><li><a href="a1.html">区政府召开常务会议</a></li><li><a href="./a1.html">同一篇</a></li></ul>`)))
	mux.HandleFunc("/xwzx/a1.html", html(page("区政府召开常务会议", `<p>正文</p><a href="/xwzx/a2.html">下一篇</a>`)))
	mux.HandleFunc("/xwzx/a2.html", html(page("下一篇", `<p>正文</p><a href="../xwzx/a1.html">上一篇</a>`)))
	mux.HandleFunc("/old-news/", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		http.Redirect(w, r, "/xwzx/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/refresh.html", html(`<html><head><meta http-equiv="refresh" content="0; URL='/zwgk/refresh-target.html'"></head><body></body></html>`))
	mux.HandleFunc("/zwgk/refresh-target.html", html(page("跳转目标", `<p>正文</p>`)))
	mux.HandleFunc("/xwzx/list.jsp", html(page("列表", `<p>列表</p>`)))
	mux.HandleFunc("/zwgk/", html(page("政务公开", `<p>政务公开</p>`)))
	mux.HandleFunc("/about/", html(page("关于我们", `<p>关于</p>`)))
	mux.HandleFunc("/css/style.css", func(w http.ResponseWriter, r *http.Request) { f.hit(r); fmt.Fprint(w, "body{}") })
	mux.HandleFunc("/img/banner.jpg", func(w http.ResponseWriter, r *http.Request) { f.hit(r); w.Write([]byte{0xff, 0xd8}) })
	mux.HandleFunc("/files/plan.pdf", func(w http.ResponseWriter, r *http.Request) { f.hit(r); http.NotFound(w, r) })
	mux.HandleFunc("/private/", html(page("内部", "")))
	mux.HandleFunc("/search/", html(page("搜索", "")))
	mux.HandleFunc("/soft404.html", html(`<html><head><meta charset="utf-8"><title>提示</title></head><body>您访问的页面不存在或已被删除！</body></html>`))
	mux.HandleFunc("/loop1.html", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		http.Redirect(w, r, "/loop2.html", http.StatusFound)
	})
	mux.HandleFunc("/loop2.html", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		http.Redirect(w, r, "/loop1.html", http.StatusFound)
	})
	mux.HandleFunc("/err500.html", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/calendar.jsp", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		m, _ := time.Parse("2006-01", r.URL.Query().Get("month"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("日历", fmt.Sprintf(`<a href="/calendar.jsp?month=%s">下一月</a>`, m.AddDate(0, 1, 0).Format("2006-01"))))
	})
	mux.HandleFunc("/gbk.html", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		padding := "<!-- " + strings.Repeat("内容管理系统模板 ", 120) + "-->"
		body := `<!DOCTYPE html><html><head>` + padding + `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于做好冬季安全生产工作的通知</title></head><body><div class="main"><p>各街道、各部门：请按装监控设备。</p></div></body></html>`
		out, _ := simplifiedchinese.GBK.NewEncoder().String(body)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, out)
	})
	mux.HandleFunc("/gbk-header.html", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		body := `<!DOCTYPE html><html><head><title>区应急管理局关于做好冬季安全生产工作的通知</title></head>
<body><div class="main"><p>各街道：请按装烟感报警器，布署到位。</p></div></body></html>`
		out, _ := simplifiedchinese.GBK.NewEncoder().String(body)
		w.Header().Set("Content-Type", "text/html; charset=gbk") // declared in the header only
		fmt.Fprint(w, out)
	})
	mux.HandleFunc("/big.html", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("大页面", strings.Repeat("<p>青溪区人民政府工作报告正文段落。</p>\n", 5<<20/60)))
	})
	mux.HandleFunc("/manylinks.html", func(w http.ResponseWriter, r *http.Request) {
		f.hit(r)
		var b strings.Builder
		for i := range 3000 {
			fmt.Fprintf(&b, `<a href="/xwzx/a1.html?from=%d#x">链接%d</a>`, i%5, i)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("链接很多", b.String()))
	})
	mux.HandleFunc("/malformed.html", html(`<html><head><title>残缺<body><div><p>未闭合<table><tr><td><a href="/xwzx/a2.html">下一篇<div></span></p></html>`))
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) hit(r *http.Request) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := r.URL.Path
	if r.Host != f.srv.Listener.Addr().String() {
		key = "ext" + key
	}
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	f.hits[key]++
	f.methods[key] = append(f.methods[key], r.Method)
	return f.hits[key]
}

func (f *fixture) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

// testOptions are fast and still exercise every politeness mechanism.
func testOptions() Options {
	return Options{
		UserAgent: "xunjian-test/1.0 (test@example.gov.cn)", Concurrency: 2, Timeout: time.Second,
		Retries: 1, RetryWait: 10 * time.Millisecond, RecheckAfter: 10 * time.Millisecond, CheckExternal: true,
		MaxQueryVariants: 5, Dial: testDial,
	}
}

// testDial keeps every connection on loopback; other names do not resolve.
func testDial(ctx context.Context, network, addr string) (net.Conn, error) {
	return LoopbackOnly(ctx, network, addr)
}

func (f *fixture) crawl(t *testing.T, opts Options) *Result {
	t.Helper()
	res, err := New(opts).Run(context.Background(), f.srv.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func target(t *testing.T, res *Result, rawURL string) Target {
	t.Helper()
	for _, tg := range res.Targets {
		if tg.FetchURL == rawURL || tg.URL == rawURL {
			return tg
		}
	}
	t.Fatalf("no target %s", rawURL)
	return Target{}
}
