package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/store"
)

// Patroller is the patrol the jobs run.
type Patroller interface {
	Run(ctx context.Context, req patrol.Request) error
	ProbeSites(ctx context.Context, names []string, rescore bool) error
	Rescore(ctx context.Context) error
}

// Work is what the jobs do.
type Work struct {
	Patrol Patroller
	// Finished reports whether a scan of the named target finished (not
	// interrupted) after since: a retried patrol skips it.
	Finished func(ctx context.Context, target string, since time.Time) (bool, error)
	// Digest sends the weekly digests; Housekeeping prunes.
	Digest, Housekeeping func(ctx context.Context) error
}

// Options tune a worker process.
type Options struct {
	// Scans is how many hosts this process patrols at once.
	Scans int
	// RescueAfter is the longest a job may run: it is stopped then (a host
	// patrol stops at a consistent point, as on shutdown), and a job whose
	// worker died is retried by another a lease after it.
	RescueAfter time.Duration
	// Lease is how long a scan holds its target without renewing it: a
	// patrol that finds a target held waits this long before it tries
	// again.
	Lease time.Duration
	// ID names the worker in the queue (host and pid when "").
	ID string
	// Poll is how often an idle worker looks for jobs besides being woken
	// by an insert (River's default when 0).
	Poll time.Duration
}

// Worker runs the jobs of the database's queue until stopped.
type Worker struct {
	client *river.Client[pgx.Tx]
}

// register is the workers of every job kind, doing w.
func register(w *Work, pool *pgxpool.Pool, o Options) *river.Workers {
	ws := river.NewWorkers()
	river.AddWorker(ws, &patrolWorker{w: w, pool: pool, wait: o.Lease})
	river.AddWorker(ws, &probeWorker{w: w})
	river.AddWorker(ws, river.WorkFunc(func(ctx context.Context, _ *river.Job[DigestArgs]) error { return w.Digest(ctx) }))
	river.AddWorker(ws, river.WorkFunc(func(ctx context.Context, _ *river.Job[HousekeepingArgs]) error { return w.Housekeeping(ctx) }))
	river.AddWorker(ws, river.WorkFunc(func(ctx context.Context, _ *river.Job[RescoreArgs]) error { return w.Patrol.Rescore(ctx) }))
	return ws
}

// StartWorker starts processing the queue's jobs with w. The pool must
// allow Scans connections beside River's own (see PoolSize).
func StartWorker(ctx context.Context, pool *pgxpool.Pool, w *Work, o Options) (*Worker, error) {
	if o.Scans < 1 {
		o.Scans = 1
	}
	if o.ID == "" {
		host, _ := os.Hostname()
		o.ID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		ID:      o.ID,
		Workers: register(w, pool, o),
		Queues:  map[string]river.QueueConfig{QueuePatrol: {MaxWorkers: o.Scans}, QueueOther: {MaxWorkers: 2}},
		// River rescues only jobs past their timeout: a job running longer
		// than RescueAfter is stopped, and one whose worker died is handed
		// on once its scans' leases have expired too.
		JobTimeout:           o.RescueAfter,
		RescueStuckJobsAfter: o.RescueAfter + o.Lease,
		FetchPollInterval:    o.Poll,
		Logger:               quiet(os.Stderr),
	})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	if err := c.Start(ctx); err != nil {
		return nil, fmt.Errorf("queue: start worker: %w", err)
	}
	return &Worker{client: c}, nil
}

// PoolSize is the connection pool a worker running scans at once needs.
func PoolSize(scans int) int { return 2*scans + 6 }

// Stop stops taking jobs and waits for the running ones: their scans stop
// at a consistent point (interrupted, closing nothing) and the jobs go
// back to the queue for the next worker.
func (w *Worker) Stop(ctx context.Context) error {
	return w.client.StopAndCancel(ctx)
}

// patrolWorker patrols one host.
type patrolWorker struct {
	river.WorkerDefaults[PatrolArgs]
	w    *Work
	pool *pgxpool.Pool
	wait time.Duration // how long to wait for a held host or target
}

func (pw *patrolWorker) Work(ctx context.Context, job *river.Job[PatrolArgs]) error {
	return pw.outcome(ctx, job, pw.patrol(ctx, job))
}

// patrol patrols the job's host while holding it.
func (pw *patrolWorker) patrol(ctx context.Context, job *river.Job[PatrolArgs]) error {
	a := job.Args
	conn, err := pw.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("queue: patrol %s: %w", a.Host, err)
	}
	defer conn.Release()
	held, err := lock(ctx, conn, a.Host, true)
	if err != nil {
		return fmt.Errorf("queue: lock host %s: %w", a.Host, err)
	}
	if !held {
		slog.Info("host being patrolled by another worker: waiting", "host", a.Host, "job", job.ID)
		return errHostHeld
	}
	defer unlock(ctx, conn, a.Host)
	defer rescoreSoon(ctx)

	var errs []error
	for _, part := range []struct {
		kind  string
		names []string
	}{{"site", a.Sites}, {"account", a.Accounts}} {
		todo, err := pw.unfinished(ctx, part.names, a.Enqueued)
		if err != nil {
			return err
		}
		if len(todo) == 0 {
			continue
		}
		err = pw.w.Patrol.Run(ctx, patrol.Request{Names: todo, Kind: part.kind, Nightly: a.Nightly, SkipRescore: true})
		if errors.Is(err, patrol.ErrNoTarget) {
			err = nil // removed or paused since it was enqueued
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// errHostHeld is a host another worker's job is patrolling.
var errHostHeld = errors.New("queue: host held by another worker")

// outcome is what River is told of a patrol that ended with err.
func (pw *patrolWorker) outcome(ctx context.Context, job *river.Job[PatrolArgs], err error) error {
	a := job.Args
	// The context first: a patrol cut short returns no error of its own.
	switch {
	case errors.Is(err, errHostHeld):
		return river.JobSnooze(pw.wait)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		// Longer than jobs.rescue_after allows: what it found is saved, it
		// closed nothing. The retry goes on with the targets not scanned
		// since the patrol was enqueued, so a long host's last sites are
		// not left out night after night.
		slog.Error("host patrol stopped: it ran longer than jobs.rescue_after; the rest is retried", "host", a.Host, "job", job.ID)
		return fmt.Errorf("queue: patrol of %s ran past its time limit: %w", a.Host, ctx.Err())
	case ctx.Err() != nil:
		// This worker is stopping: the job goes back to the queue at once
		// (not counted as a failed attempt) for the next worker.
		return river.JobSnooze(0)
	case errors.Is(err, store.ErrScanning):
		// A target is held by a scan elsewhere (a UI scan, or a killed
		// worker's until its lease expires): try again after a lease.
		patrol.LogRefusals(err)
		return river.JobSnooze(pw.wait)
	}
	return err // nil, or retried by River
}

// unfinished are the names without a scan finished since.
func (pw *patrolWorker) unfinished(ctx context.Context, names []string, since time.Time) ([]string, error) {
	var todo []string
	for _, n := range names {
		done, err := pw.w.Finished(ctx, n, since)
		if err != nil {
			return nil, err
		}
		if !done {
			todo = append(todo, n)
		}
	}
	return todo, nil
}

// probeWorker probes a batch of home pages.
type probeWorker struct {
	river.WorkerDefaults[ProbeArgs]
	w *Work
}

func (pw *probeWorker) Work(ctx context.Context, job *river.Job[ProbeArgs]) error {
	err := pw.w.Patrol.ProbeSites(ctx, job.Args.Sites, false)
	rescoreSoon(ctx)
	if ctx.Err() != nil {
		return river.JobCancel(ctx.Err()) // the next probe comes soon enough
	}
	patrol.LogRefusals(err)
	if errors.Is(err, store.ErrScanning) {
		return nil // a site being scanned is probed next time
	}
	return err
}

// rescoreSoon asks for the scorecards to be recomputed at the end of this
// minute (one job for every scan and probe finishing in it).
func rescoreSoon(ctx context.Context) {
	c, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return
	}
	next := time.Now().UTC().Truncate(time.Minute).Add(time.Minute)
	if _, err := c.Insert(context.WithoutCancel(ctx), RescoreArgs{Minute: next}, &river.InsertOpts{ScheduledAt: next}); err != nil {
		slog.Error("rescore not enqueued", "err", err)
	}
}
