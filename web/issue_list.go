package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

const perPage = 50

// statusUnresolved is the list's default status filter: every status that
// still needs work (未解决). Each lifecycle status is a filter of its own.
const statusUnresolved = "unresolved"

// listQuery is the issue list's state, all of it in the URL so a list can
// be bookmarked and shared: /issues?status=assigned&category=typo&q=按装.
type listQuery struct {
	Target, Kind, Category, Severity, Status, Owner, From, To, Q, Sort string
	Desc, Overdue                                                      bool
	Page                                                               int
	tenant                                                             string // the user's, never the URL's
}

func parseListQuery(v url.Values) listQuery {
	q := listQuery{
		Target: v.Get("target"), Kind: v.Get("kind"), Category: v.Get("category"), Severity: v.Get("severity"),
		Status: v.Get("status"), Owner: v.Get("owner"), From: v.Get("from"), To: v.Get("to"),
		Q: strings.TrimSpace(v.Get("q")), Sort: v.Get("sort"), Desc: v.Get("desc") == "1", Overdue: v.Get("overdue") == "1",
	}
	if q.Status == "" {
		q.Status = statusUnresolved
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	q.Page = max(q.Page, 1)
	return q
}

// values is the query as URL parameters, defaults left out.
func (q listQuery) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("target", q.Target)
	set("kind", q.Kind)
	set("category", q.Category)
	set("severity", q.Severity)
	if q.Status != statusUnresolved {
		set("status", q.Status)
	}
	set("owner", q.Owner)
	set("from", q.From)
	set("to", q.To)
	set("q", q.Q)
	set("sort", q.Sort)
	if q.Desc {
		v.Set("desc", "1")
	}
	if q.Overdue {
		v.Set("overdue", "1")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

// URL is the list at this state.
func (q listQuery) URL() string {
	if e := q.values().Encode(); e != "" {
		return "/issues?" + e
	}
	return "/issues"
}

// WithPage, SortBy: links to neighbouring states.
func (q listQuery) WithPage(n int) string { q.Page = n; return q.URL() }

func (q listQuery) SortBy(key string) string {
	q.Desc = q.Sort == key && !q.Desc
	q.Sort, q.Page = key, 1
	return q.URL()
}

// Export is the export link of this list in a format.
func (q listQuery) Export(format string) string {
	q.Page = 1 // every page
	if e := q.values().Encode(); e != "" {
		return "/issues/export." + format + "?" + e
	}
	return "/issues/export." + format
}

// filter turns the query into a store filter; a bad value is a message.
func (q listQuery) filter(loc *time.Location, now time.Time) (store.Filter, error) {
	cat := checks.Category(q.Category)
	f := store.Filter{Target: q.Target, Kind: q.Kind, Category: cat, Severity: checks.Severity(q.Severity), Owner: q.Owner,
		Query: q.Q, Sort: q.Sort, Desc: q.Desc, Tenant: q.tenant}
	var ok bool
	if f.Statuses, ok = store.StatusFilter(q.Status); !ok {
		return f, msgf("未知状态 %q", q.Status)
	}
	if cat != "" && !cat.Valid() {
		return f, msgf("未知问题类别 %q", q.Category)
	}
	if q.Kind != "" && q.Kind != "site" && q.Kind != "account" {
		return f, msgf("未知对象类型 %q", q.Kind)
	}
	if q.Sort != "" && !slices.Contains(store.SortKeys, q.Sort) {
		return f, msgf("未知排序 %q", q.Sort)
	}
	var err error
	if q.From != "" {
		if f.Since, err = time.ParseInLocation("2006-01-02", q.From, loc); err != nil {
			return f, msgf("起始日期 %q 应为 年-月-日", q.From)
		}
	}
	if q.To != "" {
		var to time.Time
		if to, err = time.ParseInLocation("2006-01-02", q.To, loc); err != nil {
			return f, msgf("截止日期 %q 应为 年-月-日", q.To)
		}
		f.Until = to.AddDate(0, 0, 1) // the whole last day
	}
	if q.Overdue {
		f.Overdue = now.In(loc)
	}
	return f, nil
}

type issueListPage struct {
	Q                 listQuery
	Issues            []store.Issue
	Total, Pages      int
	From, To          int // 1-based positions shown
	Error             string
	Targets           []store.Target
	Owners            []string
	Categories        []checks.Category
	Severities        []checks.Severity
	Statuses          []store.Status
	Sorts             []string
	Today, ReturnPath string
}

// ownView keeps an owner account to its unit's issues, and an account
// with a tenant to its tenant's, whatever the URL says.
func ownView(q listQuery, u store.User) listQuery {
	if u.Role == store.RoleOwner {
		q.Owner = u.Unit
	}
	q.tenant = u.Tenant
	return q
}

// issueList is 问题列表: filters, full-text search, sort, pages, and bulk
// actions over the selected rows.
func (s *Server) issueList(w http.ResponseWriter, r *http.Request, u store.User) {
	ctx := r.Context()
	q := ownView(parseListQuery(r.URL.Query()), u)
	p := issueListPage{Q: q, Categories: checks.Categories, Severities: []checks.Severity{checks.High, checks.Medium, checks.Low},
		Statuses: store.Statuses, Sorts: store.SortKeys, Today: s.now().In(s.loc).Format("2006-01-02"), ReturnPath: q.URL()}
	var err error
	if u.Role == store.RoleOwner {
		// An owner account's filters offer its own targets, and no other
		// unit's name.
		p.Targets, err = s.st.TargetsOfOwner(ctx, u.Unit)
		if u.Tenant != "" {
			p.Targets = slices.DeleteFunc(p.Targets, func(t store.Target) bool { return t.Tenant != u.Tenant })
		}
	} else {
		p.Targets, err = s.st.TenantTargets(ctx, u.Tenant)
		if err == nil {
			p.Owners, err = s.st.TenantOwners(ctx, u.Tenant)
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f, ferr := q.filter(s.loc, s.now())
	if ferr != nil {
		p.Error = s.tmpl.messageIn(langOf(r), ferr)
		s.render(w, r, http.StatusBadRequest, "issues", u, "问题列表", p)
		return
	}
	f.Limit, f.Offset = perPage, (q.Page-1)*perPage
	if p.Issues, p.Total, err = s.st.IssuePage(ctx, f); err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Pages = max((p.Total+perPage-1)/perPage, 1)
	if q.Page > p.Pages { // past the end (the list shrank): the last page
		q.Page = p.Pages
		p.Q = q
		f.Offset = (q.Page - 1) * perPage
		if p.Issues, p.Total, err = s.st.IssuePage(ctx, f); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if p.Total > 0 {
		p.From, p.To = f.Offset+1, f.Offset+len(p.Issues)
	}
	s.render(w, r, http.StatusOK, "issues", u, "问题列表", p)
}

// validDeadline: a date (YYYY-MM-DD), today or later in the office's zone.
func validDeadline(d string, now time.Time) bool {
	_, err := time.Parse("2006-01-02", d)
	return err == nil && d >= now.Format("2006-01-02")
}

// defaultDeadline is the deadline an issue of a severity gets when staff
// assign it without one: so many working days (Monday–Friday) after today
// in the office's zone; "" when the configuration gives none.
func (s *Server) defaultDeadline(severity checks.Severity) string {
	n := s.opts.DeadlineDays[string(severity)]
	if n <= 0 {
		return ""
	}
	return reports.WorkingDaysAfter(s.now().In(s.loc), n).Format("2006-01-02")
}

// bulkActions are what the list can do to many issues at once.
var bulkActions = map[string]store.Status{
	"confirm": store.StatusConfirmed,
	"fix":     store.StatusFixed,
	"ignore":  store.StatusIgnored,
	"assign":  store.StatusAssigned,
}

// issueBulk applies one action to the selected issues; those the lifecycle
// does not allow it for are counted and left alone.
func (s *Server) issueBulk(w http.ResponseWriter, r *http.Request, u store.User) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, u, http.StatusBadRequest, "表单无法读取")
		return
	}
	back := localPath(r.PostFormValue("return"))
	if !strings.HasPrefix(back, "/issues") {
		back = "/issues"
	}
	action := r.PostFormValue("action")
	to, ok := bulkActions[action]
	if !ok {
		s.fail(w, r, u, http.StatusBadRequest, "请选择批量操作")
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	owner := strings.TrimSpace(r.PostFormValue("owner"))
	deadline := r.PostFormValue("deadline")
	switch {
	case to == store.StatusIgnored && reason == "":
		s.fail(w, r, u, http.StatusUnprocessableEntity, "忽略（误报）必须填写原因")
		return
	case to == store.StatusAssigned && owner == "":
		s.fail(w, r, u, http.StatusUnprocessableEntity, "交办必须填写责任单位")
		return
	case to == store.StatusAssigned && deadline != "" && !validDeadline(deadline, s.now().In(s.loc)):
		s.fail(w, r, u, http.StatusUnprocessableEntity, "整改期限应为今天或以后的日期（年-月-日）")
		return
	}
	var ids []int64
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		s.flash(w, r, "未选择任何问题")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	done, skipped := 0, 0
	for _, id := range ids {
		if u.Tenant != "" {
			// Only the tenant's own issues, whatever ids the form sends.
			is, err := s.st.Issue(r.Context(), id)
			if err != nil || !mayView(u, is) {
				skipped++
				continue
			}
		}
		var err error
		if to == store.StatusAssigned {
			due := deadline
			if due == "" { // each issue its severity's default
				if is, ierr := s.st.Issue(r.Context(), id); ierr == nil {
					due = s.defaultDeadline(is.Severity)
				}
			}
			err = s.st.Assign(r.Context(), id, owner, due, u.Name, reason, s.now())
		} else {
			err = s.st.SetStatus(r.Context(), id, to, u.Name, reason, s.now())
		}
		switch {
		case err == nil:
			done++
		case isUserError(err):
			skipped++
		default:
			s.serverError(w, r, err)
			return
		}
	}
	s.log.Info("bulk action", "user", u.Name, "action", action, "done", done, "skipped", skipped)
	if skipped > 0 {
		s.flash(w, r, "已处理 %d 项；%d 项的当前状态不允许此操作，未改动", done, skipped)
	} else {
		s.flash(w, r, "已处理 %d 项", done)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
