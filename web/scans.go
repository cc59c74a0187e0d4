package web

import (
	"net/http"

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
	if p.Jobs, err = s.st.JobRuns(ctx, 50); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "scans", u, "巡检记录", p)
}
