package web

import (
	"net/http"

	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

type digestRow struct {
	reports.Digest
	Sent *store.DigestRecord
}

type digestListPage struct {
	Week, Prev, Next string
	Enabled          bool
	LinkBase         string // the address the digests' links start with; "" when they are not sent
	Digests          []digestRow
	Summary          reports.Summary
	Records          []store.DigestRecord
	Error            string
}

// digestList is 周报: this week's digest of every owning unit (what the
// Monday mail will say) with its send state, a preview of each, and every
// delivery that failed.
func (s *Server) digestList(w http.ResponseWriter, r *http.Request, u store.User) {
	ctx := r.Context()
	week, err := s.week(r)
	p := digestListPage{Week: week.String(), Enabled: s.opts.Digests != nil, LinkBase: s.opts.DigestLinkBase,
		Prev: reports.WeekOf(week.Start.AddDate(0, 0, -7)).String(), Next: reports.WeekOf(week.Start.AddDate(0, 0, 7)).String()}
	if err != nil {
		p.Error = err.Error()
		s.render(w, r, http.StatusBadRequest, "digests", u, "周报", p)
		return
	}
	records, err := s.st.Digests(ctx, week.String())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Records = records
	sent := map[string]*store.DigestRecord{}
	for i := range records {
		sent[records[i].Unit] = &records[i]
	}
	if s.opts.Digests != nil {
		ds, sum, err := s.opts.Digests.Digests(ctx, week)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, d := range ds {
			p.Digests = append(p.Digests, digestRow{Digest: d, Sent: sent[d.Unit]})
		}
		p.Summary = sum
	}
	s.render(w, r, http.StatusOK, "digests", u, "周报", p)
}

// week is the ?week= of a request (2026-W48), by default this week: what
// next Monday's digest will report (the previous weeks: what was sent).
func (s *Server) week(r *http.Request) (reports.Week, error) {
	if v := r.URL.Query().Get("week"); v != "" {
		return reports.ParseWeek(v, s.loc)
	}
	return reports.WeekOf(s.now().In(s.loc)), nil
}

// digestPreview shows one unit's digest (or the staff summary) exactly as
// the mail's HTML part. The mail's HTML carries inline styles for mail
// clients, so this one page allows inline styles and nothing else.
func (s *Server) digestPreview(w http.ResponseWriter, r *http.Request, u store.User) {
	if s.opts.Digests == nil {
		s.fail(w, r, u, http.StatusNotFound, "此服务未启用周报")
		return
	}
	week, err := s.week(r)
	if err != nil {
		s.fail(w, r, u, http.StatusBadRequest, "%s", err.Error())
		return
	}
	ds, sum, err := s.opts.Digests.Digests(r.Context(), week)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	unit := r.URL.Query().Get("unit")
	html, text := "", ""
	if unit == "" {
		html, text = sum.HTML, sum.Text
	}
	for _, d := range ds {
		if d.Unit == unit {
			html, text = d.HTML, d.Text
		}
	}
	if html == "" {
		s.fail(w, r, u, http.StatusNotFound, "本周没有“%s”的周报", unit)
		return
	}
	if r.URL.Query().Get("format") == "text" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(text))
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(html))
}
