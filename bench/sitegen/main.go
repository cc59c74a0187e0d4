// Command sitegen serves a synthetic district website on loopback for the
// whole-scan benchmark (bench/run.sh): N pages in government-CMS markup,
// each with ~30 internal and 2 external links, about 1 % of them broken.
// Pages are generated on the fly, deterministically, so the site costs no
// disk and every run sees the same graph.
//
// The site has versions for the nightly benchmark (bench/nightly.sh): POST
// /admin/version?n=1 (robots.txt keeps crawlers out of /admin/) turns it
// into the next night's site, with 1 % of the pages changed and 1 % new
// ones linked from them. Every page answers with an ETag and Last-Modified
// and honours If-None-Match / If-Modified-Since with 304 Not Modified.
package main

import (
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

func main() {
	pages := flag.Int("pages", 20000, "number of pages")
	addrFile := flag.String("addr-file", "", "write the site and external base URLs here, one per line")
	flag.Parse()

	extLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	siteLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	ext := "http://" + extLn.Addr().String()
	go http.Serve(extLn, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/e/"))
		if n%100 == 7 {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "<html><title>外站</title><body>外部网站</body></html>")
	}))
	site := "http://" + siteLn.Addr().String()
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(site+"/\n"+ext+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	var version atomic.Int64
	// The day each version was published: Last-Modified of what changed.
	published := []time.Time{time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC), time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)}
	// changed reports whether page i differs in version v: 1 % of the pages
	// (i%100 == 50) change from version 1 on.
	changed := func(i int, v int64) bool { return v >= 1 && i%100 == 50 }
	total := func(v int64) int { // the pages of version v: 1 % more from version 1 on
		if v >= 1 {
			return *pages + *pages/100
		}
		return *pages
	}
	para := strings.Repeat("青溪区人民政府认真贯彻落实党中央、国务院决策部署，坚持稳中求进工作总基调，扎实做好各项工作。", 20)
	log.Fatal(http.Serve(siteLn, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nDisallow: /admin/\n")
			return
		}
		if r.URL.Path == "/admin/version" && r.Method == http.MethodPost {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			version.Store(int64(min(max(n, 0), len(published)-1)))
			return
		}
		v := version.Load()
		i := 0
		if r.URL.Path != "/" {
			var err error
			i, err = strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/p/"), ".html"))
			if err != nil || i < 0 || i >= total(v) {
				http.NotFound(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// The page's own version: the version it last changed in (new
		// pages and changed ones are version 1's).
		own := int64(0)
		if changed(i, v) || i >= *pages || i == 0 && v >= 1 {
			own = v
		}
		h := fnv.New64a()
		fmt.Fprintf(h, "%d/%d", i, own)
		etag := fmt.Sprintf(`"%x"`, h.Sum64())
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", published[own].Format(http.TimeFormat))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && r.Header.Get("If-None-Match") == "" && !published[own].After(ims) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>第%d篇_青溪区人民政府</title>
<meta name="ColumnName" content="政务要闻"><meta name="PubDate" content="2026-11-20 10:19"></head><body>
<div class="header"><a href="/">首页</a></div><div class="nav"><ul>`, i)
		for k := range 8 { // navigation: the same on every page
			fmt.Fprintf(&b, `<li><a href="/p/%d.html">栏目%d</a></li>`, k, k)
		}
		b.WriteString(`</ul></div><div class="main"><h1>区政府工作动态</h1><p>` + para + `</p><ul>`)
		if own >= 1 {
			fmt.Fprintf(&b, `<p>本文于第%d版更新。</p>`, own)
		}
		if changed(i, v) { // a changed page links a new one
			fmt.Fprintf(&b, `<li><a href="/p/%d.html">新文章</a><span>2026-11-21</span></li>`, *pages+i/100)
		}
		for k := range 20 { // content links spread over the whole site
			j := (i*31 + k*977 + 1) % *pages
			fmt.Fprintf(&b, `<li><a href="/p/%d.html">文章%d</a><span>2026-11-20</span></li>`, j, j)
		}
		fmt.Fprintf(&b, `<li><a href="/p/%d.html">下一篇</a></li>`, (i+1)%*pages)
		if i%3 == 0 { // ~1 %% of all links are broken
			fmt.Fprintf(&b, `<li><a href="/missing/%d.html">已删除的文章</a></li>`, i)
		}
		fmt.Fprintf(&b, `</ul><p><a href="%s/e/%d">市政府</a> <a href="%s/e/%d">省政府</a></p></div>`, ext, i%500, ext, (i*7)%500)
		b.WriteString(`<div class="footer"><a href="/">返回首页</a></div></body></html>`)
		fmt.Fprint(w, b.String())
	})))
}
