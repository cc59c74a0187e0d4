// Package queue runs the patrol's work as River jobs in a PostgreSQL
// database, so that a city or province spreads its nightly patrol over
// any number of worker processes on any number of machines: `xunjian
// serve` enqueues the jobs on its schedule, `xunjian worker` processes run
// them. A district on SQLite has no queue: serve runs the same work itself.
//
// The jobs are a patrol of one host (its sites and the accounts whose
// source it serves), probes of a batch of home pages, the weekly digests,
// housekeeping, and a rescore of the scorecards after them. What keeps the
// work right across machines:
//
//   - One worker at a time per host: a patrol job holds a PostgreSQL
//     advisory lock on its host for as long as it runs (a killed worker's
//     connection drops and the lock with it); a second job for the host
//     waits. The crawl delay so holds whichever machine crawls.
//   - A worker killed mid-scan: its job is rescued after Jobs.RescueAfter
//     and retried by another worker; the dead scan's lease on its target
//     expires after Jobs.Lease, the retry marks it interrupted and scans
//     the target afresh. A scan saves its findings in one transaction at
//     its end, so the dead one stored nothing and closed nothing, and each
//     finding is stored once, by the scan that finished.
//   - A retried job skips the targets a scan already finished since the
//     job was enqueued.
package queue

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// The queues: the patrols of hosts, and everything else (short jobs that
// must not wait behind a night of crawling).
const (
	QueuePatrol = "patrol"
	QueueOther  = river.QueueDefault
)

// lockClass is the first key of the advisory locks this package takes
// (migrations, hosts): apart from anyone else's locks on the database.
const lockClass = 0x78756e // "xun"

// waiting are the job states in which a job with the same unique arguments
// is not inserted again (River requires at least these): one waiting or
// running job per host, batch or period. A finished job does not block
// the next night's.
var waiting = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled}

// live is waiting and waiting to be retried.
var live = slices.Concat(waiting, []rivertype.JobState{rivertype.JobStateRetryable})

// PatrolArgs is the patrol of one host.
type PatrolArgs struct {
	Host     string   `json:"host" river:"unique"`
	Sites    []string `json:"sites,omitempty"`
	Accounts []string `json:"accounts,omitempty"`
	// Nightly patrols by the refresh policy (the schedule's patrol).
	Nightly bool `json:"nightly"`
	// Enqueued is when the patrol was asked for: a target whose scan
	// finished after it is not scanned again by a retry.
	Enqueued time.Time `json:"enqueued"`
}

// Kind names the job kind in the queue.
func (PatrolArgs) Kind() string { return "xunjian_patrol" }

// InsertOpts put the job on the patrol queue, one waiting or running per
// host. A patrol waiting to be retried does not keep the next night's
// from being enqueued (the host's lock keeps them apart), and it is tried
// a few times only.
func (PatrolArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueuePatrol, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waiting}}
}

// ProbeArgs probes a batch of sites' home pages.
type ProbeArgs struct {
	Sites []string `json:"sites" river:"unique"`
}

// Kind names the job kind in the queue.
func (ProbeArgs) Kind() string { return "xunjian_probe" }

// InsertOpts make a batch's probe wait for the one before it.
func (ProbeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: live}}
}

// DigestArgs sends the weekly digests.
type DigestArgs struct {
	Week string `json:"week" river:"unique"` // the Monday that asked, 2006-01-02
}

// Kind names the job kind in the queue.
func (DigestArgs) Kind() string { return "xunjian_digest" }

// InsertOpts send one week's digests once even if enqueued twice.
func (DigestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true,
		ByState: slices.Concat(live, []rivertype.JobState{rivertype.JobStateCompleted})}}
}

// HousekeepingArgs prunes old sessions, probes and job runs.
type HousekeepingArgs struct{}

// Kind names the job kind in the queue.
func (HousekeepingArgs) Kind() string { return "xunjian_housekeeping" }

// InsertOpts keep one housekeeping job waiting at most.
func (HousekeepingArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: live}}
}

// RescoreArgs recomputes the scorecards after the scans and probes that
// finished in one minute: one job per minute however many finished.
type RescoreArgs struct {
	Minute time.Time `json:"minute" river:"unique"`
}

// Kind names the job kind in the queue.
func (RescoreArgs) Kind() string { return "xunjian_rescore" }

// InsertOpts coalesce the rescores of one minute.
func (RescoreArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: live}}
}

// lock takes the advisory lock named key on conn, waiting for it; try
// does not wait: held reports whether it was taken.
func lock(ctx context.Context, conn *pgxpool.Conn, key string, try bool) (held bool, err error) {
	if try {
		err = conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, hashtext($2))`, lockClass, key).Scan(&held)
		return held, err
	}
	_, err = conn.Exec(ctx, `SELECT pg_advisory_lock($1, hashtext($2))`, lockClass, key)
	return err == nil, err
}

// unlock releases the lock named key, even when ctx has ended, giving up
// after a few seconds if the database does not answer.
func unlock(ctx context.Context, conn *pgxpool.Conn, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	conn.Exec(ctx, `SELECT pg_advisory_unlock($1, hashtext($2))`, lockClass, key)
}

// migrationLock names the lock of River's migrations.
const migrationLock = "river migrations"

// Migrate brings River's tables in the database up to date, under an
// advisory lock so that serve and workers starting together do not race.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	defer conn.Release()
	if _, err := lock(ctx, conn, migrationLock, false); err != nil {
		return fmt.Errorf("queue: lock for migration: %w", err)
	}
	defer unlock(ctx, conn, migrationLock)
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: quiet(io.Discard)})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: migrate River's tables: %w", err)
	}
	return nil
}

// Pool opens a connection pool on the database for the queue; conns is
// its size.
func Pool(ctx context.Context, dsn string, conns int) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	pc.MaxConns = int32(conns)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("queue: cannot reach PostgreSQL: %w", err)
	}
	return pool, nil
}

// quiet is River's logger: its warnings and errors, not its chatter.
func quiet(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn})).With("component", "river")
}
