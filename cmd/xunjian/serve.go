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
	"github.com/xunjian/xunjian/mail"
	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/reports"
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
	sc, err := schedule.New(cfg.Location, jobs, st, func() time.Time { return time.Now().In(cfg.Location) })
	if err != nil {
		ui.stop()
		return err
	}
	sc.Start(ctx, jobs)
	if cfg.SMTP.Host != "" && cfg.LinkBase() == "" {
		slog.Warn("digests will not be sent: no ui_base_url, and the listen address is not one others can reach", "listen", cfg.Listen, "config", cfg.Path)
		fmt.Fprintln(stdout, noLinkBase)
	}
	fmt.Fprintf(stdout, "xunjian 巡检服务已启动：扫描 %q，可用性探测 %q，周报 %q（%s），按 Ctrl-C 停止\n",
		cfg.Schedule.Scan, cfg.Schedule.Probe, cfg.Schedule.Digest, cfg.Timezone)
	<-ctx.Done()
	fmt.Fprintln(stdout, "正在停止：等待进行中的任务保存结果……")
	ui.stop()
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
			if cfg.SMTP.Host == "" {
				slog.Info("digest skipped: no smtp host configured")
				return nil
			}
			now := time.Now().In(cfg.Location)
			res, err := digest.Run(ctx, st, digestOptions(cfg, reports.WeekOf(now.AddDate(0, 0, -7)), now))
			if errors.Is(err, digest.ErrNoBaseURL) {
				slog.Error("digests not sent: their links would not open from a mail client", "fix", "set ui_base_url in "+cfg.Path)
			}
			if err == nil && res.Failed > 0 {
				err = fmt.Errorf("%d digests failed and will be retried", res.Failed)
			}
			return err
		}},
		{Name: "housekeeping", Cron: cfg.Schedule.Housekeeping, Run: func(ctx context.Context) error {
			if err := st.PruneSessions(ctx, time.Now()); err != nil {
				return err
			}
			return st.Prune(ctx, time.Now().AddDate(0, 0, -cfg.Schedule.KeepDays))
		}},
	}
}

// noLinkBase says why digests are not sent without the UI's full address.
const noLinkBase = "注意：未配置 ui_base_url（管理界面地址），周报中的“处理”链接将是 /issues/70 这样的相对地址，收件人无法打开，因此不发送周报；" +
	"请在配置文件中设置 ui_base_url（例如 http://xunjian.qxq.gov.cn:8080）"

// digestOptions maps configuration onto a digest run.
func digestOptions(cfg config.Config, week reports.Week, now time.Time) digest.Options {
	o := digest.Options{Week: week, Now: now, BaseURL: cfg.LinkBase(), Emails: cfg.UnitEmails(), Staff: cfg.Digest.Staff,
		SendEmpty: cfg.Digest.SendEmpty, SMTP: mail.Config{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Security: cfg.SMTP.Security,
			Username: cfg.SMTP.Username, Password: cfg.SMTP.Password, From: cfg.SMTP.From, ReplyTo: cfg.SMTP.ReplyTo}}
	if o.SMTP.From == "" {
		o.SMTP.From = "xunjian@localhost"
	}
	return o
}
