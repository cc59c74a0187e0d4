package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
)

// Status is where an issue is in its life (DESIGN.md §3).
type Status string

const (
	StatusOpen      Status = "open"      // found by a scan, not looked at yet
	StatusConfirmed Status = "confirmed" // a person (or a second scan) confirmed it
	StatusAssigned  Status = "assigned"  // given to an owner with a deadline
	StatusFixed     Status = "fixed"     // the owner says it is fixed; a scan will verify
	StatusVerified  Status = "verified"  // a complete scan no longer sees it
	StatusReopened  Status = "reopened"  // it came back after being fixed or verified
	StatusIgnored   Status = "ignored"   // a false positive; scans never reopen it
)

// Statuses in lifecycle order.
var Statuses = []Status{StatusOpen, StatusConfirmed, StatusAssigned, StatusFixed, StatusVerified, StatusReopened, StatusIgnored}

// Unresolved are the statuses of issues that still need work.
var Unresolved = []Status{StatusOpen, StatusConfirmed, StatusAssigned, StatusFixed, StatusReopened}

// StatusFilter reads a status filter as the CLI's --status and the UI's
// list take it: "unresolved" (every status that still needs work), "all"
// (nil), or one status; ok is false for anything else.
func StatusFilter(s string) (statuses []Status, ok bool) {
	switch s {
	case "unresolved":
		return Unresolved, true
	case "all":
		return nil, true
	}
	if slices.Contains(Statuses, Status(s)) {
		return []Status{Status(s)}, true
	}
	return nil, false
}

// Label is the status in Chinese.
func (s Status) Label() string {
	switch s {
	case StatusOpen:
		return "待处理"
	case StatusConfirmed:
		return "已确认"
	case StatusAssigned:
		return "已交办"
	case StatusFixed:
		return "已整改待复查"
	case StatusVerified:
		return "已复查通过"
	case StatusReopened:
		return "重新出现"
	case StatusIgnored:
		return "已忽略"
	}
	return string(s)
}

// transitions people may make; scans make theirs in FinishScan.
var transitions = map[Status][]Status{
	StatusOpen:      {StatusConfirmed, StatusAssigned, StatusFixed, StatusIgnored},
	StatusConfirmed: {StatusAssigned, StatusFixed, StatusIgnored},
	StatusAssigned:  {StatusConfirmed, StatusFixed, StatusIgnored},
	StatusFixed:     {StatusReopened, StatusIgnored},
	StatusVerified:  {StatusReopened},
	StatusReopened:  {StatusConfirmed, StatusAssigned, StatusFixed, StatusIgnored},
	StatusIgnored:   {StatusReopened},
}

// ScanActor is the actor of events that scans cause.
const ScanActor = "scan"

// Notes the system writes into an issue's history, in Chinese as staff read
// them (databases hold them so); the UI translates them by these texts.
const (
	NoteFound      = "扫描发现"
	NoteConfirmed  = "再次扫描仍无法访问，确认为死链"
	NoteVerified   = "完整扫描未再发现，复查通过"
	NoteReappeared = "已复查通过的问题再次出现"
	NoteNotFixed   = "标记已整改，但复查仍发现该问题"
	// An assignment's note: NoteAssigned, NoteDeadline when there is one,
	// then "；" and the person's words when there are some.
	NoteAssigned = "交办给 %s"
	NoteDeadline = "，整改期限 %s"
)

// SystemNotes are the notes the scans write, whole.
var SystemNotes = []string{NoteFound, NoteConfirmed, NoteVerified, NoteReappeared, NoteNotFixed}

// Fingerprint is an issue's identity across scans: category, URL, rule and
// evidence with whitespace folded. Not line numbers, not times.
func Fingerprint(f checks.Finding) string {
	h := sha256.New()
	for _, part := range []string{string(f.Category), strings.TrimSpace(f.URL), f.Rule, strings.Join(strings.Fields(f.Evidence), " ")} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Issue is a finding being followed.
type Issue struct {
	ID        int64           `json:"id"`
	Target    string          `json:"target"`
	Category  checks.Category `json:"category"`
	Severity  checks.Severity `json:"severity"`
	URL       string          `json:"url"`
	Evidence  string          `json:"evidence"`
	Message   string          `json:"message"`
	Rule      string          `json:"rule"`
	Status    Status          `json:"status"`
	Suspected bool            `json:"suspected"`
	Owner     string          `json:"owner"`
	Deadline  string          `json:"deadline"`
	FirstSeen time.Time       `json:"first_seen"`
	LastSeen  time.Time       `json:"last_seen"`
	SeenCount int             `json:"seen_count"`
	Refs      []checks.Ref    `json:"refs"`
	// Tenant is the tenant of the issue's target ("" in a district's own
	// database).
	Tenant string `json:"tenant,omitempty"`
}

// Event is one change of an issue.
type Event struct {
	At         time.Time
	Actor      string
	FromStatus Status
	ToStatus   Status
	Note       string
}

// Filter selects issues. Zero values select everything.
type Filter struct {
	Target   string
	Kind     string // "site" or "account"
	Statuses []Status
	Category checks.Category
	Severity checks.Severity
	Owner    string // the owning unit; "-" for issues without one
	Tenant   string // only the issues of this tenant's targets
	Since    time.Time
	Until    time.Time // first seen in [Since, Until)
	Query    string    // a substring of the evidence, URL or message
	Overdue  time.Time // set: only unresolved issues whose deadline is before this day
	// OpenAt set: only issues unresolved at that instant, as their history
	// says (the status their last event before it set) — a past period's
	// end.
	OpenAt time.Time
	Sort   string // a key of SortKeys; "" is by severity
	Desc   bool
	Limit  int
	Offset int
}

// SortKeys are the orders Issues knows.
var SortKeys = []string{"severity", "first_seen", "last_seen", "target", "category", "status", "owner", "deadline"}

// severityRank orders severities most severe first; the index
// issues_rank (migration 0007) has the same expression, so the default
// order of the list is read from it, not sorted.
const severityRank = "CASE i.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END"

var sortSQL = map[string]string{
	"severity":   severityRank,
	"first_seen": "i.first_seen",
	"last_seen":  "i.last_seen",
	"target":     "t.name",
	"category":   "i.category",
	"status":     "i.status",
	"owner":      "i.owner",
	"deadline":   "i.deadline",
}

// issueColumns is what Issues and Issue select, in scanIssue's order.
const issueColumns = `SELECT i.id, t.name, i.category, i.severity, i.url, i.evidence, i.message, i.rule, i.status,
	i.suspected, i.owner, i.deadline, i.first_seen, i.last_seen, i.seen_count, i.refs, t.tenant
	FROM issues i JOIN targets t ON t.id = i.target_id`

func scanIssue(row interface{ Scan(...any) error }) (Issue, error) {
	var is Issue
	var first, last, refs string
	err := row.Scan(&is.ID, &is.Target, &is.Category, &is.Severity, &is.URL, &is.Evidence, &is.Message,
		&is.Rule, &is.Status, &is.Suspected, &is.Owner, &is.Deadline, &first, &last, &is.SeenCount, &refs, &is.Tenant)
	if err != nil {
		return Issue{}, err
	}
	is.FirstSeen, is.LastSeen = parseTime(first), parseTime(last)
	is.Refs = []checks.Ref{}
	_ = json.Unmarshal([]byte(refs), &is.Refs)
	return is, nil
}

// where is the filter as SQL conditions and their arguments.
func (f Filter) where() (string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	// Targets by subquery, not by join: a count then reads the issues'
	// indexes alone.
	if f.Target != "" {
		add("i.target_id = (SELECT id FROM targets WHERE name = ?)", f.Target)
	}
	if f.Kind != "" {
		add("i.target_id IN (SELECT id FROM targets WHERE kind = ?)", f.Kind)
	}
	if f.Tenant != "" {
		add("i.target_id IN (SELECT id FROM targets WHERE tenant = ?)", f.Tenant)
	}
	switch {
	case len(f.Statuses) == 1:
		add("i.status = ?", string(f.Statuses[0]))
	case len(f.Statuses) > 1:
		// A broad status filter (every unresolved status) matches most
		// issues: the unary + keeps SQLite from reading them all through
		// the status index and sorting, so it walks the index of the
		// order asked for and stops at the page's end.
		add("+i.status IN ("+placeholders(len(f.Statuses))+")", statusArgs(f.Statuses)...)
	}
	if f.Category != "" {
		add("i.category = ?", f.Category)
	}
	if f.Severity != "" {
		add("i.severity = ?", f.Severity)
	}
	switch f.Owner {
	case "":
	case "-":
		add("i.owner = ''")
	default:
		add("i.owner = ?", f.Owner)
	}
	if !f.Since.IsZero() {
		add("i.first_seen >= ?", formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		add("i.first_seen < ?", formatTime(f.Until))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// instr: a plain substring, as Chinese has no word boundaries for
		// an index to use, and no LIKE wildcards to escape.
		add("(instr(i.evidence, ?) > 0 OR instr(i.url, ?) > 0 OR instr(i.message, ?) > 0)", q, q, q)
	}
	if !f.Overdue.IsZero() {
		// deadline > '': a range of the deadline index without the issues
		// that have none.
		add("i.deadline > '' AND i.deadline < ? AND +i.status IN ("+placeholders(len(Unresolved))+")",
			append([]any{f.Overdue.Format("2006-01-02")}, statusArgs(Unresolved)...)...)
	}
	if !f.OpenAt.IsZero() {
		at := formatTime(f.OpenAt)
		add("i.first_seen < ? AND (SELECT e.to_status FROM issue_events e WHERE e.issue_id = i.id AND e.at < ? ORDER BY e.at DESC, e.id DESC LIMIT 1) IN ("+
			placeholders(len(Unresolved))+")", append([]any{at, at}, statusArgs(Unresolved)...)...)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

func statusArgs(sts []Status) []any {
	out := make([]any, len(sts))
	for i, s := range sts {
		out[i] = string(s)
	}
	return out
}

// Issues lists the issues a filter selects, by default most severe first,
// then by category and page.
func (s *Store) Issues(ctx context.Context, f Filter) ([]Issue, error) {
	where, args := f.where()
	q := issueColumns + where + " ORDER BY " + f.orderBy(false)
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.wrap("list issues", err)
	}
	defer rows.Close()
	var out []Issue
	for rows.Next() {
		is, err := scanIssue(rows)
		if err != nil {
			return nil, s.wrap("read issue", err)
		}
		out = append(out, is)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("list issues", err)
	}
	return out, nil
}

// orderBy is the filter's order. The default order reads index
// issues_rank; the others their own column's index, with the id (the
// index's own tie-breaker) last. Unindexed (each term behind a unary +),
// SQLite sorts the matches instead of walking an index in order.
func (f Filter) orderBy(unindexed bool) string {
	p := ""
	if unindexed {
		p = "+"
	}
	order, ok := sortSQL[f.Sort]
	switch {
	case !ok || f.Sort == "severity":
		desc := ""
		if f.Desc {
			desc = " DESC"
		}
		return p + severityRank + desc + ", " + p + "i.category, " + p + "i.url, " + p + "i.id"
	case f.Desc:
		return p + order + " DESC, " + p + "i.id DESC"
	}
	return p + order + ", " + p + "i.id"
}

// IssuePage returns one page of the issues a filter selects (Limit from
// Offset) and how many it selects in all: the staff UI's list. A filter by
// status alone walks the index of its order and stops at the page's end;
// a narrower one (a category, an owner, a text search) reads its matches
// once, their ids in order, and then the page's rows.
func (s *Store) IssuePage(ctx context.Context, f Filter) ([]Issue, int, error) {
	if !f.narrow() || f.Limit <= 0 {
		total, err := s.CountIssues(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		list, err := s.Issues(ctx, f)
		return list, total, err
	}
	where, args := f.where()
	from := " FROM issues i"
	if f.Sort == "target" {
		from += " JOIN targets t ON t.id = i.target_id"
	}
	// All matches are read anyway: through the filter's own index or one
	// pass over the table, then sorted, not one table lookup per index
	// entry of the order.
	rows, err := s.db.QueryContext(ctx, "SELECT i.id"+from+where+" ORDER BY "+f.orderBy(true), args...)
	if err != nil {
		return nil, 0, s.wrap("list issues", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, 0, s.wrap("list issues", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, s.wrap("list issues", err)
	}
	total := len(ids)
	page := ids[min(max(f.Offset, 0), total):min(max(f.Offset, 0)+f.Limit, total)]
	if len(page) == 0 {
		return nil, total, nil
	}
	args = make([]any, len(page))
	for i, id := range page {
		args[i] = id
	}
	rows, err = s.db.QueryContext(ctx, issueColumns+" WHERE i.id IN ("+placeholders(len(page))+")", args...)
	if err != nil {
		return nil, 0, s.wrap("list issues", err)
	}
	defer rows.Close()
	byID := make(map[int64]Issue, len(page))
	for rows.Next() {
		is, err := scanIssue(rows)
		if err != nil {
			return nil, 0, s.wrap("read issue", err)
		}
		byID[is.ID] = is
	}
	if err := rows.Err(); err != nil {
		return nil, 0, s.wrap("list issues", err)
	}
	list := make([]Issue, 0, len(page))
	for _, id := range page {
		if is, ok := byID[id]; ok {
			list = append(list, is)
		}
	}
	return list, total, nil
}

// narrow reports whether a filter selects by more than status (and
// tenant: a district holds a good share of the issues, so the index of the
// order soon finds a page of them).
func (f Filter) narrow() bool {
	f.Statuses, f.Tenant = nil, ""
	where, _ := f.where()
	return where != ""
}

// CountIssues counts the issues a filter selects (Limit and Offset aside).
func (s *Store) CountIssues(ctx context.Context, f Filter) (int, error) {
	where, args := f.where()
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM issues i`+where, args...).Scan(&n)
	return n, s.wrap("count issues", err)
}

// Issue returns one issue; ErrNotFound when there is none.
func (s *Store) Issue(ctx context.Context, id int64) (Issue, error) {
	is, err := scanIssue(s.db.QueryRowContext(ctx, issueColumns+" WHERE i.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Issue{}, fmt.Errorf("%w: issue %d", ErrNotFound, id)
	}
	if err != nil {
		return Issue{}, s.wrap("read issue", err)
	}
	return is, nil
}

// Events returns an issue's history, oldest first.
func (s *Store) Events(ctx context.Context, issueID int64) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, actor, from_status, to_status, note FROM issue_events
		WHERE issue_id = ? ORDER BY id`, issueID)
	if err != nil {
		return nil, s.wrap("list events", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.FromStatus, &e.ToStatus, &e.Note); err != nil {
			return nil, s.wrap("read event", err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ErrTransition is returned for a status change the lifecycle does not allow.
var ErrTransition = errors.New("store: status change not allowed")

// ErrInvalid is returned for input that cannot be saved (an empty owner, a
// deadline that is no date).
var ErrInvalid = errors.New("store: invalid input")

// SetStatus moves an issue to a new status on a person's behalf, recording
// who did it and why.
func (s *Store) SetStatus(ctx context.Context, id int64, to Status, actor, note string, now time.Time) error {
	return s.changeIssue(ctx, id, func(tx *txn, from Status) error {
		if !slices.Contains(transitions[from], to) {
			return fmt.Errorf("%w: issue %d is %s (%s) and cannot become %s (%s)", ErrTransition, id, from, from.Label(), to, to.Label())
		}
		return s.wrap("change status", setStatus(ctx, tx, id, from, to, actor, note, now, 0))
	})
}

// changeIssue runs a person's change of one issue in a transaction, given
// the issue's status as it is when the change takes the write lock.
func (s *Store) changeIssue(ctx context.Context, id int64, change func(tx *txn, from Status) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap("begin", err)
	}
	defer tx.Rollback()
	var from Status
	err = tx.QueryRowContext(ctx, `SELECT status FROM issues WHERE id = ?`, id).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: issue %d", ErrNotFound, id)
	}
	if err != nil {
		return s.wrap("read issue", err)
	}
	if err := change(tx, from); err != nil {
		return err
	}
	return s.wrap("commit", tx.Commit())
}

func setStatus(ctx context.Context, tx *txn, id int64, from, to Status, actor, note string, now time.Time, scanID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE issues SET status = ? WHERE id = ?`, string(to), id); err != nil {
		return err
	}
	var scan any
	if scanID > 0 {
		scan = scanID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO issue_events (issue_id, at, actor, from_status, to_status, note, scan_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, formatTime(now), actor, string(from), string(to), note, scan)
	return err
}

// Assign gives an issue to an owning unit with a deadline (YYYY-MM-DD, or
// "" for none). The issue becomes assigned (again, when it already was),
// and later scans leave its owner alone.
func (s *Store) Assign(ctx context.Context, id int64, owner, deadline, actor, note string, now time.Time) error {
	owner = strings.TrimSpace(owner)
	if owner == "" {
		return fmt.Errorf("%w: assign issue %d: no owner given", ErrInvalid, id)
	}
	if deadline != "" {
		if _, err := time.Parse("2006-01-02", deadline); err != nil {
			return fmt.Errorf("%w: assign issue %d: deadline %q is not a date (YYYY-MM-DD)", ErrInvalid, id, deadline)
		}
	}
	what := fmt.Sprintf(NoteAssigned, owner)
	if deadline != "" {
		what += fmt.Sprintf(NoteDeadline, deadline)
	}
	if note = strings.TrimSpace(note); note != "" {
		what += "；" + note
	}
	return s.changeIssue(ctx, id, func(tx *txn, from Status) error {
		if from != StatusAssigned && !slices.Contains(transitions[from], StatusAssigned) {
			return fmt.Errorf("%w: issue %d is %s (%s) and cannot be assigned", ErrTransition, id, from, from.Label())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE issues SET owner = ?, deadline = ?, owner_set = 1 WHERE id = ?`, owner, deadline, id); err != nil {
			return s.wrap("assign", err)
		}
		return s.wrap("assign", setStatus(ctx, tx, id, from, StatusAssigned, actor, what, now, 0))
	})
}

// Comment adds a note to an issue's history without changing its status.
func (s *Store) Comment(ctx context.Context, id int64, actor, note string, now time.Time) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return fmt.Errorf("%w: comment on issue %d: empty", ErrInvalid, id)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO issue_events (issue_id, at, actor, from_status, to_status, note)
		SELECT id, ?, ?, status, status, ? FROM issues WHERE id = ?`, formatTime(now), actor, note, id)
	if err != nil {
		return s.wrap("comment", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: issue %d", ErrNotFound, id)
	}
	return nil
}

// Owners lists the owning units that issues name, for filters and forms.
func (s *Store) Owners(ctx context.Context) ([]string, error) {
	return s.TenantOwners(ctx, "")
}

// TenantOwners lists the owning units of a tenant's issues and targets
// ("": every tenant's), as Owners.
func (s *Store) TenantOwners(ctx context.Context, tenant string) ([]string, error) {
	ofIssues, args := ofTenant("target_id", tenant)
	ofTargets, targs := ofTenant("id", tenant)
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT owner FROM issues WHERE owner != ''`+ofIssues+`
		UNION SELECT DISTINCT owner FROM targets WHERE owner != ''`+ofTargets+` ORDER BY 1`, append(args, targs...)...)
	if err != nil {
		return nil, s.wrap("list owners", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, s.wrap("read owner", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Next lists the statuses people may move an issue in status from to.
func Next(from Status) []Status {
	return slices.Clone(transitions[from])
}

// IssueContext is what staff see beside an issue: the passage as found, and
// the page's title, column and date as the last scan read them ("" where
// unknown).
type IssueContext struct {
	Snapshot, PageTitle, Column, Published string
}

// ContextOf reads an issue's context.
func (s *Store) ContextOf(ctx context.Context, id int64) (IssueContext, error) {
	var c IssueContext
	err := s.db.QueryRowContext(ctx, `SELECT i.snapshot, coalesce(p.title, ''), coalesce(p.column_name, ''), coalesce(p.published, '')
		FROM issues i LEFT JOIN pages p ON p.target_id = i.target_id AND p.url = i.url WHERE i.id = ?`, id).
		Scan(&c.Snapshot, &c.PageTitle, &c.Column, &c.Published)
	if err != nil {
		return c, s.wrap("issue context", err)
	}
	return c, nil
}
