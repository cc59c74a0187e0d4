package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCrawl_FixtureSite(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var mu sync.Mutex
	texts := map[string]string{}
	res, err := New(testOptions()).Run(context.Background(), f.srv.URL+"/", func(p *Page) {
		mu.Lock()
		texts[p.URL] = p.Doc.Text
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete || res.Interrupted {
		t.Fatalf("complete=%v interrupted=%v", res.Complete, res.Interrupted)
	}
	s, x := f.srv.URL, f.external.URL
	tests := []struct {
		url     string
		problem Problem
		status  int
	}{
		{s + "/", NoProblem, 200},
		{s + "/xwzx/a1.html", NoProblem, 200},
		{s + "/missing.html", HTTPError, 404},
		{s + "/files/plan.pdf", HTTPError, 404},
		{s + "/img/banner.jpg", NoProblem, 200},
		{s + "/css/style.css", NoProblem, 200},
		{s + "/err500.html", HTTPError, 500},
		{s + "/soft404.html", SoftNotFound, 200},
		{s + "/loop1.html", RedirectLoop, 0},
		{s + "/private/secret.html", RobotsBlocked, 0},
		{s + "/nav-broken/", HTTPError, 404},
		{x + "/ok/", NoProblem, 200},
		{x + "/gone/", HTTPError, 410},
		{x + "/head405/", NoProblem, 200},
		{x + "/busy/", NoProblem, 200},
		{x + "/hang/", Timeout, 0},
		{x + "/reset/", ConnReset, 0},
		{x + "/moved/deep/page.html", SoftNotFound, 200},
		{"http://nonexistent.example.invalid/", DNSFailure, 0},
		{s + "/gbk.html", NoProblem, 200},
		{s + "/big.html", NoProblem, 200},
		{s + "/malformed.html", NoProblem, 200},
		{s + "/old-news/", NoProblem, 200},
		{s + "/zwgk/refresh-target.html", NoProblem, 200}, // reached only through a <meta> refresh
	}
	for _, tt := range tests {
		got := target(t, res, tt.url).Status
		if got.Problem != tt.problem || got.Status != tt.status {
			t.Errorf("%s: got %q %d (%s), want %q %d", tt.url, got.Problem, got.Status, got.Detail, tt.problem, tt.status)
		}
	}
	if n := f.count("/private/secret.html"); n != 0 {
		t.Errorf("robots-disallowed page fetched %d times", n)
	}
	if n := f.count("/search/"); n != 0 {
		t.Errorf("robots-disallowed search fetched %d times", n)
	}
	// Same page by fragment, ./, ../, index.html and query order: fetched once.
	for _, p := range []string{"/", "/xwzx/a1.html", "/xwzx/a2.html", "/xwzx/list.jsp?page=1&col=2"} {
		key := p
		if p == "/xwzx/list.jsp?page=1&col=2" {
			key = "/xwzx/list.jsp?page=1&col=2"
			if f.count(key)+f.count("/xwzx/list.jsp?col=2&page=1") != 1 {
				t.Errorf("%s fetched %d+%d times", p, f.count(key), f.count("/xwzx/list.jsp?col=2&page=1"))
			}
			continue
		}
		if n := f.count(key); n != 1 {
			t.Errorf("%s fetched %d times, want 1", p, n)
		}
	}
	// /old-news/ redirects to /xwzx/, which is also linked directly: the
	// page is fetched once more (to follow the redirect) but extracted once.
	if n := f.count("/xwzx/"); n > 2 {
		t.Errorf("/xwzx/ fetched %d times", n)
	}
	if n := f.count("/index.html"); n != 0 {
		t.Errorf("/index.html fetched %d times: it is the same page as /", n)
	}
	// HEAD refused → GET; 429 → retried; transient failures re-checked.
	if m := f.methods["ext/head405/"]; !slices.Equal(m, []string{"HEAD", "GET"}) {
		t.Errorf("head405 methods %v, want HEAD then GET", m)
	}
	if n := f.count("ext/busy/"); n != 2 {
		t.Errorf("busy fetched %d times, want 2 (429, then 200)", n)
	}
	if res.Stats.Rechecked == 0 {
		t.Error("no transient failure was re-checked")
	}
	// Crawler trap: the calendar is cut at MaxQueryVariants.
	if res.Stats.TrapSkipped != 1 || !slices.Contains(res.Stats.TrapPaths, s+"/calendar.jsp") {
		t.Errorf("trap: skipped %d at %v", res.Stats.TrapSkipped, res.Stats.TrapPaths)
	}
	if n := calendarHits(f); n != 5 {
		t.Errorf("calendar fetched %d months, want the cap of 5", n)
	}
	// GBK page with its charset declared only in a <meta> after 1024 bytes.
	if got := texts[s+"/gbk.html"]; !strings.Contains(got, "请按装监控设备") {
		t.Errorf("GBK page decoded as %q", got)
	}
	// GBK declared only in the HTTP header: decoded once, not twice.
	if got := texts[s+"/gbk-header.html"]; !strings.Contains(got, "请按装烟感报警器，布署到位") {
		t.Errorf("header-declared GBK page decoded as %q", got)
	}
	for _, p := range res.Pages {
		if p.URL == s+"/gbk-header.html" && (p.Title != "区应急管理局关于做好冬季安全生产工作的通知" || p.Encoding != "gb18030") {
			t.Errorf("header-declared GBK page stored as %q (%s)", p.Title, p.Encoding)
		}
	}
	// 5 MB page: read whole (under the 10 MiB cap) and extracted.
	if got := texts[s+"/big.html"]; len(got) < 4<<20 {
		t.Errorf("big page text is %d bytes", len(got))
	}
	// Edges: the dead nav link is on every page, in the boilerplate.
	nav := target(t, res, s+"/nav-broken/")
	var navEdges, navBoiler int
	for e := range res.Edges.All() {
		if res.Targets[e.To].URL == nav.URL {
			navEdges++
			if e.Boilerplate {
				navBoiler++
			}
		}
	}
	if navEdges < 5 || navBoiler != navEdges {
		t.Errorf("nav link edges %d, boilerplate %d", navEdges, navBoiler)
	}
}

func calendarHits(f *fixture) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for k := range f.hits {
		if strings.HasPrefix(k, "/calendar.jsp") {
			n++
		}
	}
	return n
}

func TestCrawl_MaxPagesMakesItIncomplete(t *testing.T) {
	f := newFixture(t)
	opts := testOptions()
	opts.CheckExternal = false
	opts.MaxPages = 3
	res := f.crawl(t, opts)
	if res.Complete {
		t.Error("a crawl that hit its page budget must not be complete")
	}
	if res.Stats.Pages > 3+res.Stats.Rechecked {
		t.Errorf("fetched %d pages with a budget of 3", res.Stats.Pages)
	}
}

func TestCrawl_CancelStopsAndIsNotComplete(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	opts := testOptions()
	opts.Delay = 50 * time.Millisecond
	c := New(opts)
	go func() {
		for c.Progress().Pages < 3 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	res, err := c.Run(ctx, f.srv.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || res.Complete {
		t.Errorf("interrupted=%v complete=%v", res.Interrupted, res.Complete)
	}
	for _, tg := range res.Targets {
		if tg.Status.Problem == Unfinished && tg.Status.Broken() {
			t.Errorf("unfinished %s counted as broken", tg.URL)
		}
	}
}

func TestCrawl_DelayAndConcurrencyPerHost(t *testing.T) {
	f := newFixture(t)
	opts := testOptions()
	opts.CheckExternal = false
	opts.Delay = 20 * time.Millisecond
	start := time.Now()
	res := f.crawl(t, opts)
	// Every request to the site starts at least Delay after the previous.
	min := time.Duration(res.Stats.Requests-1) * opts.Delay
	if el := time.Since(start); el < min {
		t.Errorf("%d requests in %s: faster than one per %s", res.Stats.Requests, el, opts.Delay)
	}
	if tg := target(t, res, f.external.URL+"/ok/"); tg.Status.Problem != OffSite {
		t.Errorf("external link checked although CheckExternal is off: %+v", tg.Status)
	}
}

func TestCrawl_RobotsCrawlDelayHonoured(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: xunjian-test\nCrawl-delay: 0.1\n")
			return
		}
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<a href="/1">1</a><a href="/2">2</a><a href="/3">3</a><a href="/4">4</a>`)
	}))
	defer srv.Close()
	opts := testOptions()
	opts.Concurrency = 4 // the delay, not the connection limit, must space them
	if _, err := New(opts).Run(context.Background(), srv.URL+"/", nil); err != nil {
		t.Fatal(err)
	}
	if len(starts) != 5 {
		t.Fatalf("%d pages", len(starts))
	}
	for i := 1; i < len(starts); i++ {
		// The crawler spaces request starts; the server sees them later by
		// each connection's set-up time, so allow some jitter.
		if gap := starts[i].Sub(starts[i-1]); gap < 75*time.Millisecond {
			t.Errorf("request %d started %s after the previous one; robots.txt asks for 100ms", i, gap)
		}
	}
}

func TestCrawl_BodyCap(t *testing.T) {
	f := newFixture(t)
	opts := testOptions()
	opts.CheckExternal = false
	opts.MaxBodyBytes = 64 << 10
	var truncated bool
	var mu sync.Mutex
	_, err := New(opts).Run(context.Background(), f.srv.URL+"/", func(p *Page) {
		if strings.HasSuffix(p.URL, "/big.html") {
			mu.Lock()
			truncated = p.Truncated && len(p.Doc.Text) < 64<<10
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !truncated {
		t.Error("the 5 MB page was not cut at the body cap")
	}
}

func TestCrawl_BadStartURL(t *testing.T) {
	for _, u := range []string{"", "www.example.gov.cn", "ftp://x/", "http://"} {
		if _, err := New(testOptions()).Run(context.Background(), u, nil); err == nil {
			t.Errorf("%q: no error", u)
		}
	}
}

func TestCrawl_UnreachableStartIsAResult(t *testing.T) {
	res, err := New(testOptions()).Run(context.Background(), "http://127.0.0.1:1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := res.Targets[res.Start].Status; st.Problem != ConnRefused {
		t.Errorf("start status %+v", st)
	}
}

func TestCrawl_RobotsServerErrorStopsTheCrawl(t *testing.T) {
	var fetched int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.Error(w, "oops", http.StatusServiceUnavailable)
			return
		}
		fetched++
		fmt.Fprint(w, "<html></html>")
	}))
	defer srv.Close()
	res, err := New(testOptions()).Run(context.Background(), srv.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The robots standard says a 5xx robots.txt means "crawl nothing": the
	// crawl obeys, says so, and is not complete (it must close no issue).
	if fetched != 0 || res.Complete || len(res.Stats.Notes) == 0 {
		t.Errorf("fetched %d, complete %v, notes %v", fetched, res.Complete, res.Stats.Notes)
	}
}
