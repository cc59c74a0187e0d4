package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

type dashboardPage struct {
	Assessment assessmentGlance
	reports.OpenSummary
	New, Overdue  int
	VetoIssues    []store.Issue
	Latest        []store.Scan // each site's last scan
	Collapsed     []store.Scan // sites whose last scan read far fewer pages: nothing closed
	Accounts      accountScans
	Trend         chart
	FailedJobs    []store.JobRun
	FailedDigests []store.DigestRecord
	Running       []Running
	Today         string
}

// dashboard is 总览: what is open, what is at risk of a veto, what is new
// and overdue, the last scans, and the trend.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, u store.User) {
	if u.Role == store.RoleOwner {
		http.Redirect(w, r, "/issues", http.StatusSeeOther) // an owner's start page: its issues
		return
	}
	ctx := r.Context()
	now := s.now().In(s.loc)
	var p dashboardPage
	p.Today = now.Format("2006-01-02")
	// A district's staff in a city's database: their district's figures.
	tenant := u.Tenant
	names, err := s.tenantTargets(ctx, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	counts, err := s.st.OpenCounts(ctx, tenant)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.OpenSummary = reports.OpenOf(counts)
	if p.New, err = s.st.NewInLatestScans(ctx, tenant); err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Overdue, err = s.st.CountIssues(ctx, store.Filter{Overdue: now, Tenant: tenant}); err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Vetoes > 0 {
		for _, c := range reports.VetoCategories {
			list, err := s.st.Issues(ctx, store.Filter{Category: c, Severity: checks.High, Statuses: store.Unresolved, Limit: 10, Tenant: tenant})
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			p.VetoIssues = append(p.VetoIssues, list...)
		}
		if len(p.VetoIssues) > 10 {
			p.VetoIssues = p.VetoIssues[:10]
		}
	}
	scans, err := s.st.LatestScans(ctx, store.KindCrawl)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, sc := range scans {
		if !seen(names, sc.Target) {
			continue
		}
		if sc.TargetKind != "account" {
			p.Latest = append(p.Latest, sc)
			if sc.Status == store.ScanCollapsed {
				p.Collapsed = append(p.Collapsed, sc)
			}
			continue
		}
		// Some 80 accounts are summed up, not listed.
		a := &p.Accounts
		a.Scanned++
		if sc.StartedAt.After(a.Last) {
			a.Last = sc.StartedAt
		}
		a.New += sc.New
		if sc.Status != store.ScanComplete {
			a.Incomplete++
		}
	}
	if p.Trend, err = s.trend(r, now, p.Open, tenant); err != nil {
		s.serverError(w, r, err)
		return
	}
	// The jobs and digests are the whole deployment's: its staff's.
	if tenant == "" {
		if p.FailedJobs, p.FailedDigests, err = s.failures(r, now); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if s.opts.Runner != nil {
		p.Running = slices.DeleteFunc(s.opts.Runner.Running(), func(run Running) bool { return !seen(names, run.Target) })
	}
	if p.Assessment, err = s.glance(r, now, names); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "dashboard", u, "总览", p)
}

// assessmentGlance is what the dashboard leads with: the portal's
// projected score and health, each veto item across the targets, the
// quarter's trend and its worst units.
type assessmentGlance struct {
	Portal *reports.Scorecard
	Vetoes []vetoGlance
	Trend  chart
	Worst  []reports.UnitRank
	Period reports.Period
}

// vetoGlance is one veto item across the targets: the worst state any is
// in, and which are failing or at risk.
type vetoGlance struct {
	Name           string
	State          reports.VetoState
	Failed, AtRisk []string
}

func (s *Server) glance(r *http.Request, now time.Time, names map[string]bool) (assessmentGlance, error) {
	ctx := r.Context()
	g := assessmentGlance{Period: reports.QuarterOf(now)}
	cards, err := reports.Scorecards(ctx, s.st, now.Format(time.DateOnly))
	if names != nil {
		cards = slices.DeleteFunc(cards, func(c reports.Scorecard) bool { return !names[c.Target] })
	}
	if err != nil || len(cards) == 0 {
		return g, err
	}
	g.Portal = reports.PortalOf(cards)
	at := map[string]*vetoGlance{}
	for _, c := range cards {
		for _, v := range c.Vetoes {
			vg := at[v.Name]
			if vg == nil {
				vg = &vetoGlance{Name: v.Name, State: reports.VetoMet}
				at[v.Name] = vg
				g.Vetoes = append(g.Vetoes, vetoGlance{Name: v.Name})
			}
			switch v.State {
			case reports.VetoFailed:
				vg.Failed = append(vg.Failed, c.Target)
				vg.State = reports.VetoFailed
			case reports.VetoRisk:
				vg.AtRisk = append(vg.AtRisk, c.Target)
				if vg.State != reports.VetoFailed {
					vg.State = reports.VetoRisk
				}
			case reports.VetoManual:
				if vg.State == reports.VetoMet && len(vg.Failed)+len(vg.AtRisk) == 0 {
					vg.State = reports.VetoManual
				}
			}
		}
	}
	for i := range g.Vetoes {
		g.Vetoes[i] = *at[g.Vetoes[i].Name]
	}
	if names != nil {
		return g, nil // the quarter's trend and unit ranking are the whole city's
	}
	trend, err := reports.Trend(ctx, s.st, g.Period.From, now, s.loc)
	if err != nil {
		return g, err
	}
	g.Trend = s.trendChart(r, trend)
	g.Worst, err = reports.Worst(ctx, s.st, now, s.loc, 5)
	return g, err
}

// accountScans sums up the accounts' last scans.
type accountScans struct {
	Scanned, New, Incomplete int
	Last                     time.Time
}

// failures are the scheduled job runs of the last week that failed, and the
// digests that could not be delivered.
func (s *Server) failures(r *http.Request, now time.Time) ([]store.JobRun, []store.DigestRecord, error) {
	runs, err := s.st.JobRuns(r.Context(), 100)
	if err != nil {
		return nil, nil, err
	}
	var jobs []store.JobRun
	for _, run := range runs {
		if run.Error != "" && now.Sub(run.Started) < 7*24*time.Hour {
			jobs = append(jobs, run)
		}
	}
	ds, err := s.st.Digests(r.Context(), "")
	if err != nil {
		return nil, nil, err
	}
	var failed []store.DigestRecord
	for _, d := range ds {
		if d.Status != store.DigestSent && now.Sub(d.UpdatedAt) < 14*24*time.Hour {
			failed = append(failed, d)
		}
	}
	return jobs, failed, nil
}

// trend counts the unresolved issues at the end of each of the last twelve ISO
// weeks; the current week's bar is open, the number unresolved now. A closed
// week's count never changes (history is only appended to), so the eleven
// are computed once a week and kept.
func (s *Server) trend(r *http.Request, now time.Time, open int, tenant string) (chart, error) {
	const weeks = 12
	cur := reports.WeekOf(now)
	labels := make([]string, weeks)
	at := make([]time.Time, weeks-1)
	for i := range weeks {
		wk := reports.WeekOf(cur.Start.AddDate(0, 0, -7*(weeks-1-i)))
		labels[i] = wk.String()[5:]
		if i < weeks-1 {
			at[i] = wk.End
		}
	}
	s.trendMu.Lock()
	defer s.trendMu.Unlock()
	if s.trendWeek != cur.String() {
		s.trendWeek, s.trendPast = cur.String(), map[string][]int{}
	}
	past, ok := s.trendPast[tenant]
	if !ok {
		var err error
		if past, err = s.st.OpenTrend(r.Context(), at, tenant); err != nil {
			return chart{}, err
		}
		s.trendPast[tenant] = past
	}
	ns := append(slices.Clone(past), open)
	c := barChart(640, 180, s.tmpl.text(langOf(r), "每周末未解决问题数"), labels, []string{"#c62828"}, []string{s.tmpl.text(langOf(r), "未解决")}, ns)
	return c, nil
}
