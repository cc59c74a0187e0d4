package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/digest"
	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/queue"
	"github.com/xunjian/xunjian/schedule"
	"github.com/xunjian/xunjian/store"
)

// cmdWorker runs the jobs `xunjian serve` enqueues in a PostgreSQL
// database — host patrols, probes, digests, housekeeping — until stopped
// (Ctrl-C, SIGTERM), when its running scans stop at a consistent point and
// their jobs go back to the queue for another worker.
func cmdWorker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "configuration file (the same as serve's)")
	id := fs.String("id", "", "this worker's name in the queue (default: host name and process id)")
	poll := fs.Duration("poll", 0, "how often an idle worker looks for jobs besides being woken (default 1s)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if cfg, err := loadConfig(*cfgPath); err != nil {
		return err
	} else if !store.IsPostgres(cfg.Database) {
		return usageError{fmt.Sprintf("%s: a worker runs the jobs of a PostgreSQL database (database: postgres://…); with SQLite, xunjian serve runs them itself", cfg.Path)}
	}
	stdout = patrol.SyncWriter(stdout)
	o, err := openPatrolSync(ctx, *cfgPath, stdout, false)
	if err != nil {
		return err
	}
	defer o.st.Close()
	cfg, st, p := o.cfg, o.st, o.p
	pool, err := queue.Pool(ctx, cfg.Database, queue.PoolSize(cfg.Jobs.Scans))
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := queue.Migrate(ctx, pool); err != nil {
		return err
	}
	work := &queue.Work{
		Patrol:       p,
		Finished:     st.FinishedSince,
		Digest:       func(ctx context.Context) error { return digest.Weekly(ctx, st, cfg) },
		Housekeeping: func(ctx context.Context) error { return housekeeping(ctx, cfg, st) },
	}
	// The worker runs on after ctx ends until its jobs have stopped.
	w, err := queue.StartWorker(context.WithoutCancel(ctx), pool, work, queue.Options{Scans: cfg.Jobs.Scans,
		RescueAfter: cfg.Jobs.RescueAfter.D(), Lease: cfg.Jobs.Lease.D(), ID: *id, Poll: *poll})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "xunjian worker 已启动：同时巡检 %d 个站点主机，按 Ctrl-C 停止\n", cfg.Jobs.Scans)
	<-ctx.Done()
	fmt.Fprintln(stdout, "正在停止：进行中的扫描保存已完成部分，任务交还队列……")
	stop, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := w.Stop(stop); err != nil && !errors.Is(err, context.Canceled) {
		slog.Error("worker did not stop cleanly", "err", err)
	}
	p.Wait()
	return nil
}

// openEnqueuer is serve's side of the queue on PostgreSQL: River's tables
// brought up to date and a client that inserts jobs.
func openEnqueuer(ctx context.Context, cfg config.Config, p *patrol.Patrol) (*queue.Enqueuer, func(), error) {
	pool, err := queue.Pool(ctx, cfg.Database, 4)
	if err != nil {
		return nil, nil, err
	}
	if err := queue.Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, nil, err
	}
	enq, err := queue.NewEnqueuer(pool, p.Hosts)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return enq, pool.Close, nil
}

// enqueueJobs are serve's scheduled jobs on PostgreSQL: each puts its work
// into the queue for the workers.
func enqueueJobs(cfg config.Config, enq *queue.Enqueuer, out io.Writer) []schedule.Job {
	return []schedule.Job{
		{Name: "scan", Cron: cfg.Schedule.Scan, CatchUp: 24 * time.Hour, Run: func(ctx context.Context) error {
			n, err := enq.Patrol(ctx, true)
			fmt.Fprintf(out, "已放入队列：%d 个站点主机的夜间巡检\n", n)
			return err
		}},
		{Name: "probe", Cron: cfg.Schedule.Probe, Run: func(ctx context.Context) error {
			_, err := enq.Probes(ctx)
			return err
		}},
		{Name: "digest", Cron: cfg.Schedule.Digest, CatchUp: 7 * 24 * time.Hour, Run: func(ctx context.Context) error {
			return enq.Digest(ctx, time.Now().In(cfg.Location))
		}},
		{Name: "housekeeping", Cron: cfg.Schedule.Housekeeping, Run: func(ctx context.Context) error {
			return enq.Housekeeping(ctx)
		}},
	}
}
