package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/store"
)

// district is a tiny site whose home page links to a page that can be
// broken and fixed between scans.
type district struct {
	srv    *httptest.Server
	broken atomic.Bool
	slow   atomic.Bool
}

func newDistrict(t *testing.T) *district {
	d := &district{}
	d.broken.Store(true)
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>测试区人民政府</title></head><body><div class="nav"><a href="/xwzx/">新闻</a></div>
<div class="main"><a href="/zwgk/a.html">关于开展自查的通知</a>`)
		for i := range 20 {
			fmt.Fprintf(w, `<a href="/xwzx/%d.html">新闻%d</a>`, i, i)
		}
		fmt.Fprint(w, `</div></body></html>`)
	})
	mux.HandleFunc("/xwzx/", func(w http.ResponseWriter, r *http.Request) {
		if d.slow.Load() {
			time.Sleep(50 * time.Millisecond)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><p>新闻</p></body></html>`)
	})
	mux.HandleFunc("/zwgk/a.html", func(w http.ResponseWriter, r *http.Request) {
		if d.broken.Load() {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<html><body><p>通知</p></body></html>`)
	})
	d.srv = httptest.NewServer(mux)
	t.Cleanup(d.srv.Close)
	return d
}

func (d *district) site() Site {
	return Site{Name: "测试区", URL: d.srv.URL + "/", Owner: "区政府办公室"}
}

func options() Options {
	return Options{Crawl: crawler.Options{Concurrency: 2, Timeout: time.Second, CheckExternal: true, Dial: crawler.LoopbackOnly}}
}

func TestRun_FixVerifiedThenReopened(t *testing.T) {
	ctx := context.Background()
	d := newDistrict(t)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	rep, err := Run(ctx, st, d.site(), options())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != store.ScanComplete || rep.Summary.New != 1 || rep.Stats.Pages != 23 {
		t.Fatalf("first scan %+v", rep)
	}
	d.broken.Store(false)
	rep, _ = Run(ctx, st, d.site(), options())
	if rep.Summary.Verified != 1 || rep.Summary.New != 0 {
		t.Fatalf("after the fix %+v", rep.Summary)
	}
	d.broken.Store(true)
	rep, _ = Run(ctx, st, d.site(), options())
	if rep.Summary.Reopened != 1 {
		t.Fatalf("after it broke again %+v", rep.Summary)
	}
	list, _ := st.Issues(ctx, store.Filter{})
	if len(list) != 1 || list[0].Status != string(store.StatusReopened) || list[0].Evidence != d.srv.URL+"/zwgk/a.html" {
		t.Errorf("issues %+v", list)
	}
}

func TestRun_InterruptedScanKeepsIssuesOpen(t *testing.T) {
	d := newDistrict(t)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := Run(context.Background(), st, d.site(), options()); err != nil {
		t.Fatal(err)
	}
	// The link is fixed, but the next scan is stopped (Ctrl-C) half-way: it
	// must not declare anything fixed, and must leave the database usable.
	d.broken.Store(false)
	d.slow.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	opts := options()
	opts.Progress = func(p crawler.Progress) {
		if p.Pages >= 3 {
			cancel()
		}
	}
	rep, err := Run(ctx, st, d.site(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != store.ScanInterrupted || rep.Summary.Verified != 0 {
		t.Errorf("interrupted scan: %+v", rep)
	}
	list, _ := st.Issues(context.Background(), store.Filter{Statuses: store.Unresolved})
	if len(list) != 1 {
		t.Errorf("open issues after an interrupted scan: %d", len(list))
	}
	scans, _ := st.Scans(context.Background(), 5)
	if scans[0].Status != store.ScanInterrupted {
		t.Errorf("scan recorded as %s", scans[0].Status)
	}
}

func TestRun_UnreachableSiteIsAFindingNotAnError(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rep, err := Run(context.Background(), st, Site{Name: "关停的网站", URL: "http://127.0.0.1:1/"}, options())
	if err != nil {
		t.Fatal(err)
	}
	list, _ := st.Issues(context.Background(), store.Filter{})
	if rep.Status != store.ScanPartial || len(list) != 1 || list[0].Category != "site_unreachable" {
		t.Errorf("report %+v issues %+v", rep, list)
	}
}
