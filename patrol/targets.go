package patrol

import (
	"context"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/scan"
	"github.com/xunjian/xunjian/store"
)

// Sync saves the sites and accounts the configuration declares into the
// store, marked as declared there, once at start: from then on every
// patrol reads its targets from the store only. A target the configuration
// no longer declares is paused (its issues stay).
func Sync(ctx context.Context, st *store.Store, cfg config.Config, now time.Time) error {
	var ts []store.Target
	for i, s := range cfg.Sites {
		t := siteTarget(s)
		t.Settings.Portal = i == 0 // the assessment leads with the first site declared
		ts = append(ts, t)
	}
	for _, a := range cfg.Accounts {
		t := accountOf(a).Target()
		t.Enabled = a.Enabled == nil || *a.Enabled
		t.Tenant = a.Tenant
		ts = append(ts, t)
	}
	dropped, err := st.SyncConfigured(ctx, ts, now)
	for _, name := range dropped {
		slog.Warn("a target no longer in the configuration is paused", "target", name, "config", cfg.Path)
	}
	return err
}

// siteTarget is the stored form of a configured site; column corrections
// given as paths are resolved against the site's URL and normalised like
// the crawler's URLs.
func siteTarget(s config.Site) store.Target {
	t := store.Target{Name: s.Name, Kind: "site", URL: s.URL, Owner: s.Owner, Email: s.Email, Enabled: true, Tenant: s.Tenant,
		Settings: store.TargetSettings{AllowedHosts: s.AllowedHosts, Chrome: s.Chrome}}
	base, _ := url.Parse(s.URL)
	for _, o := range s.Columns {
		u := o.URL
		if u != "" && base != nil {
			if ru, err := base.Parse(u); err == nil {
				u = crawler.Normalize(ru)
			}
		}
		t.Settings.Columns = append(t.Settings.Columns, checks.ColumnOverride{URL: u, Name: o.Name, Class: o.Class, Owner: o.Owner})
	}
	return t
}

// siteOf is a stored site as a scan takes it.
func siteOf(t store.Target) scan.Site {
	return scan.Site{TargetID: t.ID, Name: t.Name, URL: t.URL, AllowedHosts: t.Settings.AllowedHosts, Owner: t.Owner, Email: t.Email,
		Columns: t.Settings.Columns, Chrome: t.Settings.Chrome}
}

// accountOf maps a configured account onto a scan target.
func accountOf(a config.Account) scan.Account {
	out := scan.Account{Name: a.Name, Platform: a.Platform, ID: a.ID, Owner: a.Owner, Contact: a.Contact, Email: a.Email}
	switch {
	case a.Feed != "":
		out.Source = crawler.Source{Kind: crawler.SourceFeed, URL: a.Feed}
	case len(a.URLs) > 0:
		out.Source = crawler.Source{Kind: crawler.SourceWeChat, URLs: a.URLs}
	case a.WeiboUID != "":
		out.Source = crawler.Source{Kind: crawler.SourceWeibo, UID: a.WeiboUID, URL: a.WeiboAPI, Cookie: a.Cookie}
	default:
		out.Source = crawler.Source{Kind: crawler.SourceHTML, URL: a.Page}
	}
	return out
}

// targets are the stored sites and accounts to patrol: the ones named
// (none: all), without the paused ones unless paused is set.
func (p *Patrol) targets(ctx context.Context, names []string, paused bool) ([]scan.Site, []scan.Account, error) {
	stored, err := p.st.Targets(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	var sites []scan.Site
	var accts []scan.Account
	for _, t := range stored {
		if (len(names) > 0 && !slices.Contains(names, t.Name)) || (!t.Enabled && !paused) {
			continue
		}
		switch {
		case t.Kind == "site":
			sites = append(sites, siteOf(t))
		case t.SourceKind != "":
			a := AccountOf(t)
			a.Source.Cookie = p.set.Cookies[t.Name] // a secret: from the configuration, never the database
			accts = append(accts, a)
		}
	}
	return sites, accts, nil
}

// Host is the enabled targets one host serves: the sites whose address is
// on it and the accounts whose source is. A job queue hands each host to
// one worker at a time, so the crawl delay holds across machines.
type Host struct {
	Host            string
	Sites, Accounts []string
}

// Hosts groups the enabled targets by host, in host order; a site or
// account whose address does not parse goes under its own name.
func (p *Patrol) Hosts(ctx context.Context) ([]Host, error) {
	sites, accts, err := p.targets(ctx, nil, false)
	if err != nil {
		return nil, err
	}
	by := map[string]*Host{}
	at := func(addr, name string) *Host {
		h := name
		if u, err := url.Parse(addr); err == nil && u.Host != "" {
			h = strings.ToLower(u.Host)
		}
		if by[h] == nil {
			by[h] = &Host{Host: h}
		}
		return by[h]
	}
	for _, s := range sites {
		g := at(s.URL, s.Name)
		g.Sites = append(g.Sites, s.Name)
	}
	for _, a := range accts {
		addr := a.Source.URL
		if addr == "" && len(a.Source.URLs) > 0 {
			addr = a.Source.URLs[0]
		}
		g := at(addr, a.Name)
		g.Accounts = append(g.Accounts, a.Name)
	}
	out := make([]Host, 0, len(by))
	for _, g := range by {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(x, y Host) int { return strings.Compare(x.Host, y.Host) })
	return out, nil
}
