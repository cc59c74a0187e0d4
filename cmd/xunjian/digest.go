package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xunjian/xunjian/digest"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// cmdDigest builds and sends (or, --dry-run, writes) the weekly digests:
// xunjian digest --config xunjian.yaml [--dry-run] [--week 2026-W48] [--out DIR].
// The default week is the last complete one.
func cmdDigest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "configuration file")
	dry := fs.Bool("dry-run", false, "write one .eml file per unit into --out instead of sending")
	weekFlag := fs.String("week", "", "ISO week, e.g. 2026-W48 (default: last week)")
	out := fs.String("out", "digests", "folder for --dry-run")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	now := time.Now().In(cfg.Location)
	week := reports.WeekOf(now.AddDate(0, 0, -7))
	if *weekFlag != "" {
		if week, err = reports.ParseWeek(*weekFlag, cfg.Location); err != nil {
			return usageError{err.Error()}
		}
	}
	if !*dry && cfg.SMTP.Host == "" {
		return fmt.Errorf("%s has no smtp host: configure smtp, or use --dry-run", cfg.Path)
	}
	if !*dry && cfg.LinkBase() == "" {
		return fmt.Errorf("%s: %s，或用 --dry-run 预览: %w", cfg.Path, strings.TrimPrefix(digest.NoLinkBase, "注意："), digest.ErrNoBaseURL)
	}
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	o := digest.OptionsOf(cfg, week, now)
	if *dry {
		o.DryRunDir = *out
	}
	res, err := digest.Run(ctx, st, o)
	if err != nil {
		return err
	}
	if *dry {
		if o.BaseURL == "" {
			fmt.Fprintln(stdout, digest.NoLinkBase)
		}
		fmt.Fprintf(stdout, "%s 周报已写出 %d 封（未发送）：\n", week, len(res.Written))
		for _, f := range res.Written {
			fmt.Fprintln(stdout, "  "+f)
		}
	} else {
		fmt.Fprintf(stdout, "%s 周报：发送 %d 封，已发送过 %d 封，暂时失败 %d 封（下次重试），地址被拒 %d 封\n",
			week, res.Sent, res.Skipped, res.Failed, res.Rejected)
	}
	if len(res.NoAddress) > 0 {
		fmt.Fprintf(stdout, "未配置收件地址的单位：%v（在 units 中配置）\n", res.NoAddress)
	}
	return nil
}
