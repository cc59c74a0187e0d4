package patrol

import (
	"cmp"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/scan"
	"github.com/xunjian/xunjian/store"
)

// Settings are the configuration as the scans take it, mapped once: what
// is not configured keeps the national indicators' values.
type Settings struct {
	Crawl    crawler.Options
	Collapse store.CollapseGuard
	// Nightly is the refresh policy between full crawls; nil: every scan
	// is a full crawl.
	Nightly         *scan.Nightly
	ReadAttachments bool
	Columns         checks.ColumnRules
	Policy          checks.PolicyRules
	Availability    checks.AvailabilityRules
	Accounts        checks.AccountRules
	Interaction     checks.InteractionRules
	// Rules loads the wording rules before each patrol, so an allowlist
	// entry added in the UI counts from the next scan.
	Rules func() (*rules.Set, error)
	// Score are the scorecard's lines and items, recomputed after each
	// patrol; Notice the office's lines on its notice.
	Score  reports.ScoreRules
	Notice reports.NoticeOptions
	// Heartbeat is how often a running scan renews its hold on its target
	// (0: store.LeaseHeartbeat); a quarter of the configured lease.
	Heartbeat time.Duration
	// Cookies are the Weibo cookies of the configured accounts, by name:
	// secrets kept out of the database.
	Cookies map[string]string
}

// SettingsOf maps a configuration onto a patrol's settings.
func SettingsOf(cfg config.Config) Settings {
	c, ch := cfg.Crawl, cfg.Checks
	return Settings{
		Crawl: crawler.Options{
			UserAgent: c.UserAgent, Concurrency: c.Concurrency, Delay: c.Delay.D(), Timeout: c.Timeout.D(),
			Retries: c.Retries, MaxBodyBytes: c.MaxBodyBytes, MaxPages: c.MaxPages, MaxDepth: c.MaxDepth,
			MaxQueryVariants: c.MaxQueryVariants, CheckExternal: c.CheckExternalLinks(), RecheckAfter: c.RecheckAfter.D(),
		},
		Collapse:        store.CollapseGuard{Ratio: c.CollapseRatio, MinDrop: c.CollapseMinDrop},
		Nightly:         nightly(cfg),
		ReadAttachments: c.ReadAttachmentsOn(),
		Columns:         columnRules(ch),
		Policy:          policyRules(ch),
		Availability:    availabilityRules(ch),
		Accounts:        accountRules(ch),
		Interaction:     interactionRules(ch.Interaction),
		Rules:           func() (*rules.Set, error) { return LoadRules(cfg) },
		Score:           scoreRules(cfg),
		Cookies:         cookies(cfg.Accounts),
		Heartbeat:       cfg.Jobs.Lease.D() / 4,
		Notice: reports.NoticeOptions{Title: cfg.Report.Title, DocNumber: cfg.Report.DocNumber, Recipients: cfg.Report.Recipients,
			Issuer: cfg.Report.Issuer, Contact: cfg.Report.Contact, DeadlineDays: cfg.Report.DeadlineDays, Examples: cfg.Report.Examples},
	}
}

// nightly is the configuration's refresh policy, nil when turned off.
func nightly(cfg config.Config) *scan.Nightly {
	n := cfg.Crawl.Nightly
	if !n.On() {
		return nil
	}
	return &scan.Nightly{ArchiveDays: n.ArchiveDays, RecentDays: n.RecentDays, FullDays: n.FullDays, LinkDays: n.LinkDays, Zone: cfg.Location}
}

// Preloaded is a rules loader that returns set, the rules loaded (and
// checked) at start, on its first call, and loads them afresh after: a
// one-shot command reads its rule files once, a server still sees an
// allowlist entry added in the UI from its next scan.
func Preloaded(set *rules.Set, load func() (*rules.Set, error)) func() (*rules.Set, error) {
	var used atomic.Bool
	return func() (*rules.Set, error) {
		if used.CompareAndSwap(false, true) {
			return set, nil
		}
		return load()
	}
}

// Validate checks what the configuration says of the packages it
// configures: the scorecard's item ids.
func Validate(cfg config.Config) error {
	_, err := scoreRulesOf(cfg)
	if err != nil {
		return fmt.Errorf("config: %s: %w", cfg.Path, err)
	}
	return nil
}

// scoreRules maps the configuration onto the scorecard (an unknown item
// is Validate's to refuse).
func scoreRules(cfg config.Config) reports.ScoreRules {
	r, _ := scoreRulesOf(cfg)
	return r
}

func scoreRulesOf(cfg config.Config) (reports.ScoreRules, error) {
	r := reports.DefaultScoreRules()
	av := availabilityRules(cfg.Checks)
	r.ProbeVeto, r.ProbeWarn, r.MinProbes = av.VetoShare, av.WarnShare, av.MinProbes
	var errs []error
	for kind, items := range map[string][]config.ScoreItem{"site": cfg.Scorecard.Site, "account": cfg.Scorecard.Account} {
		for _, it := range items {
			if err := r.Override(kind, it.ID, it.Points, it.Each, it.Manual); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return r, errors.Join(errs...)
}

// LoadRules loads the rule set of the configuration: the operator's folder,
// the typo detector's threshold and the district's leaders.
func LoadRules(cfg config.Config) (*rules.Set, error) {
	set, err := rules.Load(cfg.RulesDir)
	if err != nil {
		return nil, err
	}
	if c := cfg.Checks.SuspectConfidence; c != nil {
		set.Suspect.Confidence = *c
	}
	// A leader's name one character off is a serious error, and so is a
	// title with the name a look-alike off (区委书记张建化 for 张建华) or a
	// title that is another leader's.
	if len(cfg.Leaders) > 0 {
		var ls []rules.Leader
		for _, l := range cfg.Leaders {
			ls = append(ls, rules.Leader{Name: l.Name, Titles: l.Titles})
		}
		set = set.WithLeaders(ls)
	}
	return set, nil
}

func columnRules(c config.Checks) checks.ColumnRules {
	r := checks.DefaultColumnRules()
	if c.HomepageDays > 0 {
		r.HomepageDays = c.HomepageDays
		r.HomepageWarn = min(r.HomepageWarn, c.HomepageDays)
	}
	if c.HomepageWarnDays > 0 {
		r.HomepageWarn = c.HomepageWarnDays
	}
	if c.WarnRatio > 0 {
		r.WarnRatio = c.WarnRatio
	}
	if len(c.ColumnClasses) > 0 {
		r.Classes = nil
		for _, cl := range c.ColumnClasses {
			r.Classes = append(r.Classes, checks.ColumnClass{Name: cl.Name, Label: cmp.Or(cl.Label, cl.Name), Days: cl.Days, Keywords: cl.Keywords})
		}
	}
	if len(c.ExemptKeywords) > 0 {
		r.ExemptKeywords = c.ExemptKeywords
	}
	return r
}

func policyRules(c config.Checks) checks.PolicyRules {
	r := checks.DefaultPolicyRules()
	if len(c.PolicyRequired) > 0 {
		r.Required = c.PolicyRequired
	}
	if len(c.InterpretationTypes) > 0 {
		r.InterpretationTypes = c.InterpretationTypes
	}
	return r
}

func availabilityRules(c config.Checks) checks.AvailabilityRules {
	r := checks.DefaultAvailabilityRules()
	r.MinProbes = cmp.Or(c.ProbeMinCount, r.MinProbes)
	r.WarnShare = cmp.Or(c.ProbeWarnShare, r.WarnShare)
	r.VetoShare = cmp.Or(c.ProbeVetoShare, r.VetoShare)
	return r
}

func accountRules(c config.Checks) checks.AccountRules {
	r := checks.DefaultAccountRules()
	r.Days = cmp.Or(c.AccountDays, r.Days)
	r.WarnDays = min(cmp.Or(c.AccountWarnDays, r.WarnDays), r.Days)
	return r
}

func interactionRules(c config.Interaction) checks.InteractionRules {
	r := checks.DefaultInteractionRules()
	r.LimitDays = cmp.Or(c.LimitDays, r.LimitDays)
	r.WarnDays = min(cmp.Or(c.WarnDays, r.WarnDays), r.LimitDays)
	r.QuietDays = cmp.Or(c.QuietDays, r.QuietDays)
	if len(c.Keywords) > 0 {
		r.Keywords = c.Keywords
	}
	return r
}

func cookies(accts []config.Account) map[string]string {
	out := map[string]string{}
	for _, a := range accts {
		if a.Cookie != "" {
			out[a.Name] = a.Cookie
		}
	}
	return out
}
