package queue

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/xunjian/xunjian/patrol"
)

// ProbeBatch is how many home pages one probe job probes.
const ProbeBatch = 50

// Enqueuer puts the scheduled work into the queue (serve's side).
type Enqueuer struct {
	client *river.Client[pgx.Tx]
	hosts  func(ctx context.Context) ([]patrol.Host, error)
}

// NewEnqueuer is an enqueuer on pool; hosts lists the targets to patrol by
// host.
func NewEnqueuer(pool *pgxpool.Pool, hosts func(ctx context.Context) ([]patrol.Host, error)) (*Enqueuer, error) {
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: quiet(os.Stderr)})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return &Enqueuer{client: c, hosts: hosts}, nil
}

// Patrol enqueues a patrol of every host: how many were enqueued (a host
// whose patrol is still waiting or running is not enqueued again).
func (e *Enqueuer) Patrol(ctx context.Context, nightly bool) (int, error) {
	hosts, err := e.hosts(ctx)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	var ps []river.InsertManyParams
	for _, h := range hosts {
		ps = append(ps, river.InsertManyParams{Args: PatrolArgs{Host: h.Host, Sites: h.Sites, Accounts: h.Accounts, Nightly: nightly, Enqueued: now}})
	}
	return e.insert(ctx, ps)
}

// Probes enqueues probes of every enabled site's home page, in batches.
func (e *Enqueuer) Probes(ctx context.Context) (int, error) {
	hosts, err := e.hosts(ctx)
	if err != nil {
		return 0, err
	}
	var sites []string
	for _, h := range hosts {
		sites = append(sites, h.Sites...)
	}
	var ps []river.InsertManyParams
	for batch := range slices.Chunk(sites, ProbeBatch) {
		ps = append(ps, river.InsertManyParams{Args: ProbeArgs{Sites: batch}})
	}
	return e.insert(ctx, ps)
}

// Digest enqueues the weekly digests asked for at now (once a week).
func (e *Enqueuer) Digest(ctx context.Context, now time.Time) error {
	_, err := e.insert(ctx, []river.InsertManyParams{{Args: DigestArgs{Week: now.Format(time.DateOnly)}}})
	return err
}

// Housekeeping enqueues the pruning.
func (e *Enqueuer) Housekeeping(ctx context.Context) error {
	_, err := e.insert(ctx, []river.InsertManyParams{{Args: HousekeepingArgs{}}})
	return err
}

// insert inserts the jobs in batches (a province's thousands of hosts in
// a few round trips); how many were new.
func (e *Enqueuer) insert(ctx context.Context, ps []river.InsertManyParams) (int, error) {
	n := 0
	for batch := range slices.Chunk(ps, 500) {
		res, err := e.client.InsertMany(ctx, batch)
		if err != nil {
			return n, fmt.Errorf("queue: enqueue %s: %w", batch[0].Args.Kind(), err)
		}
		for _, r := range res {
			if !r.UniqueSkippedAsDuplicate {
				n++
			}
		}
	}
	return n, nil
}
