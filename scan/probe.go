package scan

import (
	"context"
	"fmt"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/store"
)

// ProbeWindow is how far back the failure share looks (the indicator
// monitors a week).
const ProbeWindow = 7 * 24 * time.Hour

// ProbeReport is what one availability probe found.
type ProbeReport struct {
	Target        string
	Status        crawler.LinkStatus
	Took          time.Duration
	Total, Failed int // probes in the window, and how many failed
	Summary       store.Summary
}

// OK reports whether the home page opened.
func (r ProbeReport) OK() bool { return r.Status.Problem == crawler.NoProblem }

// Probe fetches the site's home page once (15 s limit, no retry), records the
// result and judges the week's failure share (site_unreachable).
func Probe(ctx context.Context, st *store.Store, site Site, opts Options, rules checks.AvailabilityRules) (ProbeReport, error) {
	now := opts.clock()
	rep := ProbeReport{Target: site.Name}
	targetID, scanID, err := begin(ctx, st, site.TargetID, site.target(), store.KindProbe, now)
	if err != nil {
		return rep, fmt.Errorf("probe %s: %w", site.Name, err)
	}
	ctx, release := hold(ctx, st, scanID, opts)
	defer release()
	at := now()
	rep.Status, rep.Took = crawler.Probe(ctx, site.URL, opts.Crawl)
	save := context.WithoutCancel(ctx)
	if ctx.Err() != nil { // stopped, not a failure of the site
		return rep, st.FailScan(save, scanID, "探测被中断", now())
	}
	p := store.Probe{At: at, OK: rep.OK(), Status: rep.Status.Status, Error: rep.Status.Detail, Took: rep.Took}
	if err := st.AddProbe(save, targetID, p); err != nil {
		return rep, failed(save, st, scanID, site.Name, err, now)
	}
	if rep.Total, rep.Failed, err = st.ProbeShare(save, targetID, at.Add(-ProbeWindow)); err != nil {
		return rep, failed(save, st, scanID, site.Name, err, now)
	}
	fs := checks.Availability(site.URL, rep.Total, rep.Failed, rules)
	for i := range fs {
		fs[i].Owner = site.Owner
	}
	note := ""
	if !p.OK {
		note = "首页探测失败：" + checks.Cause(rep.Status, opts.Crawl.Timeout)
	}
	rep.Summary, err = st.FinishScan(save, scanID, targetID, store.ScanResult{
		Status: store.ScanComplete, Pages: 1, Links: 1, Requests: 1, Note: note,
		Findings: fs, Judged: []string{checks.RuleProbeVeto},
	}, now())
	if err != nil {
		return rep, failed(save, st, scanID, site.Name, err, now)
	}
	return rep, nil
}
