package queue

import (
	"context"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/store/storetest"
)

// pool is a connection pool on a fresh schema of the test server, River's
// tables migrated into it; the tests skip without a server.
func pool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	if os.Getenv("XUNJIAN_STORETEST_POSTGRES") == "" {
		t.Skip("the queue lives in PostgreSQL: set XUNJIAN_STORETEST_POSTGRES")
	}
	ctx := context.Background()
	p, err := Pool(ctx, storetest.Database(t), PoolSize(2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	// Twice: serve and workers migrate at every start.
	for range 2 {
		if err := Migrate(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// fakePatrol records what the jobs asked of the patrol.
type fakePatrol struct {
	hosts []patrol.Host
	mu    sync.Mutex
	runs  []patrol.Request
	done  chan string
}

func (f *fakePatrol) Hosts(context.Context) ([]patrol.Host, error) { return f.hosts, nil }

func (f *fakePatrol) Run(_ context.Context, req patrol.Request) error {
	f.mu.Lock()
	f.runs = append(f.runs, req)
	f.mu.Unlock()
	f.done <- req.Names[0]
	return nil
}

func (f *fakePatrol) ProbeSites(context.Context, []string, bool) error { return nil }
func (f *fakePatrol) Rescore(context.Context) error                    { return nil }

func work(f *fakePatrol, finished ...string) *Work {
	return &Work{Patrol: f,
		Finished: func(_ context.Context, name string, _ time.Time) (bool, error) {
			return slices.Contains(finished, name), nil
		},
		Digest:       func(context.Context) error { return nil },
		Housekeeping: func(context.Context) error { return nil },
	}
}

func startWorker(t *testing.T, p *pgxpool.Pool, w *Work) {
	t.Helper()
	wk, err := StartWorker(context.Background(), p, w, Options{Scans: 2, RescueAfter: time.Minute, Lease: 500 * time.Millisecond,
		Poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wk.Stop(context.Background()) })
}

// One job per host while it waits or runs: the nightly patrol enqueued
// again (a catch-up after a restart) adds nothing; probes go in batches.
func TestEnqueue_OncePerHost(t *testing.T) {
	p := pool(t)
	ctx := context.Background()
	var sites []string
	for i := range 120 {
		sites = append(sites, string(rune('a'+i%26))+string(rune('0'+i/26)))
	}
	f := &fakePatrol{hosts: []patrol.Host{{Host: "a.gov.cn", Sites: sites[:60]}, {Host: "b.gov.cn", Sites: sites[60:], Accounts: []string{"号"}}}}
	e, err := NewEnqueuer(p, f.Hosts)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{2, 0} {
		if n, err := e.Patrol(ctx, true); err != nil || n != want {
			t.Errorf("patrol enqueued the %d. time: %d jobs (%v), want %d", i+1, n, err, want)
		}
	}
	if n, err := e.Probes(ctx); err != nil || n != 3 {
		t.Errorf("probes of 120 sites: %d jobs (%v), want 3 batches of at most %d", n, err, ProbeBatch)
	}
	for range 2 {
		if err := e.Digest(ctx, time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	var digests int
	p.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = $1`, DigestArgs{}.Kind()).Scan(&digests)
	if digests != 1 {
		t.Errorf("one week's digests enqueued twice: %d jobs, want 1", digests)
	}
}

// A host another worker holds waits: the job runs once the host is free,
// and a retried job skips the targets already scanned since it was
// enqueued.
func TestPatrolJob_HostHeldWaits(t *testing.T) {
	p := pool(t)
	ctx := context.Background()
	f := &fakePatrol{hosts: []patrol.Host{{Host: "a.gov.cn", Sites: []string{"甲", "乙"}}}, done: make(chan string, 4)}
	e, err := NewEnqueuer(p, f.Hosts)
	if err != nil {
		t.Fatal(err)
	}
	// Another worker's patrol of the host, as its advisory lock.
	other, err := p.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock(ctx, other, "a.gov.cn", false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Patrol(ctx, true); err != nil {
		t.Fatal(err)
	}
	startWorker(t, p, work(f, "甲"))
	select {
	case name := <-f.done:
		t.Fatalf("%s patrolled while another worker holds its host", name)
	case <-time.After(1500 * time.Millisecond):
	}
	var state string
	p.QueryRow(ctx, `SELECT state FROM river_job WHERE kind = $1`, PatrolArgs{}.Kind()).Scan(&state)
	if state != "scheduled" && state != "available" {
		t.Errorf("the waiting job is %s, want it snoozed (scheduled, or available again)", state)
	}
	unlock(ctx, other, "a.gov.cn")
	other.Release()
	select {
	case <-f.done:
	case <-time.After(20 * time.Second):
		t.Fatal("the host's patrol did not run once the host was free")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.runs) != 1 || !slices.Equal(f.runs[0].Names, []string{"乙"}) || !f.runs[0].SkipRescore || !f.runs[0].Nightly {
		t.Errorf("runs %+v, want one nightly run of 乙 only (甲 finished since), scores left to the rescore job", f.runs)
	}
}
