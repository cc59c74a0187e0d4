package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

type issueDetailPage struct {
	Issue           store.Issue
	Before, Term    string // the evidence split around the offending term
	After           string
	Events          []store.Event
	Next            []store.Status // the status changes allowed now
	CanAssign       bool
	CanAllow        bool // "always ignore this term" is offered
	Owners          []string
	Today, Error    string
	Reason, Action  string // the form as sent, when it is shown again with an error
	Owner, Deadline string // the assignment as sent
	// DefaultDeadline is the deadline an assignment gets when none is
	// given (by the issue's severity; "" for none).
	DefaultDeadline string
	DeadLink        bool
	// Context is the page's title, column and date, and the passage as
	// found (快照).
	Context store.IssueContext
}

// visibleIssue reads the issue of the request's {id} when the user may see
// it, and answers "not found" otherwise.
func (s *Server) visibleIssue(w http.ResponseWriter, r *http.Request, u store.User) (store.Issue, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, u, http.StatusNotFound, "没有这个问题")
		return store.Issue{}, false
	}
	is, err := s.st.Issue(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !mayView(u, is)) {
		s.fail(w, r, u, http.StatusNotFound, "没有这个问题")
		return store.Issue{}, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return store.Issue{}, false
	}
	return is, true
}

// mayView reports whether a user may see an issue: an owner account sees its
// unit's issues only (others are "not found", not "forbidden": their
// existence is not told).
func mayView(u store.User, is store.Issue) bool {
	if u.Tenant != "" && is.Tenant != u.Tenant {
		return false // another district's, in a database many share
	}
	return u.Role != store.RoleOwner || (u.Unit != "" && is.Owner == u.Unit)
}

// issueDetail is 问题详情: the evidence highlighted in its context, the page,
// for a dead link every page that links to it with the link's text, the
// history, and the actions the issue's status allows.
func (s *Server) issueDetail(w http.ResponseWriter, r *http.Request, u store.User) {
	s.showIssue(w, r, u, http.StatusOK, issueDetailPage{})
}

func (s *Server) showIssue(w http.ResponseWriter, r *http.Request, u store.User, code int, p issueDetailPage) {
	is, ok := s.visibleIssue(w, r, u)
	if !ok {
		return
	}
	var err error
	p.Issue = is
	p.DeadLink = is.Category == checks.DeadLink
	term := offendingTerm(is.Message)
	if is.Category == checks.PrivacyLeak {
		term = checks.MaskedNumber(is.Evidence) // the number, not a sheet's “name”
	}
	if i := strings.Index(is.Evidence, term); term != "" && i >= 0 {
		p.Before, p.Term, p.After = is.Evidence[:i], term, is.Evidence[i+len(term):]
	} else {
		p.Before = is.Evidence
	}
	p.CanAllow = s.opts.Allow != nil && p.Term != "" && wordingRule(is.Rule)
	if p.Events, err = s.st.Events(r.Context(), is.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	if u.Role != store.RoleOwner { // the units to assign to: staff only
		if p.Owners, err = s.st.TenantOwners(r.Context(), u.Tenant); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	p.Next = store.Next(is.Status)
	p.CanAssign = is.Status == store.StatusAssigned || slices.Contains(p.Next, store.StatusAssigned)
	p.Today = s.now().In(s.loc).Format("2006-01-02")
	p.DefaultDeadline = s.defaultDeadline(is.Severity)
	if p.Context, err = s.st.ContextOf(r.Context(), is.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, code, "issue", u, "问题详情", p)
}

// offendingTerm is the term a finding's message quotes: “按装” in 疑似错别字：
// “按装”应为“安装”, or a law's 《…》 title; for personal data the first masked
// number of the evidence (never a sheet's name).
func offendingTerm(msg string) string {
	if m := checks.MaskedNumber(msg); m != "" {
		return m
	}
	if i := strings.Index(msg, "“"); i >= 0 {
		rest := msg[i+len("“"):]
		if j := strings.Index(rest, "”"); j > 0 {
			return rest[:j]
		}
	}
	if i := strings.Index(msg, "《"); i >= 0 {
		if j := strings.Index(msg[i:], "》"); j > 0 {
			return msg[i : i+j+len("》")]
		}
	}
	return ""
}

// wordingRule reports whether a rule comes from the rule lists, whose terms
// the allowlist can silence.
func wordingRule(rule string) bool {
	for _, p := range []string{"typo.", "serious_error.", "obsolete_name.", "repealed_law.", "sensitive_word."} {
		if strings.HasPrefix(rule, p) {
			return true
		}
	}
	return false
}

// issueChange is one request to change an issue: the verb (its route's
// last segment), the issue, who asks, and the note sent with it.
type issueChange struct {
	verb string
	r    *http.Request
	u    store.User
	id   int64
	note string
	now  time.Time
}

// A changeFunc is a verb's own part: it changes the issue and says what it
// did (the flash). An error made by msgf is the form's fault: the page is
// shown again with it.
type changeFunc func(c issueChange) (done string, err error)

// Who may use a verb: owner accounts mark their own issues fixed and
// comment on them; the rest is the monitoring staff's.
const (
	staffVerb = false
	ownerVerb = true
)

// issueVerb is the handler of POST /issues/{id}/<name>: a change its
// status does not allow, or a missing reason, shows the page again with
// the message; a change made is a flash on the issue's page.
func (s *Server) issueVerb(name string, owners bool, do changeFunc) handler {
	return func(w http.ResponseWriter, r *http.Request, u store.User) {
		id, ok := s.mayChange(w, r, u, owners)
		if !ok {
			return
		}
		c := issueChange{verb: name, r: r, u: u, id: id, note: strings.TrimSpace(r.PostFormValue("note")), now: s.now()}
		done, err := do(c)
		s.answerChange(w, c, done, err)
	}
}

// mayChange reads the request's issue id and keeps an owner account to its
// own issues and a tenant's account to its tenant's ("not found"
// otherwise), an owner to the verbs it may use.
func (s *Server) mayChange(w http.ResponseWriter, r *http.Request, u store.User, owners bool) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, u, http.StatusNotFound, "没有这个问题")
		return 0, false
	}
	if u.Role == store.RoleOwner || u.Tenant != "" {
		if _, ok := s.visibleIssue(w, r, u); !ok {
			return 0, false
		}
	}
	if u.Role == store.RoleOwner {
		if !owners {
			s.fail(w, r, u, http.StatusForbidden, "此操作仅限监测人员")
			return 0, false
		}
	}
	return id, true
}

// answerChange answers a change: back to the issue with a flash when it
// was made, else the page again with why.
func (s *Server) answerChange(w http.ResponseWriter, c issueChange, done string, err error) {
	switch {
	case err == nil:
		s.log.Info("issue changed", "user", c.u.Name, "issue", c.id, "action", c.verb)
		s.flash(w, c.r, done)
		http.Redirect(w, c.r, "/issues/"+strconv.FormatInt(c.id, 10), http.StatusSeeOther)
	case errors.Is(err, store.ErrNotFound):
		s.fail(w, c.r, c.u, http.StatusNotFound, "没有这个问题")
	case errors.Is(err, store.ErrTransition):
		s.retryChange(w, c, msgf("该问题的当前状态不允许此操作"))
	case errors.Is(err, store.ErrInvalid):
		s.retryChange(w, c, msgf("填写的内容无法保存，请检查"))
	case errors.As(err, new(message)):
		s.retryChange(w, c, err)
	case store.IsBusy(err):
		// The page again, with what was typed: sending it once more is
		// one click.
		s.log.Warn("database busy: issue change not saved", "user", c.u.Name, "issue", c.id, "action", c.verb, "err", err)
		w.Header().Set("Retry-After", "10")
		s.showIssue(w, c.r, c.u, http.StatusServiceUnavailable, issueDetailPage{Error: s.tmpl.text(langOf(c.r), "系统繁忙，请稍后再试"),
			Reason: c.note, Action: c.verb, Owner: c.r.PostFormValue("owner"), Deadline: c.r.PostFormValue("deadline")})
	default:
		s.serverError(w, c.r, err)
	}
}

// retryChange shows the issue again with a message and the note as sent.
func (s *Server) retryChange(w http.ResponseWriter, c issueChange, msg error) {
	s.showIssue(w, c.r, c.u, http.StatusUnprocessableEntity, issueDetailPage{Error: s.tmpl.messageIn(langOf(c.r), msg),
		Reason: c.note, Action: c.verb})
}

// moveIssue sets the issue's status on the person's behalf, with the note.
func (s *Server) moveIssue(c issueChange, to store.Status) error {
	return s.st.SetStatus(c.r.Context(), c.id, to, c.u.Name, c.note, c.now)
}

func (s *Server) confirmIssue(c issueChange) (done string, err error) {
	done = "已确认"
	return done, s.moveIssue(c, store.StatusConfirmed)
}

func (s *Server) fixIssue(c issueChange) (done string, err error) {
	done = "已标记为已整改，待下次扫描复查"
	return done, s.moveIssue(c, store.StatusFixed)
}

func (s *Server) reopenIssue(c issueChange) (done string, err error) {
	done = "已重新打开"
	return done, s.moveIssue(c, store.StatusReopened)
}

// ignoreIssue dismisses a false positive, with a reason; asked to, it also
// adds the term to the allowlist, everywhere or on the issue's page.
func (s *Server) ignoreIssue(c issueChange) (done string, err error) {
	if c.note == "" {
		return "", msgf("忽略（误报）必须填写原因")
	}
	done = "已忽略"
	allow := c.r.PostFormValue("allow")
	if err = s.moveIssue(c, store.StatusIgnored); err != nil || allow == "" {
		return done, err
	}
	done = "已忽略，并已加入允许列表（下次扫描起生效）"
	return done, s.allowTerm(c.r, c.id, c.u, allow == "page")
}

// assignIssue gives the issue to an owning unit, by default with its
// severity's deadline.
func (s *Server) assignIssue(c issueChange) (done string, err error) {
	deadline := c.r.PostFormValue("deadline")
	if deadline != "" && !validDeadline(deadline, c.now.In(s.loc)) {
		return "", msgf("整改期限应为今天或以后的日期（年-月-日）")
	}
	owner := strings.TrimSpace(c.r.PostFormValue("owner"))
	if owner == "" {
		return "", msgf("交办必须填写责任单位")
	}
	if deadline == "" {
		if is, ierr := s.st.Issue(c.r.Context(), c.id); ierr == nil {
			deadline = s.defaultDeadline(is.Severity)
		}
	}
	done = "已交办"
	return done, s.st.Assign(c.r.Context(), c.id, owner, deadline, c.u.Name, c.note, c.now)
}

func (s *Server) commentIssue(c issueChange) (done string, err error) {
	if c.note == "" {
		return "", msgf("备注不能为空")
	}
	done = "已添加备注"
	return done, s.st.Comment(c.r.Context(), c.id, c.u.Name, c.note, c.now)
}

// The notes allowTerm writes into the history.
const (
	noteAllowAll  = "“%s”已加入允许列表（全站不再提示）"
	noteAllowPage = "“%s”已加入允许列表（仅此页面不再提示）"
)

// eventNote is a history entry's note in the page's language. The notes the
// system writes (store.SystemNotes, an assignment's, the allowlist's) are
// stored in Chinese and translated here, so the notes already in a
// database are too; what people wrote is shown as written.
func (e *engine) eventNote(lang string, ev store.Event) string {
	note := ev.Note
	if slices.Contains(store.SystemNotes, note) {
		return e.text(lang, note)
	}
	if rest, ok := cutFormat(note, store.NoteAssigned); ok && ev.ToStatus == store.StatusAssigned {
		rest, words, hasWords := strings.Cut(rest, "；")
		owner, deadline, hasDeadline := strings.Cut(rest, strings.TrimSuffix(store.NoteDeadline, "%s"))
		out := e.format(lang, store.NoteAssigned, owner)
		if hasDeadline {
			out += e.format(lang, store.NoteDeadline, deadline)
		}
		if hasWords {
			out += punct(lang, "；") + words
		}
		return out
	}
	for _, f := range []string{noteAllowAll, noteAllowPage} {
		if term, ok := cutFormat(note, f); ok {
			return e.format(lang, f, term)
		}
	}
	return note
}

// cutFormat matches s against a format with one %s and returns what fills
// it.
func cutFormat(s, format string) (string, bool) {
	before, after, _ := strings.Cut(format, "%s")
	if len(s) < len(before)+len(after) || !strings.HasPrefix(s, before) || !strings.HasSuffix(s, after) {
		return "", false
	}
	return s[len(before) : len(s)-len(after)], true
}

// allowTerm adds the issue's term to the allowlist, everywhere or on its
// page only, and notes it in the history.
func (s *Server) allowTerm(r *http.Request, id int64, u store.User, pageOnly bool) error {
	is, err := s.st.Issue(r.Context(), id)
	if err != nil {
		return err
	}
	term := offendingTerm(is.Message)
	if s.opts.Allow == nil || term == "" || !wordingRule(is.Rule) {
		return nil
	}
	where, note := "", fmt.Sprintf(noteAllowAll, term)
	// The allowlist is the whole deployment's: a district's staff allow a
	// term on their own page only.
	if pageOnly || u.Tenant != "" {
		where, note = is.URL, fmt.Sprintf(noteAllowPage, term)
	}
	if err := s.opts.Allow.Allow(term, where); err != nil {
		return err
	}
	return s.st.Comment(r.Context(), id, u.Name, note, s.now())
}

func isUserError(err error) bool {
	return errors.Is(err, store.ErrTransition) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid)
}
