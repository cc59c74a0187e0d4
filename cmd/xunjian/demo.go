package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/demosite"
	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// cmdDemo serves the built-in sample district site on loopback, scans it
// into a fresh database and prints what it found. Nothing leaves the
// machine: the site's "external" links go to a second loopback server, and
// the crawler may dial nothing but loopback.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address of the sample site")
	dbPath := fs.String("db", "", "database file (default: a new one in a temporary folder)")
	uiAddr := fs.String("ui", "127.0.0.1:8080", "address of the staff UI (another free port is taken when it is busy)")
	exit := fs.Bool("exit", false, "stop after the scan instead of serving the staff UI")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	stdout = patrol.SyncWriter(stdout) // scans started in the UI report from their own goroutines

	district, err := demosite.Start(*listen)
	if err != nil {
		return err
	}
	defer district.Close()
	siteURL := district.SiteURL

	temporary := *dbPath == ""
	if temporary {
		dir, err := os.MkdirTemp("", "xunjian-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir) // after the store is closed: the demo leaves nothing behind
		*dbPath = filepath.Join(dir, "xunjian-demo.db")
	}
	st, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()

	cfg := demosite.Config(*dbPath, siteURL, district.PlatformsURL)
	// The staff UI's "always ignore this term" writes the allowlist here.
	if err := os.MkdirAll(cfg.RulesDir, 0o755); err != nil {
		return err
	}
	if err := patrol.Sync(ctx, st, cfg, time.Now()); err != nil {
		return err
	}
	site := cfg.Sites[0].Name
	fmt.Fprintf(stdout, "示例网站（青溪区人民政府，内置已知问题）：%s\n数据库：%s\n", siteURL, *dbPath)
	fmt.Fprintf(stdout, "（示例数据：已模拟过去 7 天每 30 分钟一次的首页探测记录，%d 次中 %d 次超时）\n\n", demosite.Probes, demosite.Probes/demosite.ProbeFailEvery)
	if err := demosite.SeedProbes(ctx, st, cfg.Sites[0]); err != nil {
		return err
	}
	rs, err := patrol.LoadRules(cfg)
	if err != nil {
		return err
	}
	set := patrol.SettingsOf(cfg)
	set.Rules = patrol.Preloaded(rs, set.Rules) // the site's scan uses these; later scans reload
	set.ReadAttachments = true
	// Our own loopback servers: no need to be gentle, and nothing else may be dialled.
	set.Crawl.Concurrency, set.Crawl.Delay = 4, 0
	set.Crawl.Timeout, set.Crawl.Retries, set.Crawl.RecheckAfter = 3*time.Second, 1, 500*time.Millisecond
	set.Crawl.RetryWait = 200 * time.Millisecond
	set.Crawl.Dial = crawler.LoopbackOnly
	pt := patrol.New(ctx, st, set, cfg.Location, stdout)
	// The site's scan first: it is scan #1, the probe after it #2.
	if err := pt.Run(ctx, patrol.Request{Target: site, Progress: stderr}); err != nil {
		return err
	}
	if err := pt.Probe(ctx, site); err != nil {
		return err
	}
	if err := pt.Run(ctx, patrol.Request{Kind: "account"}); err != nil {
		return err
	}
	// The schedule's patrol between full crawls, as it would run tonight:
	// the home page and columns read in full, the pages with issues asked
	// whether they changed, the rest on its night of the week.
	fmt.Fprintln(stdout, "\n增量巡检示例（定时巡检在两次全面扫描之间的做法）：")
	if err := pt.Run(ctx, patrol.Request{Target: site, Nightly: true}); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	list, err := st.Issues(ctx, store.Filter{Statuses: store.Unresolved})
	if err != nil {
		return err
	}
	if err := reports.WriteTable(stdout, list, cfg.Location); err != nil {
		return err
	}
	// The quarter's notice, as the office would send it.
	notice := filepath.Join(filepath.Dir(*dbPath), "通报示例.docx")
	if err := writeNotice(ctx, st, set, cfg.Location, notice); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n通报示例（Word）：%s\n", notice)
	if temporary {
		fmt.Fprintln(stdout, "（演示结束时随临时目录一并删除；用 --db 指定数据库位置可保留，也可在管理界面“考评”页下载）")
	}
	fmt.Fprintf(stdout, "导出：xunjian issues --db %s --format csv --output 问题清单.csv\n", *dbPath)
	fmt.Fprintf(stdout, "栏目台账：xunjian columns --db %s\n", *dbPath)
	if *exit {
		return nil
	}
	ui, err := serveUI(ctx, cfg, st, pt, rs.Version, *uiAddr, stdout)
	if errors.Is(err, syscall.EADDRINUSE) {
		// The usual port is taken (another demo, another program): any free one will do.
		fmt.Fprintf(stderr, "xunjian: %v；改用其他端口\n", err)
		ui, err = serveUI(ctx, cfg, st, pt, rs.Version, "127.0.0.1:0", stdout)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "在浏览器中打开 %s 登录管理界面（示例网站 %s 仍在运行，按 Ctrl-C 退出）\n", ui.URL, siteURL)
	<-ctx.Done()
	ui.Stop()
	pt.Wait()
	return nil
}

// writeNotice writes this quarter's notice of the sample district.
func writeNotice(ctx context.Context, st *store.Store, set patrol.Settings, loc *time.Location, path string) error {
	now := time.Now().In(loc)
	n, err := reports.NoticeOf(ctx, st, reports.QuarterOf(now), set.Notice, now, loc) // the patrol has just scored
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := reports.WriteNoticeDOCX(&b, n); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
