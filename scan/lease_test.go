package scan

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xunjian/xunjian/store"
)

// gatedSite is a site whose home page answers only once the gate opens: a
// scan of it stays running until the test lets it finish.
func gatedSite(t *testing.T) (Site, func()) {
	t.Helper()
	gate := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>测试区人民政府</title></head><body><p>首页</p></body></html>`)
	}))
	var once sync.Once
	open := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(func() { open(); srv.Close() })
	return Site{Name: "测试区", URL: srv.URL + "/", Owner: "区政府办公室"}, open
}

// openStore opens the database at path as another process would: its own
// connections.
func openStore(t *testing.T, path string, o store.Options) *store.Store {
	t.Helper()
	st, err := store.OpenWith(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func slowOptions() Options {
	o := options()
	o.Crawl.Timeout = 30 * time.Second
	return o
}

// Two scans of one target started at once — two processes on one
// database file — run once: the second is refused at once with who holds
// the target since when, and the running scan is left alone.
func TestRun_SecondScanOfATargetIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	stores := []*store.Store{openStore(t, path, store.Options{}), openStore(t, path, store.Options{})}
	site, open := gatedSite(t)
	type result struct {
		i   int
		err error
	}
	results := make(chan result, 2)
	started := make(chan int, 2)
	for i, st := range stores {
		go func() {
			opts := slowOptions()
			opts.Started = func() { started <- i }
			_, err := Run(context.Background(), st, site, opts)
			results <- result{i, err}
		}()
	}
	winner := <-started
	loser := 1 - winner
	// The refusal comes while the first scan still waits on the site.
	var refused error
	select {
	case r := <-results:
		if r.i != loser {
			t.Fatalf("scan %d ended first: %v", r.i, r.err)
		}
		refused = r.err
	case <-time.After(10 * time.Second):
		t.Fatal("the second scan was not refused while the first ran")
	}
	open()
	if r := <-results; r.err != nil {
		t.Fatalf("the first scan: %v", r.err)
	}
	var held *store.ScanningError
	if !errors.Is(refused, store.ErrScanning) || !errors.As(refused, &held) {
		t.Fatalf("the second scan: %v, want a refusal", refused)
	}
	if held.Target != "测试区" || held.Since.IsZero() || !strings.Contains(held.Holder, "pid") {
		t.Errorf("refusal %+v", held)
	}
	if msg := held.Message(time.UTC); !strings.HasPrefix(msg, "该对象正在扫描中（开始于 2026-11-26 02:00）") {
		t.Errorf("message for staff: %q", msg)
	}
	scans, err := stores[0].Scans(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != 1 || scans[0].Status != store.ScanComplete {
		t.Errorf("scans %+v, want one complete", scans)
	}
	// The target is free again.
	if _, err := Run(context.Background(), stores[loser], site, options()); err != nil {
		t.Errorf("a scan after the first ended: %v", err)
	}
}

// A scan whose process was killed (its lease not renewed) holds the target
// until the lease expires; then the next scan runs and marks the dead one
// interrupted.
func TestRun_TakesOverTheTargetOfAKilledScan(t *testing.T) {
	ctx := context.Background()
	st := tempStore(t)
	d := newDistrict(t)
	t0 := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	id, err := st.SyncTarget(ctx, d.site().target(), t0)
	if err != nil {
		t.Fatal(err)
	}
	dead, err := st.StartScan(ctx, id, store.KindCrawl, t0) // killed right after
	if err != nil {
		t.Fatal(err)
	}
	at := func(d time.Duration) Options {
		o := options()
		o.Now = func() time.Time { return t0.Add(d) }
		return o
	}
	if _, err := Run(ctx, st, d.site(), at(store.LeaseTTL-time.Second)); !errors.Is(err, store.ErrScanning) {
		t.Fatalf("a scan while the lease lives: %v, want refused", err)
	}
	rep, err := Run(ctx, st, d.site(), at(store.LeaseTTL+time.Second))
	if err != nil || rep.Status != store.ScanComplete {
		t.Fatalf("a scan after the lease expired: %v %+v", err, rep.Status)
	}
	scans, _ := st.Scans(ctx, 10)
	found := false
	for _, sc := range scans {
		if sc.ID == dead {
			found = true
			if sc.Status != store.ScanInterrupted {
				t.Errorf("the killed scan is %s, want interrupted", sc.Status)
			}
		}
	}
	if !found {
		t.Errorf("the killed scan #%d is not in the history", dead)
	}
	// The killed process, were it only stalled, saves nothing now.
	if _, err := st.FinishScan(ctx, dead, id, store.ScanResult{Status: store.ScanComplete}, t0.Add(time.Hour)); !errors.Is(err, store.ErrLeaseLost) {
		t.Errorf("finishing the taken-over scan: %v, want ErrLeaseLost", err)
	}
}

// A long scan renews its lease: it keeps its target well past one lease's
// lifetime.
func TestRun_HeartbeatKeepsTheTarget(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	// Real time: a lease of 2 s renewed every 100 ms, so a loaded machine
	// (the whole suite on two cores) that delays a heartbeat by a second
	// still keeps it.
	short := store.Options{LeaseTTL: 2 * time.Second}
	a, b := openStore(t, path, short), openStore(t, path, short)
	site, open := gatedSite(t)
	live := func() Options {
		o := slowOptions()
		o.Now, o.Heartbeat = time.Now, 100*time.Millisecond
		return o
	}
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		o := live()
		o.Started = func() { close(started) }
		_, err := Run(context.Background(), a, site, o)
		done <- err
	}()
	<-started
	time.Sleep(5 * time.Second) // 2.5 lease lifetimes
	if _, err := Run(context.Background(), b, site, live()); !errors.Is(err, store.ErrScanning) {
		t.Errorf("a second scan during a long one: %v, want refused", err)
	}
	open()
	if err := <-done; err != nil {
		t.Errorf("the long scan: %v", err)
	}
}

// A scan that cannot write its results (the disk full) ends failed with
// the reason, not running, and frees its target.
func TestRun_FullDiskEndsFailed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	mux := http.NewServeMux()
	long := strings.Repeat("关于进一步做好政务公开工作的通知", 20)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>测试区人民政府</title></head><body>`)
		for i := range 60 {
			fmt.Fprintf(w, `<li><a href="/a/%d.html">%s</a></li>`, i, long)
		}
		fmt.Fprint(w, `</body></html>`)
	})
	mux.HandleFunc("/a/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%s%s</title></head><body><p>%s</p></body></html>`, r.URL.Path, long, long)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	site := Site{Name: "测试区", URL: srv.URL + "/", Owner: "区政府办公室"}

	// The database as it is before the scan, then capped at that size:
	// the scan's own rows fit, its results do not.
	st := openStore(t, path, store.Options{})
	if _, err := st.SyncTarget(ctx, site.target(), time.Now()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	full := openStore(t, path, store.Options{MaxPages: int(fi.Size() / 4096)})
	_, err = Run(ctx, full, site, options())
	if !errors.Is(err, store.ErrFull) {
		t.Fatalf("err = %v, want ErrFull", err)
	}
	scans, err := full.Scans(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != 1 || scans[0].Status != store.ScanFailed || !strings.Contains(scans[0].Note, "磁盘空间不足") {
		t.Fatalf("scans %+v, want one failed for the full disk", scans)
	}
	// Its target is free: the next scan is not refused (it fails the same way).
	if _, err := Run(ctx, full, site, options()); errors.Is(err, store.ErrScanning) {
		t.Errorf("the next scan was refused: %v", err)
	}
}
