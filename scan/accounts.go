package scan

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/extract"
	"github.com/xunjian/xunjian/store"
)

// Account is a registered government new-media account.
type Account struct {
	TargetID              int64 // the store's id, as Site.TargetID
	Name, Platform, ID    string
	Owner, Contact, Email string
	Source                crawler.Source
}

// URL is the account's address for issues: its feed, list or first article.
func (a Account) URL() string {
	switch {
	case a.Source.Kind == crawler.SourceWeibo:
		return "https://m.weibo.cn/u/" + a.Source.UID
	case a.Source.URL != "":
		return a.Source.URL
	case len(a.Source.URLs) > 0:
		return a.Source.URLs[0]
	}
	return "account:" + a.Name
}

// Target is the stored form of an account.
func (a Account) Target() store.Target {
	source := a.Source.URL
	var settings store.TargetSettings
	switch a.Source.Kind {
	case crawler.SourceWeibo:
		source = a.Source.UID
		settings = store.TargetSettings{API: a.Source.URL, Cookie: a.Source.Cookie}
	case crawler.SourceWeChat:
		source = strings.Join(a.Source.URLs, "\n")
	}
	return store.Target{Name: a.Name, Kind: "account", URL: a.URL(), Owner: a.Owner, Email: a.Email,
		Platform: a.Platform, AccountID: a.ID, SourceKind: a.Source.Kind, Source: source, Contact: a.Contact, Settings: settings}
}

// AccountReport is what one account's check found.
type AccountReport struct {
	Account string
	Stats   checks.AccountStats
	Err     error // the source could not be read
	Summary store.Summary
}

// judgedAccount are the rules an account check decides when its source was
// read.
var judgedAccount = []string{"stale_account.", "account_unreachable.", "dead_link.post", "dark_link.commercial",
	"privacy_leak.", "punctuation."}

// RunAccounts checks every account: reads its posts through one polite
// client (per-platform limits hold across accounts), judges freshness, runs
// the text checks and checks the posts' links. One account's failure never
// stops the others: it is an account_unreachable finding. An account
// another scan holds is skipped; the refusals (each a *store.ScanningError)
// are returned joined, after the others were checked.
func RunAccounts(ctx context.Context, st *store.Store, accts []Account, opts Options, r checks.AccountRules) ([]AccountReport, error) {
	now := opts.clock()
	c := crawler.New(opts.Crawl)
	var reps []AccountReport
	var refused []error
	for _, a := range accts {
		if ctx.Err() != nil {
			break
		}
		rep, err := runAccount(ctx, st, c, a, opts, r, now)
		if errors.Is(err, store.ErrScanning) {
			refused = append(refused, err)
			continue
		}
		if err != nil {
			return reps, err
		}
		reps = append(reps, rep)
	}
	return reps, errors.Join(refused...)
}

func runAccount(ctx context.Context, st *store.Store, c *crawler.Crawler, a Account, opts Options, r checks.AccountRules, now func() time.Time) (AccountReport, error) {
	rep := AccountReport{Account: a.Name}
	id, scanID, err := begin(ctx, st, a.TargetID, a.Target(), store.KindCrawl, now)
	if err != nil {
		return rep, fmt.Errorf("scan %s: %w", a.Name, err)
	}
	ctx, release := hold(ctx, st, scanID, opts)
	defer release()
	if opts.Started != nil {
		opts.Started()
	}
	at := now()
	posts, readErr := c.Posts(ctx, a.Source, at)
	save := context.WithoutCancel(ctx)
	var fs []checks.Finding
	status := store.ScanComplete
	judge := judgedAccount
	if opts.Rules != nil {
		judge = append(append([]string(nil), judgedAccount...), judgedWording...)
	}
	switch {
	case ctx.Err() != nil:
		status = store.ScanInterrupted
	case readErr != nil:
		// Nothing was read: the scan is no complete one (the UI must not
		// show 完整扫描), and it closes nothing.
		status = store.ScanPartial
		rep.Err = readErr
		fs = append(fs, checks.SourceUnreadable(a.Name, a.URL(), readErr, opts.Crawl.Timeout))
		judge = []string{"account_unreachable.source"} // nothing else can be judged
	default:
		var fresh []checks.Finding
		fresh, rep.Stats = checks.AccountFreshness(a.Name, a.URL(), posts, at, r)
		fs = append(fs, fresh...)
		if slices.ContainsFunc(fresh, func(f checks.Finding) bool { return f.Rule == checks.RuleAccountDateUnreadable }) {
			// Freshness could not be judged: a silence found before stays open.
			judge = slices.DeleteFunc(slices.Clone(judge), func(p string) bool { return p == "stale_account." })
		}
		fs = append(fs, checks.DeletedPosts(posts)...)
		for _, p := range posts {
			if p.Problem != "" {
				continue
			}
			where := p.Link
			if where == "" {
				where = a.URL()
			}
			fs = append(fs, TextChecks(p.Title+"\n"+p.Text, where, p.Published, at, opts.Rules)...)
			links := postLinks(p)
			commercial := checks.CommercialLinks(where, links)
			fs = append(fs, commercial...)
			for _, l := range links {
				if slices.ContainsFunc(commercial, func(f checks.Finding) bool { return f.Evidence == l }) {
					continue // flagged for review; whether the shop is up does not matter
				}
				if ls := c.CheckURL(ctx, l); ls.Broken() {
					evidence := l // as a site scan names the target: one issue for both
					if u, err := url.Parse(l); err == nil {
						evidence = crawler.Normalize(u)
					}
					fs = append(fs, checks.Finding{Category: checks.DeadLink, Severity: checks.Medium, URL: where, Evidence: evidence,
						Rule: checks.RuleDeadPostLink, Suspected: ls.Suspected,
						Message: "发布内容中的链接无法访问：" + checks.Cause(ls, opts.Crawl.Timeout)})
				}
			}
		}
	}
	for i := range fs {
		fs[i].Owner = a.Owner
	}
	note := ""
	if readErr == nil {
		note = fmt.Sprintf("读取 %d 条，近期 %d 条，最长间隔 %d 天", rep.Stats.Posts, rep.Stats.InPeriod, int(rep.Stats.LongestGap.Hours()/24))
		if !rep.Stats.Newest.IsZero() {
			note += "，最近发布 " + rep.Stats.Newest.In(at.Location()).Format("2006-01-02")
		}
	} else {
		note = "账号内容无法读取：" + checks.ReadCause(readErr, opts.Crawl.Timeout)
	}
	rep.Summary, err = st.FinishScan(save, scanID, id, store.ScanResult{Status: status, Pages: len(posts), Note: note, Findings: fs, Judged: judge}, now())
	if err != nil {
		return rep, failed(save, st, scanID, a.Name, err, now)
	}
	return rep, nil
}

// postLinks are the web links in a post's markup.
func postLinks(p crawler.Post) []string {
	if p.HTML == "" || !strings.Contains(p.HTML, "href") {
		return nil
	}
	base, _ := url.Parse(p.Link)
	if base == nil || base.Host == "" {
		base = &url.URL{Scheme: "https", Host: "invalid.local"}
	}
	var out []string
	seen := map[string]bool{}
	for _, l := range extract.Parse([]byte(p.HTML), base).Links {
		if l.Kind != extract.Resource && !seen[l.URL] && !strings.Contains(l.URL, "invalid.local") {
			seen[l.URL] = true
			out = append(out, l.URL)
		}
	}
	return out
}
