package web

import (
	"net/http"
	"slices"

	"github.com/xunjian/xunjian/store"
)

type scanListPage struct {
	Running []Running
	Scans   []store.Scan
	Probes  []store.Scan
	Jobs    []store.JobRun
	Refresh bool
}

// scanList is 巡检记录: scans running now (the page refreshes itself while
// one runs, without script), the scan history with counts, the latest
// availability probes, and the scheduled jobs' runs with their errors.
func (s *Server) scanList(w http.ResponseWriter, r *http.Request, u store.User) {
	ctx := r.Context()
	var p scanListPage
	var err error
	if s.opts.Runner != nil {
		p.Running = s.opts.Runner.Running()
		p.Refresh = len(p.Running) > 0
	}
	if p.Scans, err = s.st.ScansOf(ctx, store.KindCrawl, 200); err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Probes, err = s.st.ScansOf(ctx, store.KindProbe, 20); err != nil {
		s.serverError(w, r, err)
		return
	}
	names, err := s.tenantTargets(ctx, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if names != nil {
		// A district's staff see their district's scans, not the city's
		// jobs.
		others := func(sc store.Scan) bool { return !seen(names, sc.Target) }
		p.Scans, p.Probes = slices.DeleteFunc(p.Scans, others), slices.DeleteFunc(p.Probes, others)
		p.Running = slices.DeleteFunc(p.Running, func(run Running) bool { return !seen(names, run.Target) })
		p.Refresh = len(p.Running) > 0
	} else if p.Jobs, err = s.st.JobRuns(ctx, 50); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "scans", u, "巡检记录", p)
}
