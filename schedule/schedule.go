// Package schedule runs xunjian unattended: a thin wrapper around gocron v2
// with named jobs that never overlap, survive panics, record every run, and
// catch up once (not once per missed night) after downtime.
package schedule

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
)

// Job is one named, scheduled task.
type Job struct {
	Name string
	// Cron is a five-field cron expression in the scheduler's time zone
	// ("30 2 * * *"); Every, when set instead, runs the job at that interval.
	Cron  string
	Every time.Duration
	// CatchUp: when the last run recorded is older than this, run once at
	// start (a nightly scan missed while the server was down).
	CatchUp time.Duration
	Run     func(ctx context.Context) error
}

// Recorder keeps the runs of jobs where staff can see them.
type Recorder interface {
	JobStarted(ctx context.Context, name string, at time.Time) (int64, error)
	JobFinished(ctx context.Context, id int64, at time.Time, runErr error) error
	LastJobRun(ctx context.Context, name string) (time.Time, bool, error)
}

// Scheduler runs jobs.
type Scheduler struct {
	s   gocron.Scheduler
	rec Recorder
	now func() time.Time
	wg  sync.WaitGroup

	mu      sync.Mutex
	running map[string]bool // a catch-up run and a scheduled one never overlap either
}

// New prepares the jobs in loc; Start runs them.
func New(loc *time.Location, jobs []Job, rec Recorder, now func() time.Time) (*Scheduler, error) {
	s, err := gocron.NewScheduler(gocron.WithLocation(loc), gocron.WithStopTimeout(10*time.Minute))
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	sc := &Scheduler{s: s, rec: rec, now: now, running: map[string]bool{}}
	for _, j := range jobs {
		def := gocron.CronJob(j.Cron, false)
		if j.Every > 0 {
			def = gocron.DurationJob(j.Every)
		}
		job := j
		_, err := s.NewJob(def, gocron.NewTask(func(ctx context.Context) error { return sc.run(ctx, job) }),
			gocron.WithName(j.Name),
			gocron.WithSingletonMode(gocron.LimitModeReschedule)) // never two scheduled runs at once
		if err != nil {
			return nil, fmt.Errorf("schedule: job %s (%q): %w", j.Name, j.Cron, err)
		}
	}
	return sc, nil
}

// run runs a job once and records it; a panic is recovered and recorded. A
// job still running is not started again.
func (sc *Scheduler) run(ctx context.Context, j Job) (err error) {
	sc.mu.Lock()
	if sc.running[j.Name] {
		sc.mu.Unlock()
		return nil
	}
	sc.running[j.Name] = true
	sc.mu.Unlock()
	defer func() {
		sc.mu.Lock()
		delete(sc.running, j.Name)
		sc.mu.Unlock()
	}()
	var id int64
	if sc.rec != nil {
		id, _ = sc.rec.JobStarted(ctx, j.Name, sc.now())
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
		if sc.rec != nil {
			sc.rec.JobFinished(context.WithoutCancel(ctx), id, sc.now(), err)
		}
	}()
	return j.Run(ctx)
}

// Start starts the schedule, first running once every job whose last run
// is older than its CatchUp (in the background, one after another).
func (sc *Scheduler) Start(ctx context.Context, jobs []Job) {
	var due []Job
	for _, j := range jobs {
		if j.CatchUp <= 0 || sc.rec == nil {
			continue
		}
		last, ok, err := sc.rec.LastJobRun(ctx, j.Name)
		if err == nil && (!ok || sc.now().Sub(last) > j.CatchUp) {
			due = append(due, j)
		}
	}
	sc.wg.Go(func() {
		for _, j := range due {
			if ctx.Err() != nil {
				return
			}
			sc.run(ctx, j)
		}
	})
	sc.s.Start()
}

// Stop stops the schedule and waits for running jobs (their context is
// cancelled: a scan stops at a consistent point and saves what it found).
func (sc *Scheduler) Stop() error {
	err := sc.s.Shutdown()
	sc.wg.Wait()
	return err
}
