package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// cmdReport writes the notice (通报) of a period:
// xunjian report --config F [--period 2026-Q4|2026-11|2026] [--format docx|xlsx] --output FILE.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "configuration file")
	period := fs.String("period", "", "a quarter (2026-Q4), a month (2026-11) or a year (2026); default: this quarter")
	format := fs.String("format", "docx", "docx (the notice, for Word/WPS) or xlsx (its tables)")
	output := fs.String("output", "", "the file to write")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *output == "" {
		return usageError{"--output FILE is required, e.g. --output 通报-2026Q4.docx"}
	}
	if *format != "docx" && *format != "xlsx" {
		return usageError{fmt.Sprintf("--format %q: use docx or xlsx", *format)}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	now := time.Now().In(cfg.Location)
	p := reports.QuarterOf(now)
	if *period != "" {
		if p, err = reports.ParsePeriod(*period, cfg.Location); err != nil {
			return usageError{err.Error()}
		}
	}
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	set := patrol.SettingsOf(cfg)
	n, err := reports.FreshNotice(ctx, st, set.Score, p, set.Notice, now, cfg.Location)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if *format == "xlsx" {
		err = reports.WriteSheets(&b, n.Sheets())
	} else {
		err = reports.WriteNoticeDOCX(&b, n)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*output, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已生成%s通报：%s（门户网站预估得分 %.1f，%d 个对象存在单项否决，未解决问题 %d 个）\n",
		p.Label, *output, n.Overview.Score, n.Overview.Failed, n.Overview.Open)
	return nil
}
