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
//
// -layout cms serves the shape district sites have instead of a random
// graph: a home page with the navigation and the newest news, 20 columns
// whose lists show 20 articles a page (index.html, index_1.html …), articles
// linking a few others of their column. Its next version has 1 % of the
// articles changed and 1 % new ones at the top of their columns' lists.
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
	layout := flag.String("layout", "graph", "graph (pages linking all over the site) or cms (home, columns, articles)")
	sites := flag.Int("sites", 1, "serve this many copies of the site, each on its own port (a host of its own, for bench/scale.sh); -addr-file lists them all after the external site")
	flag.Parse()

	extLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	var siteLns []net.Listener
	for range max(*sites, 1) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		siteLns = append(siteLns, ln)
	}
	siteLn := siteLns[0]
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
		list := site + "/\n" + ext + "\n"
		for _, ln := range siteLns[1:] {
			list += "http://" + ln.Addr().String() + "/\n"
		}
		if err := os.WriteFile(*addrFile, []byte(list), 0o644); err != nil {
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
	if *layout == "cms" {
		c := &cms{pages: *pages, ext: ext, published: published}
		serve(siteLns, c)
	}
	serve(siteLns, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	}))
}

// cms is the -layout cms site.
type cms struct {
	pages     int
	ext       string
	published []time.Time
	version   atomic.Int64
}

const (
	cmsColumns = 20
	cmsPerPage = 20
)

// articles is how many articles version v has.
func (c *cms) articles(v int64) int {
	if v >= 1 {
		return c.pages + c.pages/100
	}
	return c.pages
}

// column lists article ids of column k in version v, newest first: the
// new ones (ids from c.pages on) at the top.
func (c *cms) column(k int, v int64) []int {
	var ids []int
	for i := c.articles(v) - 1; i >= 0; i-- {
		if i%cmsColumns == k {
			ids = append(ids, i)
		}
	}
	return ids
}

// own is the version an article last changed in.
func (c *cms) own(i int, v int64) int64 {
	if v >= 1 && (i%100 == 50 || i >= c.pages) {
		return v
	}
	return 0
}

func (c *cms) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /admin/\n")
		return
	case p == "/admin/version" && r.Method == http.MethodPost:
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		c.version.Store(int64(min(max(n, 0), len(c.published)-1)))
		return
	}
	v := c.version.Load()
	var body string
	var own int64
	var ok bool
	switch {
	case p == "/":
		body, own, ok = c.home(v), v, true
	case strings.HasPrefix(p, "/c"):
		body, own, ok = c.inColumn(p, v)
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := fnv.New64a()
	h.Write([]byte(body))
	etag := fmt.Sprintf(`"%x"`, h.Sum64())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", c.published[own].Format(http.TimeFormat))
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	fmt.Fprint(w, body)
}

func (c *cms) nav() string {
	var b strings.Builder
	b.WriteString(`<div class="header"><a href="/">首页</a></div><div class="nav"><ul>`)
	for k := range cmsColumns {
		fmt.Fprintf(&b, `<li><a href="/c%d/">栏目%d</a></li>`, k, k)
	}
	b.WriteString(`</ul></div>`)
	return b.String()
}

func (c *cms) date(i int, v int64) string {
	if i >= c.pages {
		return c.published[c.own(i, v)].Format("2006-01-02")
	}
	return c.published[0].AddDate(0, 0, -i/200).Format("2006-01-02")
}

const footer = `<div class="footer">青溪区人民政府办公室主办 <a href="/">返回首页</a></div></body></html>`

func (c *cms) home(v int64) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>青溪区人民政府</title></head><body>` + c.nav() + `<div class="main"><ul>`)
	newest := c.column(0, v)
	for _, i := range newest[:min(10, len(newest))] {
		fmt.Fprintf(&b, `<li><a href="/c0/a%d.html">区政府工作动态%d</a><span>%s</span></li>`, i, i, c.date(i, v))
	}
	b.WriteString(`</ul></div>` + footer)
	return b.String()
}

var cmsPara = strings.Repeat("青溪区人民政府认真贯彻落实党中央、国务院决策部署，坚持稳中求进工作总基调，扎实做好各项工作。", 20)

// inColumn serves a column's list pages and its articles.
func (c *cms) inColumn(p string, v int64) (string, int64, bool) {
	var k int
	rest := ""
	if n, _ := fmt.Sscanf(p, "/c%d/", &k); n != 1 || k < 0 || k >= cmsColumns {
		return "", 0, false
	}
	rest = strings.TrimPrefix(p, fmt.Sprintf("/c%d/", k))
	ids := c.column(k, v)
	page := -1
	switch {
	case rest == "" || rest == "index.html":
		page = 0
	case strings.HasPrefix(rest, "index_"):
		fmt.Sscanf(rest, "index_%d.html", &page)
	}
	if page >= 0 {
		if page*cmsPerPage >= len(ids) {
			return "", 0, false
		}
		var b strings.Builder
		fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>栏目%d_青溪区人民政府</title><meta name="ColumnName" content="栏目%d"></head><body>%s<div class="list"><ul>`, k, k, c.nav())
		for _, i := range ids[page*cmsPerPage : min(len(ids), (page+1)*cmsPerPage)] {
			fmt.Fprintf(&b, `<li><a href="/c%d/a%d.html">栏目%d文章%d</a><span>%s</span></li>`, k, i, k, i, c.date(i, v))
		}
		b.WriteString(`</ul></div><div class="page">`)
		for q := range (len(ids) + cmsPerPage - 1) / cmsPerPage {
			if q == 0 {
				fmt.Fprintf(&b, `<a href="/c%d/index.html">1</a>`, k)
			} else if q < page+5 && q > page-5 || q == (len(ids)-1)/cmsPerPage {
				fmt.Fprintf(&b, `<a href="/c%d/index_%d.html">%d</a>`, k, q, q+1)
			}
		}
		b.WriteString(`</div>` + footer)
		// A list changes when an article is added to its column.
		own := int64(0)
		if v >= 1 {
			own = v
		}
		return b.String(), own, true
	}
	var i int
	if n, _ := fmt.Sscanf(rest, "a%d.html", &i); n != 1 || i < 0 || i >= c.articles(v) || i%cmsColumns != k {
		return "", 0, false
	}
	own := c.own(i, v)
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>栏目%d文章%d_青溪区人民政府</title><meta name="ArticleTitle" content="栏目%d文章%d">
<meta name="ColumnName" content="栏目%d"><meta name="PubDate" content="%s 10:19"></head><body>%s<div class="article"><h1>栏目%d文章%d</h1><p>%s</p>`,
		k, i, k, i, k, c.date(i, v), c.nav(), k, i, cmsPara)
	if own >= 1 {
		fmt.Fprintf(&b, `<p>本文于第%d版更新。</p>`, own)
	}
	b.WriteString(`<div class="related"><ul>`)
	for r := 1; r <= 5; r++ { // related articles of the column
		j := (i + r*cmsColumns) % c.pages
		j -= j % cmsColumns
		j += k
		if j < c.pages {
			fmt.Fprintf(&b, `<li><a href="/c%d/a%d.html">相关文章%d</a></li>`, k, j, j)
		}
	}
	if i%100 == 7 { // 1 % of the articles carry a broken link
		fmt.Fprintf(&b, `<li><a href="/missing/%d.html">已删除的文章</a></li>`, i)
	}
	fmt.Fprintf(&b, `</ul></div><p><a href="%s/e/%d">市政府</a> <a href="%s/e/%d">省政府</a></p></div>`, c.ext, i%500, c.ext, (i*7)%500)
	b.WriteString(footer)
	return b.String(), own, true
}

// serve serves h on every listener until the process ends.
func serve(lns []net.Listener, h http.Handler) {
	for _, ln := range lns[1:] {
		go func() { log.Fatal(http.Serve(ln, h)) }()
	}
	log.Fatal(http.Serve(lns[0], h))
}
