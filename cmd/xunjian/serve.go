package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/digest"
	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/schedule"
	"github.com/xunjian/xunjian/store"
)

// cmdServe runs xunjian unattended: the staff UI, nightly scans of every
// site and account, availability probes through the day, the weekly
// digests, and housekeeping, until it is stopped (Ctrl-C, SIGTERM), when a
// running scan stops at a consistent point.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "configuration file")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	stdout = patrol.SyncWriter(stdout) // the jobs report from their own goroutines
	o, err := openPatrol(ctx, *cfgPath, stdout)
	if err != nil {
		return err
	}
	defer o.st.Close()
	cfg, st, p := o.cfg, o.st, o.p
	ui, err := serveUI(ctx, cfg, st, p, o.rulesVersion, cfg.Listen, stdout)
	if err != nil {
		return err
	}
	jobs := serveJobs(cfg, st, p)
	queued := store.IsPostgres(cfg.Database)
	if queued {
		// A city's deployment: the schedule fills the queue, workers empty it.
		enq, closeQueue, err := openEnqueuer(ctx, cfg, p)
		if err != nil {
			ui.Stop()
			return err
		}
		defer closeQueue()
		jobs = enqueueJobs(cfg, enq, stdout)
	}
	sc, err := schedule.New(cfg.Location, jobs, st, func() time.Time { return time.Now().In(cfg.Location) })
	if err != nil {
		ui.Stop()
		return err
	}
	sc.Start(ctx, jobs)
	if cfg.SMTP.Host != "" && cfg.LinkBase() == "" {
		slog.Warn("digests will not be sent: no ui_base_url, and the listen address is not one others can reach", "listen", cfg.Listen, "config", cfg.Path)
		fmt.Fprintln(stdout, digest.NoLinkBase)
	}
	fmt.Fprintf(stdout, "xunjian 巡检服务已启动：扫描 %q，可用性探测 %q，周报 %q（%s），按 Ctrl-C 停止\n",
		cfg.Schedule.Scan, cfg.Schedule.Probe, cfg.Schedule.Digest, cfg.Timezone)
	if queued {
		fmt.Fprintln(stdout, "任务按计划放入队列，由 xunjian worker 进程执行（请至少启动一个 worker）。")
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "正在停止：等待进行中的任务保存结果……")
	ui.Stop()
	p.Wait()
	return sc.Stop()
}

// serveJobs are the scheduled jobs.
func serveJobs(cfg config.Config, st *store.Store, p *patrol.Patrol) []schedule.Job {
	return []schedule.Job{
		{Name: "scan", Cron: cfg.Schedule.Scan, CatchUp: 24 * time.Hour, Run: p.ScanAll},
		{Name: "probe", Cron: cfg.Schedule.Probe, Run: func(ctx context.Context) error {
			err := p.Probe(ctx, "")
			patrol.LogRefusals(err)
			return err
		}},
		{Name: "digest", Cron: cfg.Schedule.Digest, CatchUp: 7 * 24 * time.Hour, Run: func(ctx context.Context) error {
			return digest.Weekly(ctx, st, cfg)
		}},
		{Name: "housekeeping", Cron: cfg.Schedule.Housekeeping, Run: func(ctx context.Context) error {
			return housekeeping(ctx, cfg, st)
		}},
	}
}

// housekeeping prunes expired sessions and old probes and job runs.
func housekeeping(ctx context.Context, cfg config.Config, st *store.Store) error {
	if err := st.PruneSessions(ctx, time.Now()); err != nil {
		return err
	}
	return st.Prune(ctx, time.Now().AddDate(0, 0, -cfg.Schedule.KeepDays))
}
