// Package scan runs one scan of one target end to end: crawl, check, store.
// It reads like the pipeline it is (crawler → checks → store) and returns a
// report of what it did.
package scan

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/store"
)

// Site is a website to scan.
type Site struct {
	Name, URL    string
	AllowedHosts []string
	Owner, Email string
}

// Options tune a scan.
type Options struct {
	Crawl crawler.Options
	// Progress, when set, receives a snapshot of the crawl about four times a
	// second and once at the end.
	Progress func(crawler.Progress)
	// Now is the clock (tests fix it); time.Now when nil.
	Now func() time.Time
}

// Report is what one scan did.
type Report struct {
	Target   string
	ScanID   int64
	Status   store.ScanStatus
	Stats    crawler.Stats
	Summary  store.Summary
	Findings int // findings of this scan (before merging into issues)
	Broken   int // distinct broken link targets
}

// judged are the categories a site scan decides; only their issues can be
// verified fixed by it.
var judged = []checks.Category{checks.DeadLink, checks.SiteUnreachable}

// Run scans site and saves what it finds. An error means the scan could not
// run (bad URL, database trouble); everything the site does wrong, even
// being unreachable, is a finding. Cancelling ctx stops the crawl; what was
// found so far is still saved, and nothing is closed.
func Run(ctx context.Context, st *store.Store, site Site, opts Options) (Report, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	rep := Report{Target: site.Name}
	targetID, err := st.SyncTarget(ctx, store.Target{Name: site.Name, URL: site.URL, Owner: site.Owner, Email: site.Email}, now())
	if err != nil {
		return rep, err
	}
	scanID, err := st.StartScan(ctx, targetID, now())
	if err != nil {
		return rep, err
	}
	rep.ScanID = scanID

	co := opts.Crawl
	co.AllowedHosts = append(append([]string(nil), co.AllowedHosts...), site.AllowedHosts...)
	c := crawler.New(co)
	stopProgress := reportProgress(c, opts.Progress)
	res, err := c.Run(ctx, site.URL, nil)
	stopProgress()
	// From here on the scan is saved even if ctx was cancelled: the store
	// write is one transaction, quick, and keeps the database consistent.
	save := context.WithoutCancel(ctx)
	if err != nil {
		_ = st.FailScan(save, scanID, err.Error(), now())
		return rep, fmt.Errorf("scan %s: %w", site.Name, err)
	}

	findings := checks.DeadLinks(res, co.Timeout)
	rep.Stats, rep.Findings = res.Stats, len(findings)
	rep.Status = status(res)
	result := store.ScanResult{
		Status: rep.Status, Pages: res.Stats.Pages, Links: res.Stats.Links,
		Requests: res.Stats.Requests, Bytes: res.Stats.Bytes, Note: note(res),
		Findings: findings, Categories: judged,
		PageRows: pageRows(res), LinkRows: linkRows(res),
	}
	for _, t := range res.Targets {
		if t.Status.Broken() {
			rep.Broken++
		}
	}
	rep.Summary, err = st.FinishScan(save, scanID, targetID, result, now())
	if err != nil {
		return rep, err
	}
	return rep, nil
}

func status(res *crawler.Result) store.ScanStatus {
	switch {
	case res.Interrupted:
		return store.ScanInterrupted
	case !res.Complete:
		return store.ScanPartial
	}
	return store.ScanComplete
}

func note(res *crawler.Result) string {
	var parts []string
	if res.Interrupted {
		parts = append(parts, "scan interrupted: nothing was closed")
	}
	if res.Stats.PagesCapped > 0 {
		parts = append(parts, fmt.Sprintf("page budget reached: %d pages not fetched, nothing was closed", res.Stats.PagesCapped))
	}
	if st := res.Targets[res.Start].Status; st.Problem != crawler.NoProblem {
		parts = append(parts, fmt.Sprintf("start page not fetched (%s): nothing was closed", st.Problem))
	}
	if res.Stats.TrapSkipped > 0 {
		parts = append(parts, fmt.Sprintf("crawler-trap cap skipped %d URLs under %s", res.Stats.TrapSkipped, strings.Join(res.Stats.TrapPaths, ", ")))
	}
	parts = append(parts, res.Stats.Notes...)
	return strings.Join(parts, "; ")
}

func pageRows(res *crawler.Result) []store.PageRow {
	rows := make([]store.PageRow, len(res.Pages))
	for i, p := range res.Pages {
		rows[i] = store.PageRow{URL: p.URL, ContentType: p.ContentType, Encoding: p.Encoding, Hash: p.Hash,
			ETag: p.ETag, LastModified: p.LastModified, Title: p.Title, Status: p.Status, Depth: p.Depth}
	}
	return rows
}

func linkRows(res *crawler.Result) []store.LinkRow {
	refs := make([]int, len(res.Targets))
	for _, e := range res.Edges {
		refs[e.To]++
	}
	rows := make([]store.LinkRow, len(res.Targets))
	for i, t := range res.Targets {
		rows[i] = store.LinkRow{URL: t.URL, Kind: t.Kind.String(), Internal: t.Internal, Status: t.Status.Status,
			Problem: string(t.Status.Problem), Detail: t.Status.Detail, Referrers: refs[i]}
	}
	return rows
}

func reportProgress(c *crawler.Crawler, fn func(crawler.Progress)) (stop func()) {
	if fn == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fn(c.Progress())
			case <-done:
				fn(c.Progress())
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}
