package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/crawler/extract"
	"github.com/xunjian/xunjian/patrol"
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
	return cfg, patrol.Validate(cfg)
}

// patrolled is what the commands that patrol open.
type patrolled struct {
	cfg          config.Config
	st           *store.Store
	p            *patrol.Patrol
	rulesVersion string // of the rules as loaded at start
}

// openPatrol loads the configuration and its rules (a mistake in either
// stops here), opens the database, syncs the configured targets into it,
// and makes a patrol that reports to out.
func openPatrol(ctx context.Context, cfgPath string, out io.Writer) (patrolled, error) {
	return openPatrolSync(ctx, cfgPath, out, true)
}

// openPatrolSync is openPatrol; sync false leaves the stored targets as
// they are (a worker: serve syncs the configuration, and a worker started
// with an older file must not pause or rewrite the city's targets).
func openPatrolSync(ctx context.Context, cfgPath string, out io.Writer, sync bool) (patrolled, error) {
	var o patrolled
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return o, err
	}
	set, err := patrol.LoadRules(cfg)
	if err != nil {
		return o, err
	}
	st, err := store.OpenWith(ctx, cfg.Database, store.Options{LeaseTTL: cfg.Jobs.Lease.D()})
	if err != nil {
		return o, err
	}
	if sync {
		if err := patrol.Sync(ctx, st, cfg, time.Now()); err != nil {
			st.Close()
			return o, err
		}
	}
	ps := patrol.SettingsOf(cfg)
	ps.Rules = patrol.Preloaded(set, ps.Rules)
	return patrolled{cfg: cfg, st: st, p: patrol.New(ctx, st, ps, cfg.Location, out), rulesVersion: set.Version}, nil
}

func cmdScan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "configuration file")
	target := fs.String("target", "", "scan only the site or account with this name (also when paused in the UI)")
	quiet := fs.Bool("quiet", false, "no live progress")
	accept := fs.Bool("accept-fewer-pages", false, "the site really shrank: judge this scan of --target as complete even if it reads far fewer pages than the last complete one (it becomes the new baseline)")
	nightly := fs.Bool("nightly", false, "patrol as the schedule does: by the refresh policy (crawl.nightly), a full crawl only when one is due (default: a full crawl)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *accept && *target == "" {
		return usageError{"--accept-fewer-pages needs --target NAME: accept one site's smaller scan at a time"}
	}
	o, err := openPatrol(ctx, *cfgPath, stdout)
	if err != nil {
		return err
	}
	defer o.st.Close()
	// A new baseline is a full crawl.
	req := patrol.Request{Target: *target, Paused: *target != "", AcceptFewerPages: *accept, Nightly: *nightly && !*accept}
	if !*quiet {
		req.Progress = stderr
	}
	err = o.p.Run(ctx, req)
	switch {
	case errors.Is(err, patrol.ErrNoTarget) && *target != "":
		return fmt.Errorf("no site or account named %q in %s, the account register or the UI", *target, o.cfg.Path)
	case errors.Is(err, patrol.ErrNoTarget):
		return fmt.Errorf("%s declares no sites or accounts (add one under the sites or accounts key)", o.cfg.Path)
	case err != nil:
		return err
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "xunjian: 已中断（interrupted）：已保存本次发现的问题，未关闭任何问题。")
	}
	return nil
}

func cmdProbe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "configuration file")
	target := fs.String("target", "", "probe only the site with this name")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	o, err := openPatrol(ctx, *cfgPath, stdout)
	if err != nil {
		return err
	}
	defer o.st.Close()
	err = o.p.Probe(ctx, *target)
	if errors.Is(err, patrol.ErrNoTarget) {
		return fmt.Errorf("no site named %q in %s", *target, o.cfg.Path)
	}
	return err
}
