package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/scan"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/web"
)

// activity is what this process is scanning right now, for the UI's live
// progress. It refuses a second scan of a name it is scanning before the
// database is asked; the store's lease keeps one scan per target across
// processes.
type activity struct {
	mu      sync.Mutex
	running map[string]*web.Running
}

func newActivity() *activity { return &activity{running: map[string]*web.Running{}} }

// start marks name as running; a *store.ScanningError when it already is.
func (a *activity) start(name string) error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if r := a.running[name]; r != nil {
		return &store.ScanningError{Target: name, Kind: store.KindCrawl, Since: r.Started, Holder: "this process"}
	}
	a.running[name] = &web.Running{Target: name, Started: time.Now()}
	return nil
}

func (a *activity) finish(name string) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.running, name)
}

// progress is a crawl progress callback that updates name's entry.
func (a *activity) progress(name string) func(crawler.Progress) {
	if a == nil {
		return nil
	}
	return func(p crawler.Progress) {
		a.mu.Lock()
		defer a.mu.Unlock()
		if r := a.running[name]; r != nil {
			r.Pages, r.Queued, r.Links = p.Pages, p.Queued, p.Links
		}
	}
}

// Running lists the scans in progress, oldest first.
func (a *activity) Running() []web.Running {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]web.Running, 0, len(a.running))
	for _, r := range a.running {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(x, y web.Running) int { return x.Started.Compare(y.Started) })
	return out
}

// both calls two progress callbacks (either may be nil).
func both(f, g func(crawler.Progress)) func(crawler.Progress) {
	switch {
	case f == nil:
		return g
	case g == nil:
		return f
	}
	return func(p crawler.Progress) { f(p); g(p) }
}

// patrol runs scans for the server: the nightly job and the UI's "scan
// now" share it, so both reload the rules (an allowlist entry added in the
// UI counts from the next scan) and both show up as running.
type patrol struct {
	ctx   context.Context // the server's life: scans stop at shutdown
	cfg   config.Config
	st    *store.Store
	act   *activity
	out   io.Writer
	crawl *crawler.Options // set: crawl with these instead of the configuration's (the demo)
	wg    sync.WaitGroup
}

// sites are the configured sites and those added in the UI, without the
// ones paused in the UI.
func (p *patrol) sites(ctx context.Context) ([]config.Site, error) {
	stored, err := p.st.Targets(ctx, "site")
	if err != nil {
		return nil, err
	}
	enabled := map[string]bool{}
	for _, t := range stored {
		enabled[t.Name] = t.Enabled
	}
	var out []config.Site
	for _, s := range p.cfg.Sites {
		if on, known := enabled[s.Name]; !known || on {
			out = append(out, s)
		}
		delete(enabled, s.Name)
	}
	for _, t := range stored {
		if on, ok := enabled[t.Name]; ok && on {
			out = append(out, config.Site{Name: t.Name, URL: t.URL, Owner: t.Owner, Email: t.Email})
		}
	}
	return out, nil
}

// accounts are every account to scan, without the paused ones.
func (p *patrol) accounts(ctx context.Context) ([]scan.Account, error) {
	accts, err := allAccounts(ctx, p.st, p.cfg)
	if err != nil {
		return nil, err
	}
	stored, err := p.st.Targets(ctx, "account")
	if err != nil {
		return nil, err
	}
	paused := map[string]bool{}
	for _, t := range stored {
		paused[t.Name] = !t.Enabled
	}
	return slices.DeleteFunc(accts, func(a scan.Account) bool { return paused[a.Name] }), nil
}

// targets are the sites and accounts to scan.
func (p *patrol) targets(ctx context.Context) ([]config.Site, []scan.Account, error) {
	sites, err := p.sites(ctx)
	if err != nil {
		return nil, nil, err
	}
	accts, err := p.accounts(ctx)
	return sites, accts, err
}

// scanAll is the nightly job: every site, then every account. A target
// another scan holds (a scan from the UI or the CLI) is skipped, and the
// run records why.
func (p *patrol) scanAll(ctx context.Context) error {
	set, err := loadRules(p.cfg)
	if err != nil {
		return err
	}
	sites, accts, err := p.targets(ctx)
	if err != nil {
		return err
	}
	err = scanTargets(ctx, p.cfg, p.st, set, sites, accts, scanHooks{act: p.act, crawl: p.crawl}, p.out, io.Discard)
	logRefusals(err)
	return err
}

// ScanNow starts a scan of one site or account in the background, once it
// holds its target: a target being scanned (here or by another process) is
// refused with the *store.ScanningError, before ScanNow returns.
func (p *patrol) ScanNow(name string) error {
	ctx := p.ctx
	sites, accts, err := p.targets(ctx)
	if err != nil {
		return err
	}
	sites = slices.DeleteFunc(sites, func(s config.Site) bool { return s.Name != name })
	accts = slices.DeleteFunc(accts, func(a scan.Account) bool { return a.Name != name })
	if len(sites) == 0 && len(accts) == 0 {
		return fmt.Errorf("“%s”不存在或已暂停", name)
	}
	set, err := loadRules(p.cfg)
	if err != nil {
		return err
	}
	started := make(chan error, 1)
	var once sync.Once
	signal := func(err error) { once.Do(func() { started <- err }) }
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		err := scanTargets(ctx, p.cfg, p.st, set, sites, accts, scanHooks{act: p.act, crawl: p.crawl, started: func() { signal(nil) }}, p.out, io.Discard)
		signal(err)
		switch {
		case errors.Is(err, store.ErrScanning):
			logRefusals(err)
		case err != nil:
			slog.Error("scan failed", "target", name, "err", err)
		}
	}()
	return <-started
}

// Running lists the scans in progress.
func (p *patrol) Running() []web.Running { return p.act.Running() }

// wait waits for the scans started from the UI to stop.
func (p *patrol) wait() { p.wg.Wait() }
