package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// xunjian scan says why a scan whose home page became a maintenance notice
// closed nothing, and --accept-fewer-pages (one site at a time) makes a
// smaller site the new baseline.
func TestScan_CollapsedSaysWhy(t *testing.T) {
	var redirect atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" && redirect.Load() {
			fmt.Fprint(w, `<html><body><p>网站系统升级维护中，请稍后访问。</p></body></html>`) // a maintenance notice
			return
		}
		var links strings.Builder
		for i := range 6 {
			fmt.Fprintf(&links, `<li><a href="/n/%d.html">新闻%d</a> 2026-11-2%d</li>`, i, i, i)
		}
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body><ul>%s</ul></body></html>`, r.URL.Path, links.String())
	})
	site := httptest.NewServer(mux)
	defer site.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfg, []byte(`database: `+filepath.Join(dir, "x.db")+`
crawl:
  delay: 0s
  timeout: 2s
  retries: 0
  check_external: false
sites:
  - name: 示例区
    url: `+site.URL+`/
`), 0o644)
	if code, out, errs := runCLI(t, "scan", "--config", cfg, "--quiet"); code != 0 || !strings.Contains(out, "完整扫描") {
		t.Fatalf("first scan: exit %d\n%s\n%s", code, out, errs)
	}
	redirect.Store(true)
	code, out, errs := runCLI(t, "scan", "--config", cfg, "--quiet")
	for _, want := range []string{"页面骤减（未关闭任何问题）", "注意：本次仅抓取 1 页（上次 7 页），疑似首页跳转、拦截或维护，未复查关闭任何问题",
		"--target 示例区 --accept-fewer-pages"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("redirected scan: exit %d, lacks %q:\n%s\n%s", code, want, out, errs)
		}
	}
	if code, _, errs := runCLI(t, "scan", "--config", cfg, "--quiet", "--accept-fewer-pages"); code != 2 || !strings.Contains(errs, "--target") {
		t.Errorf("accepting every site at once: exit %d %s", code, errs)
	}
	code, out, _ = runCLI(t, "scan", "--config", cfg, "--quiet", "--target", "示例区", "--accept-fewer-pages")
	if code != 0 || !strings.Contains(out, "完整扫描") || strings.Contains(out, "注意：本次仅抓取") {
		t.Errorf("accepted scan: exit %d\n%s", code, out)
	}
}
