// Package patrol runs patrols: it reads the targets from the store, scans
// sites and accounts one scan per target at a time (in this process, and
// across processes through the store's lease), and reports progress. The
// CLI's scan and probe, the UI's 立即扫描 and the schedule's jobs all call it.
package patrol

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/scan"
	"github.com/xunjian/xunjian/store"
)

// Patrol runs scans of the stored targets.
type Patrol struct {
	life context.Context // the process's life: scans started by ScanNow stop with it
	st   *store.Store
	set  Settings
	loc  *time.Location
	out  io.Writer // where finished scans are reported

	mu      sync.Mutex
	running map[string]*Running
	wg      sync.WaitGroup
}

// Running is a scan in progress in this process.
type Running struct {
	Target               string
	Started              time.Time
	Pages, Queued, Links int
}

// New is a patrol over st with the given settings; loc is the office's
// time zone (dates without a zone, "days since"), out receives the report
// of each finished scan (io.Discard for none). Scans ScanNow starts stop
// when life ends.
func New(life context.Context, st *store.Store, set Settings, loc *time.Location, out io.Writer) *Patrol {
	if out == nil {
		out = io.Discard
	}
	return &Patrol{life: life, st: st, set: set, loc: loc, out: SyncWriter(out), running: map[string]*Running{}}
}

// Request is one run of a patrol.
type Request struct {
	// Target is the one site or account to scan; "" for all (or Names).
	Target string
	// Names are the sites and accounts to scan when Target is "" (a job's
	// share of a patrol); none: all.
	Names []string
	// SkipRescore leaves the scorecards as they are: the caller recomputes
	// them once after many runs (the job queue's rescore job).
	SkipRescore bool
	// Kind is "site" or "account" to scan only those; "" for both.
	Kind string
	// Paused scans a paused target too (the operator named it).
	Paused bool
	// AcceptFewerPages judges the scans as complete even when they read far
	// fewer pages than the last complete one (the site really shrank).
	AcceptFewerPages bool
	// Nightly patrols the sites by the refresh policy (Settings.Nightly):
	// a nightly patrol between full crawls. Otherwise — a scan asked for
	// by hand, from the CLI or the UI — the sites are crawled in full.
	Nightly bool
	// Progress receives live progress lines (the CLI's stderr); nil: none.
	Progress io.Writer
	// started is called when a scan holds its target (not refused).
	started func()
}

// ErrNoTarget is a request naming no stored target (or a paused one).
var ErrNoTarget = errors.New("patrol: no such target")

// Run scans the sites, then the accounts. A target another scan holds — in
// this process or another — is skipped and the others are scanned; the
// refusals are returned at the end, joined, each saying in Chinese who
// holds the target since when.
func (p *Patrol) Run(ctx context.Context, req Request) error {
	names := req.Names
	if req.Target != "" {
		names = []string{req.Target}
	}
	sites, accts, err := p.targets(ctx, names, req.Paused)
	if err != nil {
		return err
	}
	switch req.Kind {
	case "site":
		accts = nil
	case "account":
		sites = nil
	}
	if len(sites) == 0 && len(accts) == 0 {
		if req.Target != "" {
			return fmt.Errorf("%w: %q", ErrNoTarget, req.Target)
		}
		return fmt.Errorf("%w: no site or account is declared or enabled", ErrNoTarget)
	}
	set, err := p.set.Rules()
	if err != nil {
		return err
	}
	opts := scan.Options{Crawl: p.set.Crawl, Columns: p.set.Columns, Rules: set, Now: p.clock(), Policy: p.set.Policy, Interaction: p.set.Interaction,
		ReadAttachments: p.set.ReadAttachments, AcceptFewerPages: req.AcceptFewerPages, Started: req.started,
		Full: !req.Nightly, Heartbeat: p.set.Heartbeat}
	if req.Nightly {
		opts.Nightly = p.set.Nightly
	}
	var refused []error
	refuse := func(err error) { refused = append(refused, refusal(err, p.loc)) }
	for _, s := range sites {
		if ctx.Err() != nil {
			break
		}
		if err := p.start(s.Name); err != nil {
			refuse(err)
			continue
		}
		guard := p.set.Collapse
		o := opts
		o.Collapse, o.Progress = &guard, p.progress(s.Name)
		if req.Progress != nil {
			o.Progress = both(o.Progress, progressPrinter(req.Progress, s.Name))
		}
		rep, err := scan.Run(ctx, p.st, s, o)
		p.finish(s.Name)
		if errors.Is(err, store.ErrScanning) {
			refuse(err)
			continue
		}
		if err != nil {
			return err
		}
		p.print(func(w io.Writer) { printReport(w, rep) })
	}
	if len(accts) > 0 && ctx.Err() == nil {
		if err := p.runAccounts(ctx, accts, opts, refuse); err != nil {
			return err
		}
	}
	if req.SkipRescore {
		return errors.Join(refused...)
	}
	cards, err := p.rescore(ctx)
	if err == nil {
		p.print(func(w io.Writer) { printScores(w, cards, sites, accts) })
	}
	return errors.Join(append(refused, err)...)
}

// Rescore recomputes the scorecards (after runs with SkipRescore).
func (p *Patrol) Rescore(ctx context.Context) error {
	_, err := p.rescore(ctx)
	return err
}

// rescore recomputes the scorecards after a patrol or probe (also one cut
// short: what it saved counts).
func (p *Patrol) rescore(ctx context.Context) ([]reports.Scorecard, error) {
	cards, err := reports.Rescore(context.WithoutCancel(ctx), p.st, p.set.Score, time.Now(), p.loc)
	if err != nil {
		return nil, fmt.Errorf("patrol: scores not recomputed: %w", err)
	}
	return cards, nil
}

// runAccounts scans the accounts as one batch.
func (p *Patrol) runAccounts(ctx context.Context, accts []scan.Account, opts scan.Options, refuse func(error)) error {
	batch := accts[0].Name
	if len(accts) > 1 {
		// Named by its first account too: two batches (two hosts' jobs in
		// one worker) are told apart.
		batch = fmt.Sprintf("政务新媒体账号（%s 等 %d 个）", accts[0].Name, len(accts))
	}
	if err := p.start(batch); err != nil {
		refuse(err)
		return nil
	}
	defer p.finish(batch)
	reps, err := scan.RunAccounts(ctx, p.st, accts, scan.Options{Crawl: opts.Crawl, Rules: opts.Rules, Now: opts.Now, Started: opts.Started, Heartbeat: opts.Heartbeat},
		p.set.Accounts)
	p.print(func(w io.Writer) { printAccounts(w, reps, p.loc) })
	if errors.Is(err, store.ErrScanning) {
		for _, e := range errorsOf(err) {
			refuse(e)
		}
		return nil
	}
	return err
}

// ScanAll is the nightly job: every enabled site, then every account; the
// refusals are logged.
func (p *Patrol) ScanAll(ctx context.Context) error {
	err := p.Run(ctx, Request{Nightly: true})
	LogRefusals(err)
	return err
}

// ScanNow starts a scan of one site or account in the background, once it
// holds its target: a target being scanned (here or by another process) is
// refused with the *store.ScanningError, before ScanNow returns.
func (p *Patrol) ScanNow(name string) error {
	sites, accts, err := p.targets(p.life, []string{name}, false)
	if err != nil {
		return err
	}
	if len(sites) == 0 && len(accts) == 0 {
		return fmt.Errorf("“%s”不存在或已暂停", name)
	}
	started := make(chan error, 1)
	var once sync.Once
	signal := func(err error) { once.Do(func() { started <- err }) }
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		err := p.Run(p.life, Request{Target: name, started: func() { signal(nil) }})
		signal(err)
		switch {
		case errors.Is(err, store.ErrScanning):
			LogRefusals(err)
		case err != nil:
			slog.Error("scan failed", "target", name, "err", err)
		}
	}()
	return <-started
}

// Probe probes each enabled site's home page once (the one named, when
// name is not ""); one site's trouble does not keep the others from theirs.
func (p *Patrol) Probe(ctx context.Context, name string) error {
	if name == "" {
		return p.ProbeSites(ctx, nil, true)
	}
	sites, _, err := p.targets(ctx, []string{name}, true)
	if err != nil {
		return err
	}
	if len(sites) == 0 {
		return fmt.Errorf("%w: no site named %q", ErrNoTarget, name)
	}
	return p.probe(ctx, sites, true)
}

// ProbeSites probes the enabled sites named (none: all), then recomputes
// the scorecards when rescore is set.
func (p *Patrol) ProbeSites(ctx context.Context, names []string, rescore bool) error {
	sites, _, err := p.targets(ctx, names, false)
	if err != nil {
		return err
	}
	return p.probe(ctx, sites, rescore)
}

func (p *Patrol) probe(ctx context.Context, sites []scan.Site, rescore bool) error {
	opts := scan.Options{Crawl: p.set.Crawl, Now: p.clock()}
	var errs []error
	for _, s := range sites {
		rep, err := scan.Probe(ctx, p.st, s, opts, p.set.Availability)
		if err != nil {
			errs = append(errs, refusal(err, p.loc))
			continue
		}
		p.print(func(w io.Writer) { PrintProbe(w, rep, p.set.Crawl.Timeout) })
	}
	if !rescore {
		return errors.Join(errs...)
	}
	_, err := p.rescore(ctx)
	return errors.Join(append(errs, err)...)
}

// print writes a report in one piece: concurrent scans' reports do not
// interleave line by line.
func (p *Patrol) print(report func(io.Writer)) {
	var b bytes.Buffer
	report(&b)
	p.out.Write(b.Bytes())
}

// Wait waits for the scans ScanNow started to stop.
func (p *Patrol) Wait() { p.wg.Wait() }

// clock is the clock in the office's time zone: "days since" and dates
// without a zone count in it, whatever the server's own zone.
func (p *Patrol) clock() func() time.Time {
	return func() time.Time { return time.Now().In(p.loc) }
}

// start marks name as running; a *store.ScanningError when it already is.
// This refuses a second scan of a name this process is scanning before the
// database is asked; the store's lease keeps one scan per target across
// processes.
func (p *Patrol) start(name string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r := p.running[name]; r != nil {
		return &store.ScanningError{Target: name, Kind: store.KindCrawl, Since: r.Started, Holder: "this process"}
	}
	p.running[name] = &Running{Target: name, Started: time.Now()}
	return nil
}

func (p *Patrol) finish(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, name)
}

// progress is a crawl progress callback that updates name's entry.
func (p *Patrol) progress(name string) func(crawler.Progress) {
	return func(pr crawler.Progress) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if r := p.running[name]; r != nil {
			r.Pages, r.Queued, r.Links = pr.Pages, pr.Queued, pr.Links
		}
	}
}

// Running lists the scans in progress, oldest first.
func (p *Patrol) Running() []Running {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Running, 0, len(p.running))
	for _, r := range p.running {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(x, y Running) int { return x.Started.Compare(y.Started) })
	return out
}

// both calls two progress callbacks.
func both(f, g func(crawler.Progress)) func(crawler.Progress) {
	return func(p crawler.Progress) { f(p); g(p) }
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

// LogRefusals logs, in English, each scan refused in err.
func LogRefusals(err error) {
	for _, e := range errorsOf(err) {
		var se *store.ScanningError
		if errors.As(e, &se) {
			slog.Warn("scan refused: the target is being scanned", "target", se.Target, "kind", se.Kind, "scan", se.ScanID,
				"since", se.Since, "holder", se.Holder)
		}
	}
}

// SyncWriter is w with its writes serialised: the patrol's reports come
// from several goroutines, and a caller writing to the same place (serve's
// own messages) shares the lock by writing through it.
func SyncWriter(w io.Writer) io.Writer {
	if lw, ok := w.(*lockedWriter); ok {
		return lw
	}
	return &lockedWriter{w: w}
}

// lockedWriter serialises writes from concurrent scans.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
