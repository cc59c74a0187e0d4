package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xunjian/xunjian/demosite"
	"github.com/xunjian/xunjian/store/storetest"
)

// TestMain lets the end-to-end tests run this test binary as the xunjian
// command (XUNJIAN_TEST_AS_MAIN=1): real processes, killed for real,
// without building a second binary.
func TestMain(m *testing.M) {
	if os.Getenv("XUNJIAN_TEST_AS_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// proc is a xunjian process the test started, its output kept.
type proc struct {
	cmd *exec.Cmd
	mu  sync.Mutex
	out bytes.Buffer
}

func (p *proc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *proc) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// start runs xunjian with args as its own process until the test ends.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(os.Args[0], args...)}
	p.cmd.Env = append(os.Environ(), "XUNJIAN_TEST_AS_MAIN=1")
	p.cmd.Stdout, p.cmd.Stderr = p, p
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- p.cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			p.cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("xunjian %s:\n%s", args[0], p)
		}
	})
	return p
}

// slowSite is the demo site answering each request after a pause, so that
// a scan of it lasts long enough to be killed in the middle.
func slowSite(t *testing.T, pause time.Duration) *httptest.Server {
	ext := httptest.NewServer(demosite.External())
	t.Cleanup(ext.Close)
	h := demosite.New(time.Now(), ext.URL)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(pause)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(site.Close)
	return site
}

// The issue's end-to-end test: serve enqueues the nightly patrol of two
// hosts, two workers take one each, one worker is killed (SIGKILL) in the
// middle of its scan; the other finishes its own host, then — once the
// queue has given the dead worker's job up and the dead scan's lease has
// expired — the killed host. Every finding is stored once, the dead scan
// closed nothing, and both hosts, serving the same pages, end with the same
// issues.
func TestWorkers_KilledMidScan(t *testing.T) {
	if os.Getenv("XUNJIAN_STORETEST_POSTGRES") == "" {
		t.Skip("workers need PostgreSQL: set XUNJIAN_STORETEST_POSTGRES")
	}
	if testing.Short() {
		t.Skip("about a minute of real processes")
	}
	dsn := storetest.Database(t)
	a, b := slowSite(t, 40*time.Millisecond), slowSite(t, 40*time.Millisecond)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfg, []byte(`database: `+dsn+`
listen: 127.0.0.1:0
crawl:
  concurrency: 1
  delay: 0s
  timeout: 5s
  retries: 0
  check_external: false
jobs:
  scans: 1
  lease: 4s
  rescue_after: 20s
sites:
  - name: 甲区
    url: `+a.URL+`/
  - name: 乙区
    url: `+b.URL+`/
`), 0o644)

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	serve := start(t, "serve", "--config", cfg)
	waitFor(t, 60*time.Second, "serve enqueues the nightly patrol", func() bool {
		return strings.Contains(serve.String(), "已放入队列：2 个站点主机")
	})
	w1 := start(t, "worker", "--config", cfg, "--id", "w1", "--poll", "200ms")
	w2 := start(t, "worker", "--config", cfg, "--id", "w2", "--poll", "200ms")

	// Kill the first worker seen holding a target, a moment into its scan.
	var victim *proc
	var victimSite string
	waitFor(t, 60*time.Second, "a worker scanning", func() bool {
		var holder, name string
		err := db.QueryRow(`SELECT l.holder, t.name FROM scan_leases l JOIN targets t ON t.id = l.target_id ORDER BY l.acquired_at LIMIT 1`).Scan(&holder, &name)
		if err != nil {
			return false
		}
		for _, w := range []*proc{w1, w2} {
			if strings.HasSuffix(holder, fmt.Sprintf(" pid %d", w.cmd.Process.Pid)) {
				victim, victimSite = w, name
			}
		}
		return victim != nil
	})
	time.Sleep(time.Second)
	var running int
	db.QueryRow(`SELECT count(*) FROM scans s JOIN targets t ON t.id = s.target_id WHERE t.name = $1 AND s.status = 'running'`, victimSite).Scan(&running)
	if running != 1 {
		t.Fatalf("%s: %d running scans when the worker is killed, want 1", victimSite, running)
	}
	victim.cmd.Process.Kill()
	t.Logf("killed the worker scanning %s", victimSite)

	// The survivor finishes both hosts: two complete scans, every patrol
	// job completed.
	t.Cleanup(func() {
		if t.Failed() {
			dump(t, db, `SELECT id, kind, state, attempt, queue, args::text, coalesce(attempted_by::text, ''), scheduled_at::text, coalesce(errors::text, '') FROM river_job ORDER BY id`)
			dump(t, db, `SELECT s.id, t.name, s.status, s.started_at, coalesce(s.finished_at, '') FROM scans s JOIN targets t ON t.id = s.target_id ORDER BY s.id`)
			dump(t, db, `SELECT * FROM river_leader`)
		}
	})
	waitFor(t, 120*time.Second, "both sites scanned to the end", func() bool {
		var complete, pending int
		db.QueryRow(`SELECT count(*) FROM scans WHERE status = 'complete'`).Scan(&complete)
		db.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'xunjian_patrol' AND state <> 'completed'`).Scan(&pending)
		return complete == 2 && pending == 0
	})

	statuses := map[string][]string{}
	rows, err := db.Query(`SELECT t.name, s.status FROM scans s JOIN targets t ON t.id = s.target_id WHERE s.kind = 'crawl' ORDER BY s.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, status string
		rows.Scan(&name, &status)
		statuses[name] = append(statuses[name], status)
	}
	rows.Close()
	other := map[string]string{"甲区": "乙区", "乙区": "甲区"}[victimSite]
	if got := strings.Join(statuses[victimSite], ","); got != "interrupted,complete" {
		t.Errorf("%s's scans %s, want the killed one interrupted, then the retry complete", victimSite, got)
	}
	if got := strings.Join(statuses[other], ","); got != "complete" {
		t.Errorf("%s's scans %s, want one complete scan", other, got)
	}

	// Each finding once: the same pages give the same issues on either
	// host, none closed.
	issues := map[string]int{}
	rows, err = db.Query(`SELECT t.name, count(*), count(*) FILTER (WHERE i.status NOT IN ('open')) FROM issues i JOIN targets t ON t.id = i.target_id GROUP BY t.name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var n, notOpen int
		rows.Scan(&name, &n, &notOpen)
		issues[name] = n
		if notOpen != 0 {
			t.Errorf("%s: %d issues not open after first scans", name, notOpen)
		}
	}
	rows.Close()
	if issues[victimSite] == 0 || issues[victimSite] != issues[other] {
		t.Errorf("issues by site %v: the killed host's retry must store what the other host's one scan stored", issues)
	}
	var attempts int
	db.QueryRow(`SELECT max(attempt) FROM river_job WHERE kind = 'xunjian_patrol'`).Scan(&attempts)
	if attempts < 2 {
		t.Errorf("the killed worker's job ran %d times, want a retry", attempts)
	}
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("waited %s for %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// dump logs the rows of a query (diagnosing a failure).
func dump(t *testing.T, db *sql.DB, query string) {
	rows, err := db.Query(query)
	if err != nil {
		t.Logf("%s: %v", query, err)
		return
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	t.Logf("%s", query)
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rows.Scan(ptrs...)
		t.Logf("  %v", vals)
	}
}

// A worker needs the queue's database: on SQLite it says serve runs the
// jobs itself, before it starts anything.
func TestWorker_SQLiteRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "x.yaml")
	os.WriteFile(cfg, []byte("database: "+filepath.Join(dir, "x.db")+"\n"), 0o644)
	code, out, errs := runCLI(t, "worker", "--config", cfg)
	if code != 2 || !strings.Contains(errs, "with SQLite, xunjian serve runs them itself") || strings.Contains(out, "已启动") {
		t.Errorf("worker on SQLite: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("the refused worker created the database")
	}
}
