package scan

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/extract"
	"github.com/xunjian/xunjian/store"
)

// Nightly is the refresh policy of nightly patrols. Between full crawls, a
// patrol visits what can have changed: the home page and the column lists
// (read in full: their dates are judged tonight), pages new or changed in
// the last RecentDays, pages with unresolved issues, dead links, and the
// rest of the site on a rotation that visits every page and link target at
// least every ArchiveDays (links known good: every LinkDays). Pages are
// asked with their validators; one that answers 304 Not Modified, or its
// old bytes, is not read again and its issues stand. New pages are found
// through the lists the night they appear. A page not visited is unknown
// to the patrol: its issues are neither seen again nor verified fixed.
type Nightly struct {
	ArchiveDays int // every page at least this often (default 7)
	RecentDays  int // pages new or changed within: every night (default 3)
	// FullDays: a full crawl when the last complete one started this long
	// ago or more (default 7; negative: only when asked for).
	FullDays int
	LinkDays int            // a link target checked good within this is not re-checked (default ArchiveDays)
	Zone     *time.Location // the office's clock: which night it is (default UTC)
}

// DefaultNightly is the policy a configuration without one patrols by.
func DefaultNightly() Nightly {
	return Nightly{ArchiveDays: 7, RecentDays: 3, FullDays: 7, LinkDays: 7}
}

func (n Nightly) withDefaults() Nightly {
	d := DefaultNightly()
	if n.ArchiveDays <= 0 {
		n.ArchiveDays = d.ArchiveDays
	}
	if n.RecentDays < 0 {
		n.RecentDays = 0
	}
	if n.FullDays == 0 {
		n.FullDays = d.FullDays
	}
	if n.LinkDays <= 0 {
		n.LinkDays = n.ArchiveDays
	}
	if n.Zone == nil {
		n.Zone = time.UTC
	}
	return n
}

// slack is how much earlier than a whole number of days a scan may start
// and still count as that many days later (tonight's patrol began at 02:05,
// last week's at 02:10).
const slack = 12 * time.Hour

// nightPlan is tonight's patrol: what the crawl knows and must visit.
type nightPlan struct {
	known map[string]crawler.Known
	seeds []crawler.Seed
	// dead are the dead link targets of unresolved issues: checked
	// every night.
	dead map[string]bool
	// homeLinks counts the site's pages the home page linked to at the
	// last complete scan (else the pages the crawls reached from it):
	// tonight's home page is held to it.
	homeLinks int
}

// planNight is tonight's plan, or nil when tonight's scan must be a full
// crawl: there is no complete full crawl yet, or the last is FullDays old.
func planNight(ctx context.Context, st *store.Store, targetID int64, start string, n Nightly, now time.Time, open []store.Issue) (*nightPlan, error) {
	n = n.withDefaults()
	fullID, fullAt, ok, err := st.LastFullScan(ctx, targetID)
	if err != nil || !ok {
		return nil, err
	}
	if n.FullDays > 0 && now.Sub(fullAt) >= days(n.FullDays)-slack {
		return nil, nil
	}
	home := start
	if u, err := url.Parse(start); err == nil {
		home = crawler.Normalize(u)
	}
	issuePages := map[string]bool{}
	p := &nightPlan{known: map[string]crawler.Known{}, dead: map[string]bool{}}
	for _, is := range open {
		issuePages[is.URL] = true
		if target := deadTarget(is); target != "" {
			p.dead[target] = true
		}
	}
	night := nightOf(now, n.Zone)
	err = st.Prior(ctx, targetID, fullID, func(pg store.PriorPage) {
		k := crawler.Known{Status: crawler.LinkStatus{Status: pg.Status}, Reread: pg.URL == home || pg.Depth == 0}
		k.Visit = k.Reread || issuePages[pg.URL] || due(pg.URL, pg.FetchedAt, n.ArchiveDays, night, now) ||
			!pg.ChangedAt.IsZero() && now.Sub(pg.ChangedAt) < days(n.RecentDays)
		if k.Visit {
			k.ETag, k.LastModified, k.Hash = pg.ETag, pg.LastModified, pg.Hash
			p.seeds = append(p.seeds, crawler.Seed{URL: pg.URL, Kind: extract.Page, Depth: pg.Depth})
		}
		p.known[pg.URL] = k
		if pg.Depth == 1 {
			p.homeLinks++
		}
	}, func(l store.PriorLink) {
		st := crawler.LinkStatus{Status: l.Status, Problem: crawler.Problem(l.Problem), Detail: l.Detail}
		k, page := p.known[l.URL]
		k.Status = st
		visit := st.Broken() || p.dead[l.URL] || issuePages[l.URL] || !page && due(l.URL, l.CheckedAt, n.LinkDays, night, now)
		if visit && !k.Visit {
			k.Visit = true
			kind := extract.ParseLinkKind(l.Kind)
			if !l.Internal && kind == extract.Page || page {
				kind = extract.Page
			}
			p.seeds = append(p.seeds, crawler.Seed{URL: l.URL, Kind: kind, Depth: 1})
		}
		p.known[l.URL] = k
	}, func(column string) {
		k, ok := p.known[column]
		if !ok {
			return
		}
		if !k.Visit {
			p.seeds = append(p.seeds, crawler.Seed{URL: column, Kind: extract.Page, Depth: 1})
		}
		k.Visit, k.Reread = true, true
		p.known[column] = k
	})
	if err != nil {
		return nil, err
	}
	if k, ok := p.known[home]; ok {
		k.Visit, k.Reread = true, true
		p.known[home] = k
	}
	if n, ok, err := st.LastHomeLinks(ctx, targetID); err != nil {
		return nil, err
	} else if ok {
		p.homeLinks = n
	}
	return p, nil
}

// lookup is what the plan knows of a URL; nothing without a plan.
func (p *nightPlan) lookup(u string) (crawler.Known, bool) {
	if p == nil {
		return crawler.Known{}, false
	}
	k, ok := p.known[u]
	return k, ok
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// nightOf numbers the office's calendar days.
func nightOf(t time.Time, zone *time.Location) int {
	y, m, d := t.In(zone).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// due reports whether a URL last visited at last is due tonight: on its
// night of the rotation (a fixed one of every `every`, by its address, so
// the archive is spread evenly over the nights), or when it has waited a
// whole round.
func due(u string, last time.Time, every, night int, now time.Time) bool {
	if every <= 1 || last.IsZero() || now.Sub(last) >= days(every)-slack {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(u))
	return int(h.Sum32()%uint32(every)) == night%every
}

// deadTarget is the link target an issue says is dead ("" when it is no
// such issue): its evidence.
func deadTarget(is store.Issue) string {
	if is.Category != checks.DeadLink || is.Rule == checks.RuleMalformedLink || is.Rule == checks.RuleUnreadAttachment || is.Rule == checks.RuleDeadPostLink {
		return ""
	}
	return is.Evidence
}

// nightScope is what a nightly patrol can say of each unresolved issue:
// judge it (its pages were all read tonight, or its dead link works again:
// verified fixed if not found), carry it (a page of it answered unchanged:
// still there), or leave it (not visited: unknown).
type nightScope struct {
	read      map[string]bool // pages read tonight
	attached  map[string]bool // attachments read tonight
	unchanged map[string]bool // pages that answered unchanged
	checked   map[string]bool // link targets checked tonight → broken
}

// scope is what tonight's crawl read, answered unchanged and checked.
func (p *nightPlan) scope(res *crawler.Result, facts *pageFacts) nightScope {
	s := nightScope{read: map[string]bool{}, unchanged: map[string]bool{}, checked: map[string]bool{}, attached: facts.attached}
	for u := range facts.about {
		s.read[u] = true
	}
	for _, pg := range res.Pages {
		if pg.Unchanged {
			s.unchanged[pg.URL] = true
		}
	}
	for _, t := range res.Targets {
		if !t.Carried && t.Status.Problem != crawler.Unfinished && t.Status.Problem != crawler.NotChecked {
			s.checked[t.URL] = t.Status.Broken()
		}
	}
	return s
}

// homeLinks counts the site's pages the home page links to.
func homeLinks(res *crawler.Result) int {
	seen := map[int32]bool{}
	for e := range res.Edges.All() {
		if t := res.Targets[e.To]; e.From == res.Start && t.Internal && t.Kind == extract.Page && e.To != res.Start {
			seen[e.To] = true
		}
	}
	return len(seen)
}

// issueKey is what a finding and an issue of the same problem share
// whatever page they are reported on.
type issueKey struct {
	category checks.Category
	rule     string
	evidence string
}

// apply settles tonight's findings with the unresolved issues open:
//
//   - a finding of a problem that an issue spanning several pages already
//     follows (a typo in a template block, one dead menu link) is reported
//     as that issue, its pages not read tonight kept;
//   - a page read tonight without the problem leaves the issue's pages;
//   - an issue is judged — verified fixed when not found — when all its
//     pages were read tonight, or its dead link works again; carried —
//     still there — when one of its pages answered unchanged; otherwise
//     left as it is: tonight did not look.
//
// It returns the issues judged and carried, and the new pages of the issues
// whose pages changed.
func (s nightScope) apply(fs []checks.Finding, open []store.Issue) (judge map[int64]bool, carry []int64, refs map[int64][]checks.Ref) {
	// The pages each problem was found on tonight.
	found := map[issueKey]map[string]bool{}
	for _, f := range fs {
		k := issueKey{f.Category, f.Rule, f.Evidence}
		if found[k] == nil {
			found[k] = map[string]bool{}
		}
		found[k][f.URL] = true
		for _, r := range f.Refs {
			found[k][r.Page] = true
		}
	}
	judge, refs = map[int64]bool{}, map[int64][]checks.Ref{}
	multi := map[issueKey][]int{} // issues of several pages, by problem
	for i, is := range open {
		if fullCrawlsOnly(is.Rule) {
			continue
		}
		if isAttachment(is.URL) {
			// About a file's own text: judged when the file was read
			// again; its linking pages say nothing of it.
			if s.attached[is.URL] {
				judge[is.ID] = true
			}
			continue
		}
		k := issueKey{is.Category, is.Rule, is.Evidence}
		pages := issueRefs(is)
		if len(is.Refs) > 0 {
			// The pages read tonight without the problem are no longer
			// the issue's.
			kept := slices.DeleteFunc(slices.Clone(is.Refs), func(r checks.Ref) bool { return s.read[r.Page] && !found[k][r.Page] })
			if len(kept) < len(is.Refs) {
				open[i].Refs, refs[is.ID] = kept, kept
				pages = issueRefs(open[i])
			}
			multi[k] = append(multi[k], i)
		}
		if target := deadTarget(is); target != "" {
			if broken, ok := s.checked[target]; ok && !broken {
				judge[is.ID] = true // the link works again, wherever it is
				continue
			}
		}
		all, any := true, false
		for _, p := range pages {
			all = all && s.read[p]
			any = any || s.unchanged[p]
		}
		switch {
		case all:
			judge[is.ID] = true
		case any:
			carry = append(carry, is.ID)
		}
	}
	for i, f := range fs {
		for _, j := range multi[issueKey{f.Category, f.Rule, f.Evidence}] {
			is := open[j]
			if is.URL != f.URL && !slices.Contains(issueRefs(is), f.URL) {
				continue
			}
			merged := slices.Clone(is.Refs)
			for _, r := range f.Refs {
				if !slices.ContainsFunc(merged, func(q checks.Ref) bool { return q.Page == r.Page }) {
					merged = append(merged, r)
				}
			}
			checks.SortRefs(merged)
			fs[i].URL, fs[i].Refs = is.URL, merged[:min(len(merged), store.MaxRefs)]
			delete(refs, is.ID) // the finding carries them
			break
		}
	}
	return judge, carry, refs
}

// fullCrawlsOnly are the rules whose verdict rests on more of the site
// than a patrol can say it saw: a 规范性文件's interpretation may be on a
// page not read tonight, a channel's waiting letter on a list page not due,
// a host's certificate is seen only when the host is contacted. Only full
// crawls judge them (and patrols do not count them as seen again); a patrol
// still opens what it finds.
func fullCrawlsOnly(rule string) bool {
	return rule == checks.RulePolicyNoInterp || rule == checks.RuleChannelQuiet || strings.HasPrefix(rule, "certificate.")
}

// isAttachment is an address of a file the checks read (.docx, .pdf …).
func isAttachment(u string) bool {
	pu, err := url.Parse(u)
	return err == nil && extract.KindOf(pu) == extract.Attachment
}

// issueRefs are the pages an issue is on: its references when it has them
// (an issue reported once for many pages), else its own page.
func issueRefs(is store.Issue) []string {
	if len(is.Refs) == 0 {
		return []string{is.URL}
	}
	pages := make([]string, 0, len(is.Refs))
	for _, r := range is.Refs {
		pages = append(pages, r.Page)
	}
	return pages
}

// nightNote says what a nightly patrol did, for the scan history.
func nightNote(res *crawler.Result, rep Report) string {
	return fmt.Sprintf("增量巡检：访问 %d 个页面（%d 个未变化），沿用 %d 个已知地址的上次结果；可复查问题 %d 个，未变化页面上的问题 %d 个",
		res.Stats.Pages, res.Stats.Unchanged, res.Stats.Carried, rep.Judged, rep.Carried)
}
