package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/extract"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/scan"
	"github.com/xunjian/xunjian/store"
)

var errHelp = errors.New("help shown")

// parseFlags parses a sub-command's flags; -h prints them and stops.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err.Error()}
	}
	return nil
}

func loadConfig(path string) (config.Config, error) {
	if path == "" {
		return config.Config{}, usageError{"--config FILE is required (see xunjian.example.yaml)"}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return cfg, err
	}
	for i, s := range cfg.Sites {
		if _, err := extract.CompileTemplate(s.Chrome); err != nil {
			return cfg, fmt.Errorf("config: %s: sites[%d] (%s) chrome: %w", path, i, s.Name, err)
		}
	}
	return cfg, nil
}

func cmdScan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "configuration file")
	target := fs.String("target", "", "scan only the site with this name")
	quiet := fs.Bool("quiet", false, "no live progress")
	accept := fs.Bool("accept-fewer-pages", false, "the site really shrank: judge this scan of --target as complete even if it reads far fewer pages than the last complete one (it becomes the new baseline)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *accept && *target == "" {
		return usageError{"--accept-fewer-pages needs --target NAME: accept one site's smaller scan at a time"}
	}
	cfg, set, st, err := openAll(ctx, *cfgPath)
	if err != nil {
		return err
	}
	defer st.Close()
	accts, err := allAccounts(ctx, st, cfg)
	if err != nil {
		return err
	}
	sites := cfg.Sites
	if *target != "" {
		sites = nil
		if s, ok := cfg.Site(*target); ok {
			sites = []config.Site{s}
		}
		accts = slices.DeleteFunc(accts, func(a scan.Account) bool { return a.Name != *target })
		if len(sites) == 0 && len(accts) == 0 {
			return fmt.Errorf("no site or account named %q in %s or the account register", *target, cfg.Path)
		}
	}
	if len(sites) == 0 && len(accts) == 0 {
		return fmt.Errorf("%s declares no sites or accounts (add one under the sites or accounts key)", cfg.Path)
	}
	if err := scanTargets(ctx, cfg, st, set, sites, accts, scanHooks{progress: !*quiet, acceptFewer: *accept}, stdout, stderr); err != nil {
		return err
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "xunjian: 已中断（interrupted）：已保存本次发现的问题，未关闭任何问题。")
	}
	return nil
}

// openAll loads the configuration and the rules and opens the database:
// what scanning needs.
func openAll(ctx context.Context, cfgPath string) (config.Config, *rules.Set, *store.Store, error) {
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return cfg, nil, nil, err
	}
	set, err := loadRules(cfg)
	if err != nil {
		return cfg, nil, nil, err
	}
	st, err := store.Open(ctx, cfg.Database)
	return cfg, set, st, err
}

// scanHooks adjust a run of scanTargets.
type scanHooks struct {
	progress bool             // print live progress to stderr (the CLI)
	act      *activity        // show the scans as running in the UI (the server)
	crawl    *crawler.Options // crawl with these instead of the configuration's (the demo)
	// acceptFewer judges the scans as complete even when they read far fewer
	// pages than the last complete one (xunjian scan --accept-fewer-pages).
	acceptFewer bool
	// started is called when a scan holds its target (not refused).
	started func()
}

// scanTargets scans the sites, then the accounts (the CLI, the nightly job
// and the UI's "scan now" share it). A target another scan holds — in this
// process or another — is skipped and the others are scanned; the
// refusals are returned at the end, joined (each a refusedError).
func scanTargets(ctx context.Context, cfg config.Config, st *store.Store, set *rules.Set, sites []config.Site, accts []scan.Account, h scanHooks, stdout, stderr io.Writer) error {
	crawl := crawlOptions(cfg.Crawl)
	if h.crawl != nil {
		crawl = *h.crawl
	}
	var refused []error
	refuse := func(err error) { refused = append(refused, refusal(err, cfg.Location)) }
	for _, s := range sites {
		if ctx.Err() != nil {
			break
		}
		if err := h.act.start(s.Name); err != nil {
			refuse(err)
			continue
		}
		guard := collapseGuard(cfg.Crawl)
		opts := scan.Options{Crawl: crawl, Columns: columnRules(cfg.Checks), Rules: set, Now: officeClock(cfg.Location),
			Policy: policyRules(cfg.Checks), ReadAttachments: cfg.Crawl.ReadAttachmentsOn(), Progress: h.act.progress(s.Name),
			Collapse: &guard, AcceptFewerPages: h.acceptFewer, Started: h.started}
		if h.progress {
			opts.Progress = both(opts.Progress, progressPrinter(stderr, s.Name))
		}
		rep, err := scan.Run(ctx, st, siteOf(s), opts)
		h.act.finish(s.Name)
		if errors.Is(err, store.ErrScanning) {
			refuse(err)
			continue
		}
		if err != nil {
			return err
		}
		printReport(stdout, rep)
	}
	if len(accts) > 0 && ctx.Err() == nil {
		batch := accts[0].Name
		if len(accts) > 1 {
			batch = fmt.Sprintf("政务新媒体账号（%d 个）", len(accts))
		}
		if err := h.act.start(batch); err != nil {
			refuse(err)
			return errors.Join(refused...)
		}
		defer h.act.finish(batch)
		reps, err := scan.RunAccounts(ctx, st, accts, scan.Options{Crawl: crawl, Rules: set, Now: officeClock(cfg.Location), Started: h.started},
			accountRules(cfg.Checks))
		printAccounts(stdout, reps, cfg.Location)
		switch {
		case errors.Is(err, store.ErrScanning):
			for _, e := range errorsOf(err) {
				refuse(e)
			}
		case err != nil:
			return err
		}
	}
	return errors.Join(refused...)
}

// refusedError is a scan refused because another scan holds its target:
// the Chinese message for staff (times in the office's zone), then the
// store's English one for the log.
type refusedError struct {
	err *store.ScanningError
	loc *time.Location
}

func (e refusedError) Error() string {
	return fmt.Sprintf("%s：%s (%v)", e.err.Target, e.err.Message(e.loc), e.err)
}

func (e refusedError) Unwrap() error { return e.err }

// refusal is err as a refusedError when it refuses a scan, else err.
func refusal(err error, loc *time.Location) error {
	var se *store.ScanningError
	if !errors.As(err, &se) {
		return err
	}
	return refusedError{err: se, loc: loc}
}

// errorsOf is the errors an errors.Join holds, or err alone.
func errorsOf(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// logRefusals logs, in English, each scan refused in err.
func logRefusals(err error) {
	for _, e := range errorsOf(err) {
		var se *store.ScanningError
		if errors.As(e, &se) {
			slog.Warn("scan refused: the target is being scanned", "target", se.Target, "kind", se.Kind, "scan", se.ScanID,
				"since", se.Since, "holder", se.Holder)
		}
	}
}

// officeClock is the clock in the office's time zone: "days since" and dates
// without a zone count in it, whatever the server's own zone.
func officeClock(loc *time.Location) func() time.Time {
	return func() time.Time { return time.Now().In(loc) }
}

// crawlOptions maps configuration onto the crawler's options.
func crawlOptions(c config.Crawl) crawler.Options {
	return crawler.Options{
		UserAgent: c.UserAgent, Concurrency: c.Concurrency, Delay: c.Delay.D(), Timeout: c.Timeout.D(),
		Retries: c.Retries, MaxBodyBytes: c.MaxBodyBytes, MaxPages: c.MaxPages, MaxDepth: c.MaxDepth,
		MaxQueryVariants: c.MaxQueryVariants, CheckExternal: c.CheckExternalLinks(), RecheckAfter: c.RecheckAfter.D(),
	}
}

// collapseGuard maps configuration onto the guard against collapsed crawls.
func collapseGuard(c config.Crawl) store.CollapseGuard {
	return store.CollapseGuard{Ratio: c.CollapseRatio, MinDrop: c.CollapseMinDrop}
}

// columnRules maps configuration onto the freshness rules; what is not
// configured keeps the national indicators' values.
func columnRules(c config.Checks) checks.ColumnRules {
	r := checks.DefaultColumnRules()
	if c.HomepageDays > 0 {
		r.HomepageDays = c.HomepageDays
		r.HomepageWarn = min(r.HomepageWarn, c.HomepageDays)
	}
	if c.HomepageWarnDays > 0 {
		r.HomepageWarn = c.HomepageWarnDays
	}
	if c.WarnRatio > 0 {
		r.WarnRatio = c.WarnRatio
	}
	if len(c.ColumnClasses) > 0 {
		r.Classes = nil
		for _, cl := range c.ColumnClasses {
			r.Classes = append(r.Classes, checks.ColumnClass{Name: cl.Name, Label: cmp.Or(cl.Label, cl.Name), Days: cl.Days, Keywords: cl.Keywords})
		}
	}
	if len(c.ExemptKeywords) > 0 {
		r.ExemptKeywords = c.ExemptKeywords
	}
	return r
}

// policyRules maps configuration onto the policy-document rules.
func policyRules(c config.Checks) checks.PolicyRules {
	r := checks.DefaultPolicyRules()
	if len(c.PolicyRequired) > 0 {
		r.Required = c.PolicyRequired
	}
	if len(c.InterpretationTypes) > 0 {
		r.InterpretationTypes = c.InterpretationTypes
	}
	return r
}

// availabilityRules maps configuration onto the probe thresholds.
func availabilityRules(c config.Checks) checks.AvailabilityRules {
	r := checks.DefaultAvailabilityRules()
	r.MinProbes = cmp.Or(c.ProbeMinCount, r.MinProbes)
	r.WarnShare = cmp.Or(c.ProbeWarnShare, r.WarnShare)
	r.VetoShare = cmp.Or(c.ProbeVetoShare, r.VetoShare)
	return r
}

// siteOf maps a configured site onto a scan target; column overrides given
// as paths are resolved against the site's URL and normalised like the
// crawler's URLs.
func siteOf(s config.Site) scan.Site {
	out := scan.Site{Name: s.Name, URL: s.URL, AllowedHosts: s.AllowedHosts, Owner: s.Owner, Email: s.Email, Chrome: s.Chrome}
	base, _ := url.Parse(s.URL)
	for _, o := range s.Columns {
		u := o.URL
		if u != "" && base != nil {
			if ru, err := base.Parse(u); err == nil {
				u = crawler.Normalize(ru)
			}
		}
		out.Columns = append(out.Columns, checks.ColumnOverride{URL: u, Name: o.Name, Class: o.Class, Owner: o.Owner})
	}
	return out
}

// progressPrinter shows the crawl live: on a terminal one line rewritten in
// place, elsewhere (logs, CI) a line every ten seconds.
func progressPrinter(w io.Writer, name string) func(crawler.Progress) {
	tty := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	var last time.Time
	return func(p crawler.Progress) {
		rate := 0.0
		if s := p.Elapsed.Seconds(); s > 0 {
			rate = float64(p.Pages) / s
		}
		line := fmt.Sprintf("%s：已抓取页面 %d，待抓取 %d，已检查链接 %d，%.1f 页/秒，用时 %s",
			name, p.Pages, p.Queued, p.Links, rate, p.Elapsed.Round(time.Second))
		if tty {
			fmt.Fprintf(w, "\r\033[K%s", line)
			if p.Queued == 0 {
				fmt.Fprintln(w)
			}
			return
		}
		if time.Since(last) >= 10*time.Second || p.Queued == 0 {
			last = time.Now()
			fmt.Fprintln(w, line)
		}
	}
}

func printReport(w io.Writer, r scan.Report) {
	s := r.Stats
	fmt.Fprintf(w, "巡检完成：%s，扫描 #%d：%s\n", r.Target, r.ScanID, r.Status.Label())
	if r.HomeUnreachable != "" {
		fmt.Fprintf(w, "  首页无法访问：%s；本次未复查关闭任何问题\n", r.HomeUnreachable)
	}
	fmt.Fprintf(w, "  页面 %d 个，链接 %d 个（失效 %d 个），请求 %d 次，%.1f MB，用时 %s\n",
		s.Pages, s.Links, r.Broken, s.Requests, float64(s.Bytes)/(1<<20), s.Elapsed.Round(10*time.Millisecond))
	fmt.Fprintf(w, "  问题：新增 %d，仍存在 %d，复查通过 %d，重新出现 %d", r.Summary.New, r.Summary.StillOpen, r.Summary.Verified, r.Summary.Reopened)
	if r.Summary.Ignored > 0 {
		fmt.Fprintf(w, "，已忽略 %d", r.Summary.Ignored)
	}
	fmt.Fprintln(w)
	if n := r.CollapseNote(); n != "" {
		fmt.Fprintf(w, "  注意：%s。如网站确已精简，可运行 xunjian scan --target %s --accept-fewer-pages 以本次为新基准。\n", n, r.Target)
	}
	var skipped []string
	if s.RobotsSkipped > 0 {
		skipped = append(skipped, fmt.Sprintf("robots.txt 禁止 %d", s.RobotsSkipped))
	}
	if s.TrapSkipped > 0 {
		skipped = append(skipped, fmt.Sprintf("疑似爬虫陷阱 %d（%s）", s.TrapSkipped, strings.Join(s.TrapPaths, "，")))
	}
	if s.DepthSkipped > 0 {
		skipped = append(skipped, fmt.Sprintf("超过最大深度 %d", s.DepthSkipped))
	}
	if s.PagesCapped > 0 {
		skipped = append(skipped, fmt.Sprintf("超过页面上限 %d", s.PagesCapped))
	}
	if len(skipped) > 0 {
		fmt.Fprintf(w, "  未抓取：%s\n", strings.Join(skipped, "；"))
	}
	if s.Rechecked > 0 {
		fmt.Fprintf(w, "  临时故障复查：%d 个链接\n", s.Rechecked)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "  注意：%s\n", n)
	}
	if len(r.Columns) > 0 {
		judged, exempt := 0, 0
		for _, c := range r.Columns {
			switch {
			case c.Class == "exempt":
				exempt++
			case c.Days > 0:
				judged++
			}
		}
		fmt.Fprintf(w, "  栏目 %d 个（按时限考核 %d，不考核 %d，未分类 %d）\n", len(r.Columns), judged, exempt, len(r.Columns)-judged-exempt)
		fmt.Fprintf(w, "  单项否决线（栏目不更新）：超期栏目 %d/5，长期未更新 %d/10，空白栏目 %d/5%s\n",
			r.Veto.Late, r.Veto.LongNotUpdated, r.Veto.Empty, vetoMark(r.Veto))
	}
	if r.Documents > 0 || r.Attachments > 0 {
		fmt.Fprintf(w, "  政策文件 %d 件；读取附件 %d 个（%.1f KB，解析与检查用时 %s", r.Documents, r.Attachments,
			float64(r.AttachmentBytes)/1024, r.AttachmentTime.Round(time.Millisecond))
		if r.AttachmentFails > 0 {
			fmt.Fprintf(w, "，%d 个无法解析", r.AttachmentFails)
		}
		fmt.Fprintln(w, "）")
	}
	if r.ProbeTotal > 0 {
		fmt.Fprintf(w, "  单项否决线（站点无法访问）：近 7 天首页探测 %d 次，失败 %d 次（%.1f%%/5%%）\n",
			r.ProbeTotal, r.ProbeFailed, 100*float64(r.ProbeFailed)/float64(r.ProbeTotal))
	} else {
		fmt.Fprintln(w, "  站点可用性：近 7 天无探测记录（xunjian probe 每 30 分钟探测一次首页）")
	}
}

func cmdProbe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "configuration file")
	target := fs.String("target", "", "probe only the site with this name")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	sites := cfg.Sites
	if *target != "" {
		s, ok := cfg.Site(*target)
		if !ok {
			return fmt.Errorf("no site named %q in %s", *target, cfg.Path)
		}
		sites = []config.Site{s}
	}
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	return probeSites(ctx, cfg, st, sites, stdout)
}

// probeSites probes each site's home page once (the CLI and the schedule's
// job share it); one site's trouble does not keep the others from their probe.
func probeSites(ctx context.Context, cfg config.Config, st *store.Store, sites []config.Site, out io.Writer) error {
	opts := scan.Options{Crawl: crawlOptions(cfg.Crawl), Now: officeClock(cfg.Location)}
	var errs []error
	for _, s := range sites {
		rep, err := scan.Probe(ctx, st, siteOf(s), opts, availabilityRules(cfg.Checks))
		if err != nil {
			errs = append(errs, refusal(err, cfg.Location))
			continue
		}
		printProbe(out, rep, cfg.Crawl.Timeout.D())
	}
	return errors.Join(errs...)
}

func printProbe(w io.Writer, r scan.ProbeReport, timeout time.Duration) {
	state := fmt.Sprintf("首页可访问（HTTP %d，%.2f 秒）", r.Status.Status, r.Took.Seconds())
	if !r.OK() {
		state = "首页无法访问：" + checks.Cause(r.Status, timeout)
	}
	fmt.Fprintf(w, "%s：%s；近 7 天探测 %d 次，失败 %d 次（%.1f%%）\n", r.Target, state, r.Total, r.Failed,
		100*float64(r.Failed)/float64(max(r.Total, 1)))
}

func vetoMark(v checks.Veto) string {
	if v.Late >= 5 || v.LongNotUpdated >= 10 || v.Empty >= 5 {
		return "  ⚠ 已达否决线"
	}
	return ""
}

// loadRules loads the rule set of the configuration: the operator's folder
// and the typo detector's threshold.
func loadRules(cfg config.Config) (*rules.Set, error) {
	set, err := rules.Load(cfg.RulesDir)
	if err != nil {
		return nil, err
	}
	if c := cfg.Checks.SuspectConfidence; c != nil {
		set.Suspect.Confidence = *c
	}
	// The district's leaders: a name one character off is a serious error,
	// and so is a title with the name a look-alike off (区委书记张建化 for
	// 张建华) or a
	// title that is another leader's.
	if len(cfg.Leaders) > 0 {
		var ls []rules.Leader
		for _, l := range cfg.Leaders {
			ls = append(ls, rules.Leader{Name: l.Name, Titles: l.Titles})
		}
		set = set.WithLeaders(ls)
	}
	return set, nil
}
