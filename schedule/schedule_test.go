package schedule

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

func openStore(t *testing.T) *store.Store {
	st, err := store.Open(context.Background(), storetest.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A job slower than its interval never runs twice at once, and its runs
// are recorded.
func TestScheduler_NoOverlap(t *testing.T) {
	st := openStore(t)
	var running, maxRunning, runs atomic.Int32
	job := Job{Name: "scan", Every: 20 * time.Millisecond, Run: func(ctx context.Context) error {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := maxRunning.Load()
			if n <= m || maxRunning.CompareAndSwap(m, n) {
				break
			}
		}
		runs.Add(1)
		time.Sleep(70 * time.Millisecond)
		return nil
	}}
	sc, err := New(time.UTC, []Job{job}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	sc.Start(context.Background(), []Job{job})
	for runs.Load() < 3 {
		time.Sleep(10 * time.Millisecond)
	}
	sc.Stop()
	if maxRunning.Load() != 1 {
		t.Errorf("%d runs at once", maxRunning.Load())
	}
	recorded, _ := st.JobRuns(context.Background(), 100)
	if len(recorded) < 3 {
		t.Errorf("%d runs recorded", len(recorded))
	}
}

// After downtime, a missed nightly job runs once at start — not once per
// missed night — and not at all when it ran recently.
func TestScheduler_CatchUpOnce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lastRun time.Duration // ago; 0: never
		want    int32
	}{{"never ran", 0, 1}, {"three nights missed", 72 * time.Hour, 1}, {"ran last night", 5 * time.Hour, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			if tc.lastRun > 0 {
				id, _ := st.JobStarted(context.Background(), "nightly", time.Now().Add(-tc.lastRun))
				st.JobFinished(context.Background(), id, time.Now().Add(-tc.lastRun), nil)
			}
			var runs atomic.Int32
			job := Job{Name: "nightly", Cron: "30 2 * * *", CatchUp: 24 * time.Hour, Run: func(ctx context.Context) error {
				runs.Add(1)
				return nil
			}}
			sc, err := New(time.UTC, []Job{job}, st, nil)
			if err != nil {
				t.Fatal(err)
			}
			sc.Start(context.Background(), []Job{job})
			time.Sleep(100 * time.Millisecond)
			sc.Stop()
			if runs.Load() != tc.want {
				t.Errorf("%d catch-up runs, want %d", runs.Load(), tc.want)
			}
		})
	}
}

// A job that fails or panics is recorded with the reason and the schedule
// goes on.
func TestScheduler_FailuresRecorded(t *testing.T) {
	st := openStore(t)
	var mu sync.Mutex
	calls := 0
	job := Job{Name: "probe", Every: 20 * time.Millisecond, Run: func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		switch calls {
		case 1:
			panic("boom")
		case 2:
			return errors.New("relay down")
		}
		return nil
	}}
	sc, err := New(time.UTC, []Job{job}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	sc.Start(context.Background(), nil)
	deadline := time.Now().Add(3 * time.Second)
	for {
		mu.Lock()
		n := calls
		mu.Unlock()
		if n >= 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	sc.Stop()
	runs, _ := st.JobRuns(context.Background(), 10)
	var errs []string
	for _, r := range runs {
		errs = append(errs, r.Error)
	}
	if len(runs) < 3 || !contains(errs, "panic: boom") || !contains(errs, "relay down") {
		t.Errorf("runs %+v", runs)
	}
}

func TestNew_BadCron(t *testing.T) {
	if _, err := New(time.UTC, []Job{{Name: "x", Cron: "every night", Run: func(context.Context) error { return nil }}}, nil, nil); err == nil {
		t.Error("a bad cron expression was accepted")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
