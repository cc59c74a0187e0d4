package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/store"
)

// heldSite is a configuration of the demo site whose database another
// process is scanning now: the lease is held until the returned function
// ends that scan.
func heldSite(t *testing.T) (cfgPath string, st *store.Store, end func()) {
	t.Helper()
	site := demoSite(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	cfgPath = filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfgPath, []byte(`database: `+db+`
crawl:
  delay: 0s
  timeout: 2s
  retries: 0
  recheck_after: 50ms
  check_external: false
sites:
  - name: 示例区
    url: `+site.URL+`/
`), 0o644)
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	id, err := st.SyncTarget(ctx, store.Target{Name: "示例区", URL: site.URL + "/"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	scanID, err := st.StartScan(ctx, id, store.KindCrawl, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return cfgPath, st, func() {
		if err := st.FailScan(ctx, scanID, "测试结束", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// xunjian scan while another process scans the same site: refused with a
// message staff understand, exit 1, and the other scan left running.
func TestScan_RefusedWhileAnotherProcessScans(t *testing.T) {
	cfg, st, end := heldSite(t)
	code, out, errs := runCLI(t, "scan", "--config", cfg, "--quiet")
	if code != 1 || !strings.Contains(errs, "示例区：该对象正在扫描中（开始于 ") || !strings.Contains(errs, "is being scanned") {
		t.Fatalf("scan of a held site: exit %d\n%s\n%s", code, out, errs)
	}
	scans, _ := st.Scans(context.Background(), 5)
	if len(scans) != 1 || scans[0].Status != store.ScanRunning {
		t.Errorf("scans %+v, want the other process's still running", scans)
	}
	end()
	if code, out, errs := runCLI(t, "scan", "--config", cfg, "--quiet"); code != 0 || !strings.Contains(out, "巡检完成：示例区") {
		t.Errorf("scan after the other ended: exit %d\n%s\n%s", code, out, errs)
	}
}

// The UI's 立即扫描 and the nightly job are refused the same way: ScanNow
// before it answers, the job with the reason recorded.
func TestPatrol_RefusedWhileAnotherProcessScans(t *testing.T) {
	cfgPath, st, end := heldSite(t)
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := patrol.Sync(ctx, st, cfg, time.Now()); err != nil {
		t.Fatal(err)
	}
	p := patrol.New(ctx, st, patrol.SettingsOf(cfg), cfg.Location, io.Discard)
	err = p.ScanNow("示例区")
	var held *store.ScanningError
	if !errors.As(err, &held) || held.Target != "示例区" {
		t.Errorf("scan now: %v, want a refusal", err)
	}
	if err := p.ScanAll(ctx); !errors.Is(err, store.ErrScanning) || !strings.Contains(err.Error(), "该对象正在扫描中") {
		t.Errorf("nightly job: %v, want a refusal", err)
	}
	p.Wait()
	end()
	if err := p.ScanNow("示例区"); err != nil {
		t.Errorf("scan now after the other ended: %v", err)
	}
	p.Wait()
}

// A second 立即扫描 of a site this process is scanning is refused too.
func TestPatrol_ScanNowTwice(t *testing.T) {
	gate := make(chan struct{})
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<html><head><title>示例区</title></head><body><p>首页</p></body></html>`)
	}))
	defer site.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfgPath, []byte("database: "+filepath.Join(dir, "x.db")+"\ncrawl:\n  timeout: 30s\nsites:\n  - name: 示例区\n    url: "+site.URL+"/\n"), 0o644)
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := patrol.Sync(ctx, st, cfg, time.Now()); err != nil {
		t.Fatal(err)
	}
	p := patrol.New(ctx, st, patrol.SettingsOf(cfg), cfg.Location, io.Discard)
	if err := p.ScanNow("示例区"); err != nil {
		t.Fatal(err)
	}
	if err := p.ScanNow("示例区"); !errors.Is(err, store.ErrScanning) {
		t.Errorf("a second scan now: %v, want a refusal", err)
	}
	close(gate)
	p.Wait()
	scans, _ := st.Scans(ctx, 5)
	if len(scans) != 1 || scans[0].Status != store.ScanComplete {
		t.Errorf("scans %+v, want one complete", scans)
	}
}
