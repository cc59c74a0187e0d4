package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// A page asked with its validators that now redirects elsewhere is read in
// full where it leads: the validators are not sent on (a 304 of the home
// page is no news of the removed article), and the redirect to the home
// page is the soft 404 a full crawl reports.
func TestNightly_304AfterRedirectIsNotUnchanged(t *testing.T) {
	t.Parallel()
	homeMod := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pageMod := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var removed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Last-Modified", homeMod.Format(http.TimeFormat))
			if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !homeMod.After(ims) {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>首页</title></head><body><a href="/a.html">甲</a></body></html>`)
		case "/a.html":
			if removed.Load() {
				http.Redirect(w, r, "/", http.StatusMovedPermanently)
				return
			}
			w.Header().Set("Last-Modified", pageMod.Format(http.TimeFormat))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>文章</title></head><body><p>正文</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	s := srv.URL
	first, err := New(testOptions()).Run(context.Background(), s+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	prior := map[string]Known{}
	for _, p := range first.Pages {
		prior[p.URL] = Known{Visit: true, Status: LinkStatus{Status: p.Status}, ETag: p.ETag, LastModified: p.LastModified, Hash: p.Hash}
	}
	first.Close()
	k := prior[s+"/"]
	k.Reread = true
	prior[s+"/"] = k
	removed.Store(true)

	opts := testOptions()
	opts.Known = func(u string) (Known, bool) { k, ok := prior[u]; return k, ok }
	res, err := New(opts).Run(context.Background(), s+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	a := target(t, res, s+"/a.html")
	for _, p := range res.Pages {
		if p.URL == s+"/a.html" && p.Unchanged {
			t.Errorf("/a.html, now a redirect to the home page, answered unchanged (a 304 of the home page to its validators): status %+v", a.Status)
		}
	}
	if !a.Status.Broken() {
		t.Errorf("/a.html redirected to the home page: %+v, want a soft 404 as a full crawl reports", a.Status)
	}
}
