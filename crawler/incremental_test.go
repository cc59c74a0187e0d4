package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/xunjian/xunjian/crawler/extract"
)

// An incremental crawl asks for what is due with the page's validators,
// reads nothing of a page that answers 304 or its old bytes, requests no
// known URL it was not asked to visit, and reaches its seeds though no page
// read tonight links to them.
func TestIncrementalCrawl(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hits := map[string]int{}
	conditional := map[string]int{}
	pages := map[string]string{
		"/":       `<a href="/a.html">甲</a><a href="/b.html">乙</a><a href="/same.html">同</a><a href="/new.html">新</a>`,
		"/a.html": `<a href="/c.html">丙</a>`,
		"/b.html": `乙页`, "/c.html": `丙页`, "/new.html": `新页`,
		"/same.html": `<a href="/d.html">丁</a>`, // no validators: answers its old bytes
		"/d.html":    `丁页`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		if r.Header.Get("If-None-Match") != "" {
			conditional[r.URL.Path]++
		}
		mu.Unlock()
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path != "/same.html" {
			etag := fmt.Sprintf(`"%s-v1"`, r.URL.Path)
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body>%s</body></html>`, r.URL.Path, body)
	}))
	defer srv.Close()
	s := srv.URL

	first, err := New(testOptions()).Run(context.Background(), s+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	prior := map[string]Known{}
	for _, p := range first.Pages {
		prior[p.URL] = Known{Status: LinkStatus{Status: p.Status}, ETag: p.ETag, LastModified: p.LastModified, Hash: p.Hash}
	}
	delete(prior, s+"/new.html") // appeared since
	due := func(path string) { k := prior[s+path]; k.Visit = true; prior[s+path] = k }
	due("/")
	due("/a.html")
	due("/same.html")
	due("/c.html") // due, and linked only from /a.html, which answers 304: a seed
	k := prior[s+"/"]
	k.Reread = true
	prior[s+"/"] = k
	mu.Lock()
	clear(hits)
	mu.Unlock()

	opts := testOptions()
	opts.Known = func(u string) (Known, bool) { k, ok := prior[u]; return k, ok }
	opts.Seeds = []Seed{{URL: s + "/c.html", Kind: extract.Page, Depth: 2}}
	var read []string
	res, err := New(opts).Run(context.Background(), s+"/", func(p *Page) {
		mu.Lock()
		read = append(read, p.URL)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	mu.Lock()
	defer mu.Unlock()
	want := map[string]int{"/": 1, "/a.html": 1, "/same.html": 1, "/c.html": 1, "/new.html": 1}
	for p, n := range want {
		if hits[p] != n {
			t.Errorf("%s requested %d times, want %d", p, hits[p], n)
		}
	}
	for _, p := range []string{"/b.html", "/d.html"} {
		if hits[p] != 0 {
			t.Errorf("%s (known, not due) was requested", p)
		}
	}
	if conditional["/"] != 0 || conditional["/a.html"] != 1 {
		t.Errorf("conditional requests: %v (the home page is read in full, /a.html asked with its ETag)", conditional)
	}
	unchanged := map[string]bool{}
	for _, p := range res.Pages {
		if p.Unchanged {
			unchanged[p.URL] = true
			if p.Hash == "" || p.Status != 200 {
				t.Errorf("unchanged %s kept hash %q status %d", p.URL, p.Hash, p.Status)
			}
		}
	}
	if !unchanged[s+"/a.html"] || !unchanged[s+"/same.html"] || unchanged[s+"/"] || len(unchanged) != 3 || !unchanged[s+"/c.html"] {
		t.Errorf("unchanged pages %v: want /a.html (304), /same.html (same bytes), /c.html (304)", unchanged)
	}
	if len(read) != 2 { // the home page and the new one
		t.Errorf("read %v, want / and /new.html", read)
	}
	if b := target(t, res, s+"/b.html"); !b.Carried || b.Status.Status != 200 {
		t.Errorf("/b.html = %+v, want carried with its old status", b)
	}
	if res.Stats.Carried == 0 || res.Stats.Unchanged != 3 || !res.Complete {
		t.Errorf("stats %+v complete %v", res.Stats, res.Complete)
	}
}

// A page known by its exact address — /zwgk/index.html, where /zwgk/ sends
// browsers by script — is reached as itself when it is due, though the
// stub that leads to it is not.
func TestIncrementalCrawl_ExactAddressSeed(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><body><div class="nav"><a href="/zwgk/">政务公开</a></div><p>首页</p></body></html>`)
		case "/zwgk/":
			fmt.Fprint(w, `<html><head><script>window.location.href="/zwgk/index.html";</script></head><body></body></html>`)
		case "/zwgk/index.html":
			fmt.Fprint(w, `<html><head><title>政务公开</title></head><body><ul><li><a href="/">首页</a></li></ul><p>政务公开栏目</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	first, err := New(testOptions()).Run(context.Background(), srv.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	exact := srv.URL + "/zwgk/index.html"
	prior := map[string]Known{}
	for _, tg := range first.Targets {
		prior[tg.URL] = Known{Status: tg.Status}
	}
	if _, ok := prior[exact]; !ok {
		t.Fatalf("the first crawl did not know %s by its exact address: %v", exact, prior)
	}
	k := prior[exact]
	k.Visit = true
	prior[exact] = k
	k = prior[srv.URL+"/"]
	k.Visit, k.Reread = true, true
	prior[srv.URL+"/"] = k
	mu.Lock()
	clear(hits)
	mu.Unlock()
	opts := testOptions()
	opts.Known = func(u string) (Known, bool) { k, ok := prior[u]; return k, ok }
	opts.Seeds = []Seed{{URL: exact, Kind: extract.Page, Depth: 1}}
	res, err := New(opts).Run(context.Background(), srv.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	mu.Lock()
	defer mu.Unlock()
	if hits["/zwgk/index.html"] != 1 || hits["/zwgk/"] != 0 {
		t.Errorf("requests %v: want the due page by its exact address, not its stub", hits)
	}
}
