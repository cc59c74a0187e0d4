package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func BenchmarkNormalize(b *testing.B) {
	u, _ := url.Parse("http://WWW.Example.gov.cn:80/xwzx/./zwyw/../index.html?page=2&col=1&jsessionid=X#top")
	for b.Loop() {
		Normalize(u)
	}
}

// BenchmarkCrawl crawls a 1,000-page loopback site (30 links a page) with 10
// connections and no delay; pages/s is reported. bench/run.sh measures a
// whole scan (with the database) on 20,000 pages.
func BenchmarkCrawl(b *testing.B) {
	const pages = 1000
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/p/"), ".html"))
		var sb strings.Builder
		sb.WriteString(`<html><head><meta charset="utf-8"><title>文章</title></head><body><div class="nav"><a href="/">首页</a></div><div class="main"><p>正文内容。</p>`)
		for k := range 30 {
			fmt.Fprintf(&sb, `<a href="/p/%d.html">文章%d</a>`, (i*31+k*97+1)%pages, k)
		}
		sb.WriteString(`</div></body></html>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(sb.String()))
	}))
	defer srv.Close()
	opts := Options{Concurrency: 10, CheckExternal: true, MaxPages: 2 * pages}
	var fetched int
	for b.Loop() {
		res, err := New(opts).Run(context.Background(), srv.URL+"/p/0.html", nil)
		if err != nil {
			b.Fatal(err)
		}
		fetched += res.Stats.Pages
	}
	b.ReportMetric(float64(fetched)/b.Elapsed().Seconds(), "pages/s")
}
