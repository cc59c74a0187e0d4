package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xunjian/xunjian/checks"
)

// ScanStatus says how a scan ended.
type ScanStatus string

const (
	ScanRunning     ScanStatus = "running"
	ScanComplete    ScanStatus = "complete"    // saw everything in scope: may verify fixes
	ScanPartial     ScanStatus = "partial"     // hit its page budget: closes nothing
	ScanInterrupted ScanStatus = "interrupted" // stopped (Ctrl-C, shutdown, killed): closes nothing
	// ScanCollapsed is a crawl that ran to its end but read far fewer pages
	// than the target's last complete crawl (see CollapseGuard): the home
	// page became a redirect, a WAF, maintenance or login page. It closes
	// nothing.
	ScanCollapsed ScanStatus = "collapsed"
	ScanFailed    ScanStatus = "failed"
)

// ScanStatuses are the ways a scan can end, running first.
var ScanStatuses = []ScanStatus{ScanRunning, ScanComplete, ScanPartial, ScanCollapsed, ScanInterrupted, ScanFailed}

// Label is how a scan ended, in Chinese.
func (s ScanStatus) Label() string {
	switch s {
	case ScanRunning:
		return "进行中"
	case ScanComplete:
		return "完整扫描"
	case ScanPartial:
		return "不完整（未关闭任何问题）"
	case ScanInterrupted:
		return "已中断（未关闭任何问题）"
	case ScanCollapsed:
		return "页面骤减（未关闭任何问题）"
	case ScanFailed:
		return "失败"
	}
	return string(s)
}

// Scan is one row of the scan history.
type Scan struct {
	ID                                 int64
	Target                             string
	TargetKind                         string // "site" or "account"
	Kind                               string // KindCrawl or KindProbe
	StartedAt, FinishedAt              time.Time
	Status                             ScanStatus
	Pages, Links                       int
	New, StillOpen, Verified, Reopened int
	Note                               string
	// PagesRead are the pages whose content was read and checked (Pages
	// counts every fetch, error pages included).
	PagesRead int
	// Baseline is PagesRead of the target's last complete crawl, which this
	// crawl was compared with (0: none); for a nightly patrol, the pages it
	// set out to visit.
	Baseline int
	// Incremental: a nightly patrol, which visited part of the site.
	Incremental bool
}

// ModeLabel names a crawl's kind for staff: 全面扫描 or 增量巡检.
func (sc Scan) ModeLabel() string {
	if sc.Incremental {
		return "增量巡检"
	}
	return "全面扫描"
}

// CollapseNote says why a collapsed scan closed nothing, with both page
// counts; "" for any other scan.
func (sc Scan) CollapseNote() string {
	if sc.Status != ScanCollapsed {
		return ""
	}
	return CollapseNoteOf(sc.Incremental, sc.PagesRead, sc.Baseline)
}

// PageRow is a fetched page as saved.
type PageRow struct {
	URL, ContentType, Encoding, Hash, ETag, LastModified, Title string
	Status, Depth                                               int
	// Published is the page's date (YYYY-MM-DD, "" unknown), Column the
	// column it belongs to as the page names it.
	Published, Column string
	// Unchanged: the page answered 304 Not Modified, or the same content
	// as before (a nightly patrol): only its visit is recorded, the rest
	// of the row stands (new validators are kept).
	Unchanged bool
}

// LinkRow is a checked link target as saved.
type LinkRow struct {
	URL, Kind, Problem, Detail string
	Internal                   bool
	Status, Referrers          int
}

// ScanResult is everything one scan hands to the store.
type ScanResult struct {
	Status          ScanStatus
	Pages, Links    int
	PagesRead       int // pages whose content was read and checked
	Baseline        int // PagesRead of the last complete crawl it was compared with (0: none)
	Requests, Bytes int64
	Note            string
	PageRows        []PageRow
	LinkRows        []LinkRow
	Findings        []checks.Finding
	Columns         []ColumnRow
	Documents       []DocumentRow
	// Judged are the rules the scan judged, as prefixes ("dead_link.",
	// "stale_column."). Only issues of these rules can be verified fixed by
	// it: a link scan says nothing about typos, a crawl nothing about the
	// week's probe failure share.
	Judged []string
	// Incremental marks a nightly patrol, which visited part of its site.
	// Of the issues of judged rules it did not see, only those in Judge
	// (the ones whose pages it read) are verified fixed; the issues in
	// Carry were on pages that answered unchanged, and count as seen again.
	// Issues of pages it did not visit stay as they are.
	Incremental bool
	// HomeLinks counts the site's pages the home page links to.
	HomeLinks int
	Judge     map[int64]bool
	Carry     []int64
	// Refs are the new pages of issues the patrol read some pages of
	// without finding them there (an issue of several pages).
	Refs map[int64][]checks.Ref
}

// DocumentRow is a policy document as saved.
type DocumentRow struct {
	URL, Title, Index, Issuer, Written, Published, Number, Validity, Type string
}

// ColumnRow is one entry of the column register as saved.
type ColumnRow struct {
	URL, Name, Class, Label, Owner string
	Days, Items, Undated           int
	Newest                         time.Time // zero when no item is dated
	Empty                          bool
}

// Summary counts what a scan did to the issues.
type Summary struct {
	New       int // first seen now
	StillOpen int // seen before and still there
	Verified  int // gone: verified fixed
	Reopened  int // came back after being fixed or verified
	Ignored   int // seen, but staff marked them false positives
}

// Scan kinds.
const (
	KindCrawl = "crawl" // a full crawl of a site
	KindProbe = "probe" // one availability probe of a home page
)

// FinishScan saves a scan's pages, links and findings in one transaction and
// moves issues through their lifecycle:
//   - a new finding opens an issue;
//   - a finding seen again updates it; a dead link seen by a second scan is
//     confirmed; a verified or fixed issue that is seen again is reopened;
//     an ignored one stays ignored;
//   - when the scan is complete, an unresolved issue of a judged category
//     that it no longer sees is verified fixed.
//
// It gives the scan's lease on its target back. A scan that is no longer
// running (its lease expired and another scan took over) saves nothing:
// ErrLeaseLost.
func (s *Store) FinishScan(ctx context.Context, scanID, targetID int64, r ScanResult, now time.Time) (Summary, error) {
	var sum Summary
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return sum, s.wrap("begin", err)
	}
	defer tx.Rollback()
	ts := formatTime(now)

	if err := savePages(ctx, tx, targetID, scanID, ts, r.PageRows); err != nil {
		return sum, s.wrap("save pages", err)
	}
	if err := touchPages(ctx, tx, targetID, scanID, ts, r.PageRows); err != nil {
		return sum, s.wrap("save pages", err)
	}
	if err := saveLinks(ctx, tx, targetID, scanID, ts, r.LinkRows); err != nil {
		return sum, s.wrap("save links", err)
	}
	if err := applyFindings(ctx, tx, targetID, scanID, now, merge(r.Findings), &sum); err != nil {
		return sum, s.wrap("save issues", err)
	}
	// What a patrol says of pages it did not read again stands only when
	// it saw the site as it is (not collapsed, partial or interrupted).
	if r.Status == ScanComplete {
		if err := carryIssues(ctx, tx, scanID, now, r.Carry, &sum); err != nil {
			return sum, s.wrap("carry issues", err)
		}
		if err := setRefs(ctx, tx, r.Refs); err != nil {
			return sum, s.wrap("update issue pages", err)
		}
	}
	if err := saveColumns(ctx, tx, targetID, scanID, r.Columns); err != nil {
		return sum, s.wrap("save columns", err)
	}
	if err := saveDocuments(ctx, tx, targetID, scanID, r.Documents); err != nil {
		return sum, s.wrap("save documents", err)
	}
	if r.Status == ScanComplete && len(r.Judged) > 0 {
		var scope map[int64]bool
		if r.Incremental {
			scope = nonNilScope(r.Judge)
		}
		if err := verifyGone(ctx, tx, targetID, scanID, now, r.Judged, scope, &sum); err != nil {
			return sum, s.wrap("verify fixed issues", err)
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE scans SET finished_at = ?, status = ?, pages = ?, links = ?, requests = ?,
		bytes = ?, issues_new = ?, issues_open = ?, issues_verified = ?, issues_reopened = ?, note = ?, pages_read = ?, baseline_pages = ?,
		incremental = ?, home_links = ? WHERE id = ? AND status = ?`,
		ts, r.Status, r.Pages, r.Links, r.Requests, r.Bytes, sum.New, sum.StillOpen, sum.Verified, sum.Reopened, r.Note, r.PagesRead, r.Baseline,
		r.Incremental, r.HomeLinks, scanID, ScanRunning)
	if err != nil {
		return sum, s.wrap("finish scan", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Summary{}, fmt.Errorf("%w: scan #%d is no longer running", ErrLeaseLost, scanID)
	}
	if err := releaseScan(ctx, tx, scanID); err != nil {
		return sum, s.wrap("release scan lease", err)
	}
	return sum, s.wrap("commit scan", tx.Commit())
}

// FailScan records a scan that could not run or could not be saved, with
// the reason staff see, and gives its lease back. A scan no longer running
// is left as it is.
func (s *Store) FailScan(ctx context.Context, scanID int64, reason string, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap("begin", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE scans SET status = ?, finished_at = ?, note = ? WHERE id = ? AND status = ?`,
		ScanFailed, formatTime(now), reason, scanID, ScanRunning); err != nil {
		return s.wrap("fail scan", err)
	}
	if err := releaseScan(ctx, tx, scanID); err != nil {
		return s.wrap("release scan lease", err)
	}
	return s.wrap("commit", tx.Commit())
}

// merge folds findings with the same fingerprint into one, keeping every ref.
func merge(fs []checks.Finding) map[string]checks.Finding {
	out := make(map[string]checks.Finding, len(fs))
	for _, f := range fs {
		f = Bounded(f)
		fp := Fingerprint(f)
		if prev, ok := out[fp]; ok {
			prev.Refs = append(prev.Refs, f.Refs...)
			prev.Refs = prev.Refs[:min(len(prev.Refs), MaxRefs)]
			out[fp] = prev
			continue
		}
		out[fp] = f
	}
	return out
}

// Bounds of what an issue stores: whatever a hostile page holds, an issue
// list, an export and a mail stay small.
const (
	MaxURLBytes      = 4096 // an address, cut with its length noted
	MaxEvidenceChars = 500
	MaxMessageChars  = 1000
	MaxSnapshotChars = 600
	MaxRefs          = 1000 // pages referring to one dead link
)

// Bounded is f with its address, evidence, message and referring pages cut
// to the bounds above, each cut saying how long it was.
func Bounded(f checks.Finding) checks.Finding {
	f.URL = cutBytes(f.URL, MaxURLBytes)
	f.Evidence = cutChars(f.Evidence, MaxEvidenceChars)
	f.Message = cutChars(f.Message, MaxMessageChars)
	f.Snapshot = cutChars(f.Snapshot, MaxSnapshotChars)
	long := len(f.Refs) > MaxRefs || slices.ContainsFunc(f.Refs, func(r checks.Ref) bool {
		return len(r.Page) > MaxURLBytes || utf8.RuneCountInString(r.Anchor) > MaxEvidenceChars
	})
	if !long {
		return f // the common case: nothing to cut, nothing copied
	}
	f.Refs = slices.Clone(f.Refs[:min(len(f.Refs), MaxRefs)]) // the caller's stay as they were
	for i, r := range f.Refs {
		f.Refs[i].Page, f.Refs[i].Anchor = cutBytes(r.Page, MaxURLBytes), cutChars(r.Anchor, MaxEvidenceChars)
	}
	return f
}

// cutBytes is s in at most about n bytes: its start, …, and its length.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	head := s[:n/2]
	for !utf8.ValidString(head) {
		head = head[:len(head)-1]
	}
	return fmt.Sprintf("%s…（共 %d 个字符）", head, utf8.RuneCountInString(s))
}

// cutChars is s in at most about n characters, the same way.
func cutChars(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return fmt.Sprintf("%s…（共 %d 个字符）", string([]rune(s)[:n]), utf8.RuneCountInString(s))
}

func savePages(ctx context.Context, tx *txn, targetID, scanID int64, ts string, rows []PageRow) error {
	// A page first seen by a site's first crawl has no known change day:
	// the whole site is not "new" the night after it was first scanned.
	var known bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pages WHERE target_id = ?)`, targetID).Scan(&known); err != nil {
		return err
	}
	first := ""
	if known {
		first = ts
	}
	read := slices.DeleteFunc(slices.Clone(rows), func(p PageRow) bool { return p.Unchanged })
	return upsertAll(ctx, tx, `INSERT INTO pages (target_id, url, status, content_type, encoding, content_hash,
		etag, last_modified, title, depth, fetched_at, last_scan_id, published, column_name, changed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (target_id, url) DO UPDATE SET status = excluded.status, content_type = excluded.content_type,
		encoding = excluded.encoding, content_hash = excluded.content_hash, etag = excluded.etag,
		last_modified = excluded.last_modified, title = excluded.title, depth = excluded.depth,
		fetched_at = excluded.fetched_at, last_scan_id = excluded.last_scan_id,
		published = excluded.published, column_name = excluded.column_name,
		changed_at = CASE WHEN pages.content_hash <> excluded.content_hash THEN excluded.fetched_at ELSE pages.changed_at END`, len(read), func(i int) []any {
		p := read[i]
		return []any{targetID, p.URL, p.Status, p.ContentType, p.Encoding, p.Hash, p.ETag, p.LastModified, p.Title, p.Depth, ts, scanID,
			p.Published, cutChars(p.Column, 100), first}
	})
}

// touchPages records the visit of the pages that answered unchanged.
func touchPages(ctx context.Context, tx *txn, targetID, scanID int64, ts string, rows []PageRow) error {
	same := slices.DeleteFunc(slices.Clone(rows), func(p PageRow) bool { return !p.Unchanged })
	return upsertAll(ctx, tx, `UPDATE pages SET fetched_at = ?, last_scan_id = ?,
		etag = CASE WHEN ? <> '' THEN ? ELSE etag END, last_modified = CASE WHEN ? <> '' THEN ? ELSE last_modified END
		WHERE target_id = ? AND url = ?`, len(same), func(i int) []any {
		p := same[i]
		return []any{ts, scanID, p.ETag, p.ETag, p.LastModified, p.LastModified, targetID, p.URL}
	})
}

func saveLinks(ctx context.Context, tx *txn, targetID, scanID int64, ts string, rows []LinkRow) error {
	return upsertAll(ctx, tx, `INSERT INTO links (target_id, url, kind, internal, status, problem, detail,
		referrers, checked_at, last_scan_id) VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (target_id, url) DO UPDATE SET kind = excluded.kind, internal = excluded.internal,
		status = excluded.status, problem = excluded.problem, detail = excluded.detail,
		referrers = excluded.referrers, checked_at = excluded.checked_at, last_scan_id = excluded.last_scan_id`, len(rows), func(i int) []any {
		l := rows[i]
		return []any{targetID, l.URL, l.Kind, l.Internal, l.Status, l.Problem, l.Detail, l.Referrers, ts, scanID}
	})
}

// upsertAll runs one prepared statement for each of n rows.
func upsertAll(ctx context.Context, tx *txn, query string, n int, args func(i int) []any) error {
	if n == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := range n {
		if _, err := st.ExecContext(ctx, args(i)...); err != nil {
			return err
		}
	}
	return nil
}

func applyFindings(ctx context.Context, tx *txn, targetID, scanID int64, now time.Time, fs map[string]checks.Finding, sum *Summary) error {
	ts := formatTime(now)
	find, err := tx.PrepareContext(ctx, `SELECT id, status, last_scan_id, refs FROM issues WHERE fingerprint = ?`)
	if err != nil {
		return err
	}
	defer find.Close()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO issues (fingerprint, target_id, category, severity, url, evidence,
		message, rule, suspected, refs, owner, status, first_seen, last_seen, last_scan_id, rule_version, snapshot)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`)
	if err != nil {
		return err
	}
	defer insert.Close()
	// The owner follows the register unless staff assigned the issue.
	update, err := tx.PrepareContext(ctx, `UPDATE issues SET severity = ?, message = ?, suspected = ?, refs = ?,
		owner = CASE WHEN owner_set <> 0 THEN owner ELSE ? END,
		last_seen = ?, last_scan_id = ?, seen_count = seen_count + 1, rule_version = ?,
		snapshot = CASE WHEN snapshot = '' THEN ? ELSE snapshot END WHERE id = ?`)
	if err != nil {
		return err
	}
	defer update.Close()

	fps := make([]string, 0, len(fs))
	for fp := range fs {
		fps = append(fps, fp)
	}
	slices.Sort(fps) // a stable order: ids follow the same sequence each run
	for _, fp := range fps {
		f := fs[fp]
		refs, _ := json.Marshal(nonNil(f.Refs))
		var id, lastScan int64
		var status Status
		var oldRefs string
		err := find.QueryRowContext(ctx, fp).Scan(&id, &status, &lastScan, &oldRefs)
		if err == sql.ErrNoRows && f.Rule == checks.RuleDeadPostLink {
			// The dead target is already an open issue of a site: the post
			// is one more page that links to it, not a second issue.
			folded, ferr := foldPostLink(ctx, tx, targetID, f)
			if ferr != nil {
				return ferr
			}
			if folded {
				sum.StillOpen++
				continue
			}
		}
		if err == sql.ErrNoRows {
			var id int64
			if err := insert.QueryRowContext(ctx, fp, targetID, f.Category, f.Severity, f.URL, f.Evidence, f.Message,
				f.Rule, f.Suspected, string(refs), f.Owner, StatusOpen, ts, ts, scanID, f.Version, f.Snapshot).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO issue_events (issue_id, at, actor, from_status, to_status, note, scan_id)
				VALUES (?, ?, ?, '', ?, ?, ?)`, id, ts, ScanActor, StatusOpen, NoteFound, scanID); err != nil {
				return err
			}
			sum.New++
			continue
		}
		if err != nil {
			return err
		}
		refs = keepPostRefs(refs, oldRefs)
		// The snapshot is the passage as first found: kept, only filled in
		// for an issue found before snapshots were taken.
		if _, err := update.ExecContext(ctx, f.Severity, f.Message, f.Suspected, string(refs), f.Owner, ts, scanID, f.Version, f.Snapshot, id); err != nil {
			return err
		}
		if err := seenAgain(ctx, tx, id, status, f.Category, lastScan, scanID, now, sum); err != nil {
			return err
		}
	}
	return nil
}

// seenAgain moves an issue a scan saw again: a fixed or verified one is
// reopened, an open dead link seen by a second scan confirmed.
func seenAgain(ctx context.Context, tx *txn, id int64, status Status, category checks.Category, lastScan, scanID int64, now time.Time, sum *Summary) error {
	switch {
	case status == StatusIgnored:
		sum.Ignored++
	case status == StatusVerified || status == StatusFixed:
		note := NoteReappeared
		if status == StatusFixed {
			note = NoteNotFixed
		}
		if err := setStatus(ctx, tx, id, status, StatusReopened, ScanActor, note, now, scanID); err != nil {
			return err
		}
		sum.Reopened++
	case status == StatusOpen && category == checks.DeadLink && lastScan != scanID:
		// Seen by two scans: not a passing blip (疑似 → 确认).
		if err := setStatus(ctx, tx, id, status, StatusConfirmed, ScanActor, NoteConfirmed, now, scanID); err != nil {
			return err
		}
		sum.StillOpen++
	default:
		sum.StillOpen++
	}
	return nil
}

// postRef is the anchor of a referrer that is an account's post.
const postRef = "政务新媒体发布内容"

// keepPostRefs keeps, in a site scan's new referrers of an issue, the posts
// folded into it by account scans.
func keepPostRefs(refs []byte, old string) []byte {
	if !strings.Contains(old, postRef) {
		return refs // nearly every issue: nothing to keep, nothing to decode
	}
	var prev, cur []checks.Ref
	if json.Unmarshal([]byte(old), &prev) != nil || json.Unmarshal(refs, &cur) != nil {
		return refs
	}
	n := len(cur)
	for _, r := range prev {
		if r.Anchor == postRef && !slices.ContainsFunc(cur, func(c checks.Ref) bool { return c.Page == r.Page }) {
			cur = append(cur, r)
		}
	}
	if len(cur) == n {
		return refs
	}
	out, _ := json.Marshal(cur)
	return out
}

// foldPostLink adds a post that links to a dead target as a referrer of the
// open site issue of the same unit about the same target, if there is one:
// a unit fixes its page and its post together; another unit's post is its
// own issue.
func foldPostLink(ctx context.Context, tx *txn, targetID int64, f checks.Finding) (bool, error) {
	var id int64
	var raw string
	err := tx.QueryRowContext(ctx, `SELECT id, refs FROM issues WHERE category = ? AND evidence = ? AND rule <> ?
		AND target_id <> ? AND owner = ? AND status NOT IN (?, ?) ORDER BY id LIMIT 1`,
		checks.DeadLink, f.Evidence, checks.RuleDeadPostLink, targetID, f.Owner, StatusIgnored, StatusVerified).Scan(&id, &raw)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var refs []checks.Ref
	_ = json.Unmarshal([]byte(raw), &refs)
	if slices.ContainsFunc(refs, func(r checks.Ref) bool { return r.Page == f.URL }) {
		return true, nil
	}
	refs = append(refs, checks.Ref{Page: f.URL, Anchor: postRef})
	out, _ := json.Marshal(refs)
	_, err = tx.ExecContext(ctx, `UPDATE issues SET refs = ? WHERE id = ?`, string(out), id)
	return err == nil, err
}

// verifyGone verifies fixed the unresolved issues of the judged rules the
// scan did not see; with a scope (a nightly patrol), only those in it.
func verifyGone(ctx context.Context, tx *txn, targetID, scanID int64, now time.Time, judged []string, scope map[int64]bool, sum *Summary) error {
	args := []any{targetID, scanID}
	for _, st := range Unresolved {
		args = append(args, string(st))
	}
	var rules []string
	for _, prefix := range judged {
		rules = append(rules, "substr(rule, 1, ?) = ?")
		args = append(args, len(prefix), prefix)
	}
	q := fmt.Sprintf(`SELECT id, status FROM issues WHERE target_id = ? AND last_scan_id <> ?
		AND status IN (%s) AND (%s)`, placeholders(len(Unresolved)), strings.Join(rules, " OR "))
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	type gone struct {
		id     int64
		status Status
	}
	var list []gone
	for rows.Next() {
		var g gone
		if err := rows.Scan(&g.id, &g.status); err != nil {
			rows.Close()
			return err
		}
		if scope == nil || scope[g.id] {
			list = append(list, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, g := range list {
		if err := setStatus(ctx, tx, g.id, g.status, StatusVerified, ScanActor, NoteVerified, now, scanID); err != nil {
			return err
		}
		sum.Verified++
	}
	return nil
}

// nonNilScope is a nightly patrol's scope: empty, not nil, when it judged
// nothing (nil means the whole site).
func nonNilScope(m map[int64]bool) map[int64]bool {
	if m == nil {
		return map[int64]bool{}
	}
	return m
}

// carryIssues counts the issues of pages that answered unchanged as seen
// again, as if the scan had found them: their pages are what they were.
// An issue the scan already saw, or one no longer unresolved, is left.
func carryIssues(ctx context.Context, tx *txn, scanID int64, now time.Time, ids []int64, sum *Summary) error {
	ts := formatTime(now)
	for _, id := range ids {
		var status Status
		var category checks.Category
		var lastScan int64
		err := tx.QueryRowContext(ctx, `SELECT status, category, last_scan_id FROM issues WHERE id = ?`, id).Scan(&status, &category, &lastScan)
		if err == sql.ErrNoRows || err == nil && (lastScan == scanID || !slices.Contains(Unresolved, status)) {
			continue
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE issues SET last_seen = ?, last_scan_id = ?, seen_count = seen_count + 1 WHERE id = ?`,
			ts, scanID, id); err != nil {
			return err
		}
		if err := seenAgain(ctx, tx, id, status, category, lastScan, scanID, now, sum); err != nil {
			return err
		}
	}
	return nil
}

// setRefs gives issues their new pages (ones the scan found, or carried,
// without a finding of their own).
func setRefs(ctx context.Context, tx *txn, refs map[int64][]checks.Ref) error {
	for id, rs := range refs {
		raw, _ := json.Marshal(nonNil(rs))
		if _, err := tx.ExecContext(ctx, `UPDATE issues SET refs = ? WHERE id = ?`, string(raw), id); err != nil {
			return err
		}
	}
	return nil
}

func saveColumns(ctx context.Context, tx *txn, targetID, scanID int64, rows []ColumnRow) error {
	return upsertAll(ctx, tx, `INSERT INTO columns (target_id, url, name, class, label, days, owner, items, undated,
		newest, empty, last_scan_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (target_id, url) DO UPDATE SET name = excluded.name, class = excluded.class, label = excluded.label, days = excluded.days,
		owner = excluded.owner, items = excluded.items, undated = excluded.undated, newest = excluded.newest,
		empty = excluded.empty, last_scan_id = excluded.last_scan_id`, len(rows), func(i int) []any {
		c := rows[i]
		newest := ""
		if !c.Newest.IsZero() {
			newest = c.Newest.Format("2006-01-02")
		}
		return []any{targetID, c.URL, c.Name, c.Class, c.Label, c.Days, c.Owner, c.Items, c.Undated, newest, c.Empty, scanID}
	})
}

func saveDocuments(ctx context.Context, tx *txn, targetID, scanID int64, rows []DocumentRow) error {
	return upsertAll(ctx, tx, `INSERT INTO documents (target_id, url, title, index_no, issuer, written, published,
		number, validity, doc_type, last_scan_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (target_id, url) DO UPDATE SET title = excluded.title, index_no = excluded.index_no,
		issuer = excluded.issuer, written = excluded.written, published = excluded.published, number = excluded.number,
		validity = excluded.validity, doc_type = excluded.doc_type, last_scan_id = excluded.last_scan_id`, len(rows), func(i int) []any {
		d := rows[i]
		return []any{targetID, d.URL, d.Title, d.Index, d.Issuer, d.Written, d.Published, d.Number, d.Validity, d.Type, scanID}
	})
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func nonNil(r []checks.Ref) []checks.Ref {
	if r == nil {
		return []checks.Ref{}
	}
	return r
}

// FinishedSince reports whether a scan of the named target started at or
// after since and ended other than interrupted (complete, partial,
// collapsed or failed): a retried job need not scan it again.
func (s *Store) FinishedSince(ctx context.Context, target string, since time.Time) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM scans s JOIN targets t ON t.id = s.target_id
		WHERE t.name = ? AND s.kind = ? AND s.started_at >= ? AND s.status NOT IN (?, ?)`,
		target, KindCrawl, formatTime(since.Truncate(time.Second)), ScanRunning, ScanInterrupted).Scan(&n)
	if err != nil {
		return false, s.wrap("finished scans", err)
	}
	return n > 0, nil
}

// Scans lists the latest scans, newest first.
func (s *Store) Scans(ctx context.Context, limit int) ([]Scan, error) {
	return s.ScansOf(ctx, "", limit)
}

// ScansOf lists the latest scans of a kind ("" for every kind), newest first.
func (s *Store) ScansOf(ctx context.Context, kind string, limit int) ([]Scan, error) {
	return s.scans(ctx, `WHERE ? = '' OR s.kind = ? ORDER BY s.id DESC LIMIT ?`, kind, kind, limit)
}

// LatestScans lists each target's last scan of a kind, newest first.
func (s *Store) LatestScans(ctx context.Context, kind string) ([]Scan, error) {
	return s.scans(ctx, `WHERE s.id IN (SELECT max(id) FROM scans WHERE kind = ? GROUP BY target_id) ORDER BY s.id DESC`, kind)
}

func (s *Store) scans(ctx context.Context, where string, args ...any) ([]Scan, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, t.name, t.kind, s.kind, s.started_at, COALESCE(s.finished_at, ''), s.status,
		s.pages, s.links, s.issues_new, s.issues_open, s.issues_verified, s.issues_reopened, s.note, s.pages_read, s.baseline_pages, s.incremental
		FROM scans s JOIN targets t ON t.id = s.target_id `+where, args...)
	if err != nil {
		return nil, s.wrap("list scans", err)
	}
	defer rows.Close()
	var out []Scan
	for rows.Next() {
		var sc Scan
		var started, finished string
		if err := rows.Scan(&sc.ID, &sc.Target, &sc.TargetKind, &sc.Kind, &started, &finished, &sc.Status, &sc.Pages, &sc.Links,
			&sc.New, &sc.StillOpen, &sc.Verified, &sc.Reopened, &sc.Note, &sc.PagesRead, &sc.Baseline, &sc.Incremental); err != nil {
			return nil, s.wrap("read scan", err)
		}
		sc.StartedAt, sc.FinishedAt = parseTime(started), parseTime(finished)
		out = append(out, sc)
	}
	return out, rows.Err()
}

// Probe is one availability probe of a home page.
type Probe struct {
	At     time.Time
	OK     bool
	Status int
	Error  string
	Took   time.Duration
}

// AddProbe records a probe.
func (s *Store) AddProbe(ctx context.Context, targetID int64, p Probe) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO probes (target_id, at, ok, status, error, millis) VALUES (?,?,?,?,?,?)`,
		targetID, formatTime(p.At), p.OK, p.Status, p.Error, p.Took.Milliseconds())
	return s.wrap("save probe", err)
}

// ProbeShare counts a target's probes since a time and how many failed.
func (s *Store) ProbeShare(ctx context.Context, targetID int64, since time.Time) (total, failed int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(1 - ok), 0) FROM probes WHERE target_id = ? AND at >= ?`,
		targetID, formatTime(since)).Scan(&total, &failed)
	return total, failed, s.wrap("count probes", err)
}

// ColumnEntry is a column of the register as last saved, with its site.
type ColumnEntry struct {
	Target string
	ColumnRow
}

// Columns lists the column register of every site (or one), by site and URL.
func (s *Store) Columns(ctx context.Context, target string) ([]ColumnEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.name, c.url, c.name, c.class, c.label, c.owner, c.days, c.items, c.undated,
		c.newest, c.empty FROM columns c JOIN targets t ON t.id = c.target_id
		WHERE ? = '' OR t.name = ? ORDER BY t.name, c.url`, target, target)
	if err != nil {
		return nil, s.wrap("list columns", err)
	}
	defer rows.Close()
	var out []ColumnEntry
	for rows.Next() {
		var e ColumnEntry
		var newest string
		if err := rows.Scan(&e.Target, &e.URL, &e.Name, &e.Class, &e.Label, &e.Owner, &e.Days, &e.Items, &e.Undated, &newest, &e.Empty); err != nil {
			return nil, s.wrap("read column", err)
		}
		e.Newest, _ = time.Parse("2006-01-02", newest)
		out = append(out, e)
	}
	return out, rows.Err()
}
