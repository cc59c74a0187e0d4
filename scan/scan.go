// Package scan runs one scan of one target end to end: crawl, check, store.
// It reads like the pipeline it is (crawler → checks → store) and returns a
// report of what it did.
package scan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/extract"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/store"
)

// Site is a website to scan.
type Site struct {
	// TargetID is the site's id in the store when the caller read it from
	// there (the patrol): the scan is recorded under it as it is now, not
	// as this copy says. 0: the site is saved by name first.
	TargetID     int64
	Name, URL    string
	AllowedHosts []string
	Owner, Email string
	// Columns are staff's corrections of the column register: class,
	// exemption, owning unit.
	Columns []checks.ColumnOverride
	// Chrome are CSS selectors of the site's own template blocks, for a
	// template the learning misses: never column items or content.
	Chrome []string
}

// Options tune a scan.
type Options struct {
	Crawl crawler.Options
	// Columns are the freshness thresholds and column classes
	// (checks.DefaultColumnRules when zero).
	Columns checks.ColumnRules
	// Rules are the wording rules (typos, serious errors, old names,
	// cautioned wording); nil runs no wording check.
	Rules *rules.Set
	// Interaction are the limits of 互动回应 (checks.DefaultInteractionRules
	// when zero).
	Interaction checks.InteractionRules
	// Policy are the policy-document rules (checks.DefaultPolicyRules when
	// zero).
	Policy checks.PolicyRules
	// ReadAttachments downloads the site's .docx, .xlsx and .pdf attachments
	// and runs the text checks on them.
	ReadAttachments bool
	// Collapse tells a collapsed crawl from a complete one, against the
	// target's last complete crawl (store.DefaultCollapseGuard when nil; a
	// zero Ratio turns it off).
	Collapse *store.CollapseGuard
	// AcceptFewerPages judges this scan as if the target had no complete
	// scan yet: the site really shrank, and this scan is the new baseline.
	AcceptFewerPages bool
	// Nightly, when set, makes the scan a nightly patrol by that refresh
	// policy unless a full crawl is due (see Nightly); nil: a full crawl.
	Nightly *Nightly
	// Full asks for a full crawl whatever the policy says.
	Full bool
	// Progress, when set, receives a snapshot of the crawl about four times a
	// second and once at the end.
	Progress func(crawler.Progress)
	// Now is the clock (tests fix it); time.Now when nil.
	Now func() time.Time
	// Started, when set, is called once the scan holds its target (each
	// account's, for RunAccounts): the scan was not refused.
	Started func()
	// Heartbeat is how often a running scan renews its hold on its target
	// (store.LeaseHeartbeat when zero).
	Heartbeat time.Duration
}

// Report is what one scan did.
type Report struct {
	Target string
	ScanID int64
	Status store.ScanStatus
	// PagesRead are the distinct pages whose content was read and checked
	// (Stats.Pages counts every fetch, error pages and redirects included;
	// a login or maintenance page answering for every URL counts once);
	// Baseline is the same count of the target's last complete crawl, which
	// this one was compared with (0: none).
	PagesRead, Baseline int
	Stats               crawler.Stats
	Summary             store.Summary
	Findings            int // findings of this scan (before merging into issues)
	Broken              int // distinct broken link targets
	Columns             []checks.Column
	Veto                checks.Veto
	// Channels are the consultation channels read, Interaction what their
	// messages say.
	Channels    int
	Interaction checks.InteractionStats
	Documents   int // policy documents read
	// Attachments read, and the time spent extracting and checking them.
	Attachments     int
	AttachmentBytes int64
	AttachmentTime  time.Duration
	AttachmentFails int // attachments that could not be read (damaged, encrypted)
	// ProbeTotal and ProbeFailed count the home page's availability probes
	// of the last ProbeWindow (xunjian probe).
	ProbeTotal, ProbeFailed int
	// HomeUnreachable says why the home page could not be read ("" when
	// it was): the summary says so first.
	HomeUnreachable string
	// Incremental: a nightly patrol, which visited part of the site
	// (Stats.Unchanged pages answered unchanged, Stats.Carried known URLs
	// were not requested). Judged and Carried count the unresolved issues
	// it could judge and those whose pages answered unchanged.
	Incremental     bool
	Judged, Carried int
}

// judged are the rules a site scan decides; only their issues can be
// verified fixed by it. (The probes' site_unreachable.probes is not one.)
var judged = []string{"dead_link.", checks.RuleStartUnreachable, "stale_column.", "empty_column.", "homepage_stale.",
	"privacy_leak.", "punctuation.", "policy_metadata.", "dark_link.hidden", "dark_link.gambling",
	"certificate.", "interaction_unanswered."}

// judgedWording are the rules a scan with a rule set judges too.
var judgedWording = []string{"typo.", "serious_error.", "obsolete_name.", "repealed_law.", "sensitive_word."}

// Run scans site and saves what it finds. An error means the scan could not
// run (bad URL, database trouble); everything the site does wrong, even
// being unreachable, is a finding. Cancelling ctx stops the crawl; what was
// found so far is still saved, and nothing is closed.
//
// The scan holds the site while it runs (a lease in the store, renewed
// every Heartbeat): while another scan — of this process or another — holds
// it, Run is refused at once with an error that is a *store.ScanningError.
// A scan that cannot save its results (a full disk) is recorded as failed
// with the reason.
func Run(ctx context.Context, st *store.Store, site Site, opts Options) (Report, error) {
	now := opts.clock()
	rep := Report{Target: site.Name}
	targetID, scanID, err := begin(ctx, st, site.TargetID, site.target(), store.KindCrawl, now)
	if err != nil {
		return rep, fmt.Errorf("scan %s: %w", site.Name, err)
	}
	rep.ScanID = scanID
	ctx, release := hold(ctx, st, scanID, opts)
	defer release()
	if opts.Started != nil {
		opts.Started()
	}

	co := opts.Crawl
	co.AllowedHosts = append(append([]string(nil), co.AllowedHosts...), site.AllowedHosts...)
	if co.Template, err = extract.CompileTemplate(site.Chrome); err != nil {
		_ = st.FailScan(context.WithoutCancel(ctx), scanID, "站点模板选择器（chrome）无效，扫描未运行："+strings.Join(site.Chrome, "、"), now())
		return rep, fmt.Errorf("scan %s: %w", site.Name, err)
	}
	at := now()
	co.Now = at // the pages' list dates are read against the scan's clock
	var plan *nightPlan
	var open []store.Issue
	if opts.Nightly != nil && !opts.Full {
		open, err = st.Issues(ctx, store.Filter{Target: site.Name, Statuses: store.Unresolved})
		if err == nil {
			plan, err = planNight(ctx, st, targetID, site.URL, *opts.Nightly, at, open)
		}
		if err != nil {
			_ = st.FailScan(context.WithoutCancel(ctx), scanID, saveFailure(err), now())
			return rep, fmt.Errorf("scan %s: %w", site.Name, err)
		}
	}
	if plan != nil {
		co.Known, co.Seeds = plan.lookup, plan.seeds
		rep.Incremental = true
	}
	var facts pageFacts
	interaction := opts.Interaction
	if interaction.LimitDays == 0 {
		interaction = checks.DefaultInteractionRules()
	}
	facts.channels.words = interaction.Keywords
	if opts.ReadAttachments {
		co.WantAttachment = attachment.Readable
		co.OnAttachment = func(u string, data []byte) { facts.attachment(u, data, at, opts.Rules) }
	}
	c := crawler.New(co)
	stopProgress := reportProgress(c, opts.Progress)
	res, err := c.Run(ctx, site.URL, func(p *crawler.Page) { facts.add(p, at, opts.Rules) })
	stopProgress()
	// From here on the scan is saved even if ctx was cancelled: the store
	// write is one transaction, quick, and keeps the database consistent.
	save := context.WithoutCancel(ctx)
	if err != nil {
		_ = st.FailScan(save, scanID, "首页地址无效，扫描未运行："+site.URL, now())
		return rep, fmt.Errorf("scan %s: %w", site.Name, err)
	}
	defer res.Close()

	rules := opts.Columns
	if len(rules.Classes) == 0 {
		rules = checks.DefaultColumnRules()
	}
	rules.Overrides = append(append([]checks.ColumnOverride(nil), rules.Overrides...), site.Columns...)
	findings := checks.DeadLinks(res, co.Timeout)
	findings = append(findings, checks.BadLinks(res)...)
	findings = append(findings, checks.DarkLinks(res)...)
	findings = append(findings, checks.Certificates(res)...)
	attachmentRefs(res, facts.text)
	findings = append(findings, facts.text...)
	findings = append(findings, facts.boilerplateFindings(at, opts.Rules)...)
	policy := opts.Policy
	if policy.Required == nil {
		policy = checks.DefaultPolicyRules()
	}
	for _, f := range checks.PolicyChecks(facts.docs, facts.interps, policy) {
		// A nightly patrol may not have read a document's interpretation:
		// it judges that only of documents new tonight.
		if _, old := plan.lookup(f.URL); plan != nil && f.Rule == checks.RulePolicyNoInterp && old {
			continue
		}
		findings = append(findings, f)
	}
	talk, stats := checks.Interaction(facts.channels.judge(res, co.Timeout), interaction, at)
	findings = append(findings, talk...)
	if plan == nil {
		// A full crawl carries the letters of pages it could not read; a
		// patrol settles them with the rest of its issues (nightScope).
		waiting, err := st.Issues(save, store.Filter{Target: site.Name, Category: checks.InteractionUnanswered, Statuses: store.Unresolved})
		if err != nil {
			_ = st.FailScan(save, scanID, saveFailure(err), now())
			return rep, err
		}
		findings = append(findings, carried(waiting, facts.about)...)
	}
	rep.Interaction, rep.Channels = stats, len(facts.channels.order)
	rep.Documents = len(facts.docs)
	rep.Attachments, rep.AttachmentBytes = res.Stats.Attachments, res.Stats.AttachBytes
	rep.AttachmentTime, rep.AttachmentFails = facts.attachTime, facts.attachFails
	nav := navAnchors(res)
	facts.template.nav(nav, res)
	cols := checks.Columns(facts.template.apply(facts.pages), nav, rules, at)
	fresh := checks.Freshness(cols, facts.home, at, rules)
	findings = append(findings, fresh...)
	reportAliases(findings, res.Aliases)
	findings = onceForTemplate(findings, res.Targets[res.Start].URL)
	assignOwners(findings, cols, rules.Overrides, site.Owner)
	rep.Stats, rep.Findings, rep.Columns = res.Stats, len(findings), cols
	rep.Veto = checks.VetoCounts(fresh, cols)
	rep.Status = status(res)
	rep.PagesRead = len(facts.read)
	if st := res.Targets[res.Start].Status; st.Problem != crawler.NoProblem {
		rep.HomeUnreachable = checks.Cause(st, opts.Crawl.Timeout)
	}
	notes := note(res)
	if err := res.Edges.Err(); err != nil {
		// The links could not be read back from scratch space: the link
		// checks saw only part of them, so this scan closes nothing.
		slog.Error("scan: link list unreadable", "target", site.Name, "err", err)
		rep.Status = store.ScanPartial
		notes = strings.TrimPrefix(notes+"；临时文件读取失败，链接检查不完整，未复查关闭任何问题", "；")
	}
	// A crawl that ran to its end but read far fewer pages than the last
	// complete one (the home page became a redirect, a WAF, maintenance or
	// login page) did not see the pages its issues are on: it closes nothing.
	links := homeLinks(res)
	if plan != nil {
		rep.PagesRead += res.Stats.Unchanged
		// A nightly patrol reads pages by their addresses: it is its home
		// page, linking to far fewer of the site's pages than at the last
		// full crawl, that shows the site replaced by a login, WAF or
		// maintenance page.
		if rep.Status == store.ScanComplete && opts.collapse().Collapsed(links, plan.homeLinks) {
			rep.Status, rep.PagesRead, rep.Baseline = store.ScanCollapsed, links, plan.homeLinks
			notes = strings.TrimSuffix(rep.CollapseNote()+"；"+notes, "；")
		}
	}
	if rep.Status == store.ScanComplete && !opts.AcceptFewerPages && plan == nil {
		base, ok, err := st.LastCompletePages(save, targetID)
		if err != nil {
			_ = st.FailScan(save, scanID, saveFailure(err), now())
			return rep, err
		}
		if ok {
			rep.Baseline = base
		}
		if ok && opts.collapse().Collapsed(rep.PagesRead, base) {
			rep.Status = store.ScanCollapsed
			notes = strings.TrimSuffix(store.CollapseNote(rep.PagesRead, base)+"；"+notes, "；")
		}
	}
	judge := judged
	if opts.Rules != nil {
		judge = append(slices.Clone(judged), judgedWording...)
	}
	result := store.ScanResult{
		Status: rep.Status, Pages: res.Stats.Pages, Links: res.Stats.Links, PagesRead: rep.PagesRead, Baseline: rep.Baseline,
		Requests: res.Stats.Requests, Bytes: res.Stats.Bytes, Note: notes,
		Findings: findings, Judged: judge, Columns: columnRows(cols), Documents: documentRows(facts.docs),
		HomeLinks: links,
	}
	if plan != nil {
		// Tonight's findings of an issue spanning pages not all read
		// tonight are that issue; only what tonight looked at is judged.
		result.Incremental = true
		result.Judge, result.Carry, result.Refs = plan.scope(res, &facts).apply(result.Findings, open)
		rep.Judged, rep.Carried = len(result.Judge), len(result.Carry)
		result.Note = strings.TrimPrefix(result.Note+"；"+nightNote(res, rep), "；")
	}
	for _, t := range res.Targets {
		if t.Status.Broken() {
			rep.Broken++
		}
	}
	// Saving is a scan's peak of memory: each record of the crawl goes as
	// soon as its row is made, and the pages' facts before the transaction.
	facts.template, facts.text, facts.read = template{}, nil, nil
	result.PageRows = pageRows(res, facts.about)
	res.Pages, facts.about = nil, nil
	result.LinkRows = linkRows(res)
	res.Targets = nil
	rep.Summary, err = st.FinishScan(save, scanID, targetID, result, now())
	if err != nil {
		return rep, failed(save, st, scanID, site.Name, err, now)
	}
	rep.ProbeTotal, rep.ProbeFailed, err = st.ProbeShare(save, targetID, at.Add(-ProbeWindow))
	return rep, err
}

// clock is the options' clock, time.Now when none is set.
func (o Options) clock() func() time.Time {
	if o.Now != nil {
		return o.Now
	}
	return time.Now
}

// collapse is the options' collapse guard, the default when none is set.
func (o Options) collapse() store.CollapseGuard {
	if o.Collapse != nil {
		return *o.Collapse
	}
	return store.DefaultCollapseGuard
}

// CollapseNote says why a collapsed scan closed nothing, with both page
// counts; "" for any other scan.
func (r Report) CollapseNote() string {
	if r.Status != store.ScanCollapsed {
		return ""
	}
	return store.CollapseNoteOf(r.Incremental, r.PagesRead, r.Baseline)
}

func (s Site) target() store.Target {
	return store.Target{Name: s.Name, URL: s.URL, Owner: s.Owner, Email: s.Email}
}

// failed records a scan whose results could not be saved as failed, with
// the reason, unless another scan took its target over; it returns err.
func failed(ctx context.Context, st *store.Store, scanID int64, name string, err error, now func() time.Time) error {
	if !errors.Is(err, store.ErrLeaseLost) {
		if ferr := st.FailScan(ctx, scanID, saveFailure(err), now()); ferr != nil {
			err = errors.Join(err, ferr)
		}
	}
	return fmt.Errorf("scan %s: %w", name, err)
}

// saveFailure is why a scan's results were not saved, for staff.
func saveFailure(err error) string {
	switch {
	case errors.Is(err, store.ErrFull):
		return "数据库写入失败：磁盘空间不足，本次扫描结果未保存"
	case store.IsBusy(err):
		return "数据库被其他进程长时间占用，本次扫描结果未保存"
	}
	return "数据库错误，本次扫描结果未保存（详见日志）"
}

// hold renews a running scan's lease on its target every opts.Heartbeat
// until release is called. When the lease was lost — this process stalled
// past its expiry and another scan took the target over — the returned
// context is cancelled: the scan stops, and saves nothing.
func hold(ctx context.Context, st *store.Store, scanID int64, opts Options) (context.Context, func()) {
	every := cmp.Or(opts.Heartbeat, store.LeaseHeartbeat)
	now := opts.clock()
	ctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				// A failed renewal (the database busy) is tried again at
				// the next beat: the lease lasts several beats.
				if err := st.RenewScan(context.WithoutCancel(ctx), scanID, now()); errors.Is(err, store.ErrLeaseLost) {
					cancel(err)
					return
				}
			}
		}
	})
	return ctx, func() {
		close(done)
		wg.Wait()
		cancel(nil)
	}
}

// begin records the start of a scan of the target: the stored target id,
// or, when the caller has none, the target saved by name first.
func begin(ctx context.Context, st *store.Store, id int64, t store.Target, kind string, now func() time.Time) (targetID, scanID int64, err error) {
	targetID = id
	if targetID == 0 {
		if targetID, err = st.SyncTarget(ctx, t, now()); err != nil {
			return 0, 0, err
		}
	}
	scanID, err = st.StartScan(ctx, targetID, kind, now())
	return targetID, scanID, err
}

// pageFacts collects, page by page, what the checks need: the text checks'
// findings on each page's own text, the site's boilerplate texts (checked once
// at the end), and the column facts. The crawler calls add from several
// goroutines.
type pageFacts struct {
	mu          sync.Mutex
	read        map[string]bool // content hashes of the pages read
	pages       []listPage
	home        *checks.PageFacts
	template    template
	text        []checks.Finding
	boilerplate map[string]bpPage // boilerplate text → the page it is reported on
	docs        []checks.PolicyDoc
	interps     []checks.Interpretation
	attachTime  time.Duration
	attachFails int
	about       map[string]pageAbout // page URL → its date and column
	attached    map[string]bool      // attachments read
	channels    channels             // the consultation channels read
}

// pageAbout is what a page says of itself, stored with it for the issue
// detail: its date (YYYY-MM-DD) and its column.
type pageAbout struct{ published, column string }

// attachment reads an attachment's text and checks it part by part (page,
// sheet); the finding's evidence names the part. Its date is not known, so
// old names are not judged in it. One past the reading bounds (a bomb) is
// a finding of its own, and the scan goes on.
func (f *pageFacts) attachment(u string, data []byte, now time.Time, set *rules.Set) {
	start := time.Now()
	parts, err := attachment.Text(u, data)
	var found, personal []checks.Finding
	if errors.Is(err, attachment.ErrTooLarge) {
		slog.Warn("attachment not read: past the reading bounds", "url", u, "bytes", len(data), "err", err)
		found = append(found, checks.UnreadAttachment(u))
	}
	for _, p := range parts {
		for _, fd := range TextChecks(p.Text, u, time.Time{}, now, set) {
			// A sheet's cells are tab-separated: shown as spaces.
			fd.Evidence = "［" + p.Where + "］" + strings.Join(strings.Fields(fd.Evidence), " ")
			if fd.Category == checks.PrivacyLeak {
				personal = append(personal, fd)
				continue
			}
			fd.Message = "附件" + p.Where + "：" + fd.Message
			found = append(found, fd)
		}
	}
	found = append(found, personalDataOfFile(personal)...)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.attached == nil {
		f.attached = map[string]bool{}
	}
	f.attached[u] = true
	f.text = append(f.text, found...)
	f.attachTime += time.Since(start)
	if err != nil {
		f.attachFails++
	}
}

// personalDataOfFile is an attachment's personal data as one issue: how
// many numbers of each kind, with the first masked examples — a roster of
// a hundred IDs is one problem of one file, not a hundred issues.
func personalDataOfFile(fs []checks.Finding) []checks.Finding {
	switch len(fs) {
	case 0:
		return nil
	case 1:
		fs[0].Message = "附件" + strings.TrimPrefix(strings.SplitN(fs[0].Evidence, "］", 2)[0], "［") + "：" + fs[0].Message
		return fs
	}
	kinds := map[string]int{}
	out := fs[0]
	out.Rule = checks.RulePersonalDataFile
	var examples []string
	for _, f := range fs {
		kinds[f.Rule]++
		if f.Severity == checks.High {
			out.Severity = checks.High
		}
		// An example per number: a row's mobile shown with its ID is one.
		num := checks.MaskedNumber(f.Message)
		if len(examples) < 3 && !slices.ContainsFunc(examples, func(e string) bool { return num != "" && strings.Contains(e, num) }) {
			examples = append(examples, f.Evidence)
		}
	}
	var counts []string
	for _, k := range []struct{ rule, name string }{{checks.RuleIDCard, "身份证号"}, {checks.RuleMobile, "手机号"}, {checks.RuleBankCard, "银行卡号"}} {
		if n := kinds[k.rule]; n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d 个", k.name, n))
		}
	}
	out.Evidence = strings.Join(examples, "；")
	out.Message = fmt.Sprintf("附件中疑似公开了个人信息 %d 处（%s），问题内容为前几处（已脱敏）；个人信息应脱敏后发布，或撤下附件", len(fs), strings.Join(counts, "，"))
	return []checks.Finding{out}
}

// attachmentRefs names, on each finding of an attachment, the pages that
// link to it: staff fix the page, not the file's address.
func attachmentRefs(res *crawler.Result, fs []checks.Finding) {
	index := map[string]int{}
	for i, t := range res.Targets {
		if t.Kind == extract.Attachment {
			index[t.URL], index[t.FetchURL] = i, i
		}
	}
	refs := map[int][]checks.Ref{}
	for e := range res.Edges.All() {
		if res.Targets[e.To].Kind == extract.Attachment {
			refs[int(e.To)] = append(refs[int(e.To)], checks.Ref{Page: res.Targets[e.From].URL, Anchor: e.Anchor, OnHome: e.From == res.Start})
		}
	}
	for i := range fs {
		if t, ok := index[fs[i].URL]; ok && len(fs[i].Refs) == 0 && len(refs[t]) > 0 {
			fs[i].Refs = slices.Clone(refs[t])
			checks.SortRefs(fs[i].Refs)
		}
	}
}

// bpPage is where a boilerplate text is reported: the home page when it
// carries it, else the shortest URL — the same page scan after scan.
type bpPage struct {
	url  string
	home bool
}

func (a bpPage) better(b bpPage) bool {
	if a.home != b.home {
		return a.home
	}
	if len(a.url) != len(b.url) {
		return len(a.url) < len(b.url)
	}
	return a.url < b.url
}

// maxBoilerplates bounds the distinct header/footer texts kept per site.
const maxBoilerplates = 64

// TextChecks are every check of a text: personal data, punctuation and the
// wording rules. published is the text's publication date (zero: unknown).
func TextChecks(text, pageURL string, published, now time.Time, set *rules.Set) []checks.Finding {
	return textChecks(text, pageURL, published, now, set, nil)
}

// textChecks are the text checks of a page whose tables label their long
// numbers by column header.
func textChecks(text, pageURL string, published, now time.Time, set *rules.Set, headers map[string]string) []checks.Finding {
	out := checks.PersonalDataIn(text, pageURL, now, headers)
	out = append(out, checks.PunctuationMarks(text, pageURL)...)
	return append(out, checks.Wording(text, pageURL, published, set)...)
}

// boilerplateFindings checks each distinct header/navigation/footer text once,
// reported on the home page when it carries it, else on the shortest URL.
// The header and footer are the site's own, current text: judged as of now.
func (f *pageFacts) boilerplateFindings(now time.Time, set *rules.Set) []checks.Finding {
	var out []checks.Finding
	for text, page := range f.boilerplate {
		out = append(out, TextChecks(text, page.url, now, now, set)...)
	}
	return out
}

func (f *pageFacts) add(p *crawler.Page, now time.Time, set *rules.Set) {
	if _, err := url.Parse(p.URL); err != nil {
		return // no facts of a page named by an address that does not parse
	}
	pol, isPolicy := p.Doc.Policy, p.Doc.IsPolicy
	published := documentDate(p.Doc, pol, isPolicy, now)
	found := textChecks(p.Doc.Text, p.URL, published, now, set, p.Doc.HeaderLabels)
	for i := range found {
		if found[i].Category != checks.PrivacyLeak { // never the unmasked number
			found[i].Snapshot = checks.Passage(p.Doc.Text, found[i].Evidence, 120)
		}
	}
	about := pageAbout{column: cmp.Or(p.Doc.MetaValue("ColumnName"), lastOf(p.Doc.Breadcrumb))}
	if !published.IsZero() {
		about.published = published.Format("2006-01-02")
	}
	f.mu.Lock()
	if f.about == nil {
		f.about = map[string]pageAbout{}
	}
	f.about[p.URL] = about
	if len(p.Doc.Messages) > 0 {
		if name := channelOf(p.Doc, f.channels.words); name != "" {
			f.channels.add(name, p.URL, p.Doc.Messages)
		}
	}
	if f.read == nil {
		f.read = map[string]bool{}
	}
	f.read[p.Hash] = true
	f.text = append(f.text, found...)
	if bp := p.Doc.Boilerplate; bp != "" {
		if f.boilerplate == nil {
			f.boilerplate = map[string]bpPage{}
		}
		cand := bpPage{url: p.URL, home: p.IsHome}
		if cur, seen := f.boilerplate[bp]; seen && cand.better(cur) || !seen && len(f.boilerplate) < maxBoilerplates {
			f.boilerplate[bp] = cand
		}
	}
	f.mu.Unlock()
	article := p.Doc.IsArticle()
	f.policy(p, pol, isPolicy, article)
	f.mu.Lock()
	f.template.add(p.URL, p.Doc)
	f.mu.Unlock()
	if article && !p.IsHome || p.Doc.Continuation {
		// Articles are no columns (most pages of a site, kept out of
		// memory); a dataproxy answer only continues a list whose first
		// page dates the column.
		return
	}
	pf := checks.PageFacts{
		URL: p.URL, IsHome: p.IsHome, Title: p.Doc.Title, ColumnName: p.Doc.MetaValue("ColumnName"),
		ColumnType: p.Doc.MetaValue("ColumnType"),
		Crumb:      lastOf(p.Doc.Breadcrumb),
		IsArticle:  article,
		List:       p.Doc.List,
		TextLen:    utf8.RuneCountInString(p.Doc.Text),
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pages = append(f.pages, listPage{PageFacts: pf, blocks: p.Doc.Blocks, frames: normalized(p.Doc.Frames)})
	if p.IsHome {
		f.home = &pf
	}
}

// normalized are URLs as the crawl identifies pages (an iframe's
// /list/index.html is the page /list/).
func normalized(urls []string) []string {
	var out []string
	for _, raw := range urls {
		if u, err := url.Parse(raw); err == nil {
			out = append(out, crawler.Normalize(u))
		}
	}
	return out
}

func lastOf(parts []string) string {
	if len(parts) < 2 { // "首页" alone names no column
		return ""
	}
	return parts[len(parts)-1]
}

// documentDate is the date a page's wording is judged at: a policy
// document's own 成文日期 (else its 发布日期), else the page's publication date;
// zero when none is shown. d.Published was read by the parse against the
// crawl's clock, which Run sets to now.
func documentDate(d *extract.Doc, pol extract.Policy, isPolicy bool, now time.Time) time.Time {
	if isPolicy {
		for _, v := range []string{pol.Written, pol.Published} {
			if t, ok := extract.ParseDate(v, now, false); ok {
				return t
			}
		}
	}
	return d.Published
}

// policy keeps the page's disclosure metadata, when it is a policy
// document, and remembers interpretations (政策解读) with their links.
func (f *pageFacts) policy(p *crawler.Page, pol extract.Policy, isPolicy, article bool) {
	var doc *checks.PolicyDoc
	// An article in a 政策文件 or 规范性文件 column is a policy document even
	// when it shows no metadata at all (then every field is missing).
	col := p.Doc.MetaValue("ColumnName")
	if !isPolicy && article && (strings.Contains(col, "政策文件") || strings.Contains(col, "规范性文件")) {
		isPolicy = true
	}
	if isPolicy {
		title := cmp.Or(pol.Title, p.Doc.MetaValue("ArticleTitle"), strings.Split(p.Doc.Title, "_")[0])
		doc = &checks.PolicyDoc{URL: p.URL, Title: title, Column: col, Policy: pol}
		for _, l := range p.Doc.Links {
			if strings.Contains(l.Text, "解读") {
				doc.LinksToInterpretation = true
			}
		}
	}
	var in *checks.Interpretation
	if strings.Contains(p.Doc.Title, "解读") {
		in = &checks.Interpretation{URL: p.URL, Title: p.Doc.Title}
		for _, l := range p.Doc.Links {
			if u, err := url.Parse(l.URL); err == nil {
				in.Links = append(in.Links, crawler.Normalize(u))
			}
		}
	}
	if doc == nil && in == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if doc != nil {
		f.docs = append(f.docs, *doc)
	}
	if in != nil {
		f.interps = append(f.interps, *in)
	}
}

func documentRows(docs []checks.PolicyDoc) []store.DocumentRow {
	rows := make([]store.DocumentRow, len(docs))
	for i, d := range docs {
		rows[i] = store.DocumentRow{URL: d.URL, Title: d.Title, Index: d.Index, Issuer: d.Issuer, Written: d.Written,
			Published: d.Published, Number: d.Number, Validity: d.Validity, Type: d.Type}
	}
	return rows
}

// navAnchors maps each page linked from a site's navigation (the template)
// or from a "更多" link to the link's text: those pages are columns.
func navAnchors(res *crawler.Result) map[string]string {
	nav := map[string]string{}
	for e := range res.Edges.All() {
		t := res.Targets[e.To]
		if !t.Internal || e.To == res.Start {
			continue
		}
		more := strings.Contains(e.Anchor, "更多") || strings.EqualFold(strings.Trim(e.Anchor, " >»"), "more")
		if !e.Boilerplate && !more {
			continue
		}
		name := e.Anchor
		if more {
			name = "" // "更多" names nothing; the page's own name is used
		}
		if cur, seen := nav[t.URL]; !seen || cur == "" {
			nav[t.URL] = name
		}
	}
	return nav
}

// assignOwners gives each finding the unit that must fix it: the owner of
// the column (or configured URL prefix) holding its page, the longest match
// winning, else the site's owner.
func assignOwners(fs []checks.Finding, cols []checks.Column, overrides []checks.ColumnOverride, siteOwner string) {
	type prefix struct{ url, owner string }
	var ps []prefix
	for _, c := range cols {
		if c.Owner != "" {
			ps = append(ps, prefix{c.URL, c.Owner})
		}
	}
	for _, o := range overrides {
		if o.Owner != "" && o.URL != "" {
			ps = append(ps, prefix{o.URL, o.Owner})
		}
	}
	for i := range fs {
		best := -1
		for j, p := range ps {
			if strings.HasPrefix(fs[i].URL, p.url) && (best < 0 || len(p.url) > len(ps[best].url)) {
				best = j
			}
		}
		fs[i].Owner = siteOwner
		if best >= 0 {
			fs[i].Owner = ps[best].owner
		}
	}
}

func columnRows(cols []checks.Column) []store.ColumnRow {
	rows := make([]store.ColumnRow, len(cols))
	for i, c := range cols {
		rows[i] = store.ColumnRow{URL: c.URL, Name: c.Name, Class: c.Class, Label: c.Label, Owner: c.Owner, Days: c.Days,
			Items: c.Items, Undated: c.Undated, Newest: c.Newest, Empty: c.Empty}
	}
	return rows
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

// note says in Chinese what staff must know about a scan: why it closed
// nothing, what it skipped. Stored with the scan; shown in the UI, the CLI
// and the staff summary.
func note(res *crawler.Result) string {
	var parts []string
	if res.Interrupted {
		parts = append(parts, "扫描被中断，未复查关闭任何问题")
	}
	if res.Stats.PagesCapped > 0 {
		parts = append(parts, fmt.Sprintf("达到页面上限，%d 个页面未抓取，未复查关闭任何问题", res.Stats.PagesCapped))
	}
	if st := res.Targets[res.Start].Status; st.Problem != crawler.NoProblem {
		parts = append(parts, fmt.Sprintf("首页未能抓取（%s），未复查关闭任何问题", checks.Cause(st, 0)))
	}
	if res.Stats.TrapSkipped > 0 {
		parts = append(parts, fmt.Sprintf("疑似无限链接（爬虫陷阱），跳过 %s 下的 %d 个地址", strings.Join(res.Stats.TrapPaths, "、"), res.Stats.TrapSkipped))
	}
	parts = append(parts, res.Stats.Notes...)
	return strings.Join(parts, "；")
}

func pageRows(res *crawler.Result, about map[string]pageAbout) []store.PageRow {
	rows := make([]store.PageRow, len(res.Pages))
	for i, p := range res.Pages {
		a := about[p.URL]
		rows[i] = store.PageRow{URL: p.URL, ContentType: p.ContentType, Encoding: p.Encoding, Hash: p.Hash,
			ETag: p.ETag, LastModified: p.LastModified, Title: p.Title, Status: p.Status, Depth: p.Depth,
			Published: a.published, Column: a.column, Unchanged: p.Unchanged}
	}
	return rows
}

func linkRows(res *crawler.Result) []store.LinkRow {
	refs := make([]int, len(res.Targets))
	for e := range res.Edges.All() {
		refs[e.To]++
	}
	rows := make([]store.LinkRow, 0, len(res.Targets))
	for i, t := range res.Targets {
		if t.Carried {
			continue // not checked tonight: its row stands, with its date
		}
		rows = append(rows, store.LinkRow{URL: t.URL, Kind: t.Kind.String(), Internal: t.Internal, Status: t.Status.Status,
			Problem: string(t.Status.Problem), Detail: t.Status.Detail, Referrers: refs[i]})
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
