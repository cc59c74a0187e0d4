package scan

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/crawltest"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/store"
)

// The fixture worlds of crawler/crawltest are district sites built the way
// TRS WCM, 大汉 JCMS and older table-layout CMSs publish them. Each is scanned
// as xunjian scans a site at night, and judged by its EXPECT.tsv (every
// planted defect found) and TRAPS.tsv (nothing reported on correct pages).
// The test logs per-world figures: recall over EXPECT, trap violations.

var worldNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

type worldScan struct {
	w       *crawltest.World
	rep     Report
	issues  []store.Issue
	missed  []string
	tripped []string
}

func scanWorld(t *testing.T, name string) *worldScan {
	t.Helper()
	w := crawltest.Serve(t, name)
	set, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	opts := Options{
		Crawl: crawler.Options{Concurrency: 4, Timeout: 2 * time.Second, CheckExternal: true, Dial: crawler.LoopbackOnly,
			RecheckAfter: time.Millisecond},
		Rules: set, ReadAttachments: true, Now: func() time.Time { return worldNow },
	}
	rep, err := Run(context.Background(), st, Site{Name: name, URL: w.WWW + "/"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	issues, err := st.Issues(context.Background(), store.Filter{Statuses: store.Unresolved})
	if err != nil {
		t.Fatal(err)
	}
	return &worldScan{w: w, rep: rep, issues: issues}
}

// path is a URL's path and query on its site.
func path(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// samePage compares two paths of the site as the crawl identifies pages.
func (ws *worldScan) samePage(a, b string) bool {
	key := func(p string) string {
		u, err := url.Parse(ws.w.WWW + p)
		if err != nil {
			return p
		}
		return crawler.Normalize(u)
	}
	return key(a) == key(b)
}

// matches reports whether an issue is the finding of a line.
func (ws *worldScan) matches(is store.Issue, l crawltest.Line) bool {
	if string(is.Category) != l.Category {
		return false
	}
	onPage := ws.samePage(path(is.URL), l.Page) || slices.ContainsFunc(is.Refs, func(r checks.Ref) bool { return ws.samePage(path(r.Page), l.Page) })
	if !onPage {
		return false
	}
	return evidenceMatches(is, ws.w.Expand(l.Evidence))
}

// evidenceMatches compares an issue's evidence with a line's: a URL as the
// crawl names it, personal data masked as the finding shows it, a column
// as its name and date, else a piece of the text.
func evidenceMatches(is store.Issue, want string) bool {
	switch {
	case is.Category == "dead_link" && (strings.HasPrefix(want, "http://") || strings.HasPrefix(want, "https://")):
		if u, err := url.Parse(want); err == nil && is.Evidence == crawler.Normalize(u) {
			return true
		}
		return is.Evidence == want
	case is.Category == "privacy_leak" && len(want) == 18:
		return strings.Contains(is.Evidence, want[:6]+"********"+want[14:])
	case is.Category == "privacy_leak" && len(want) == 11:
		return strings.Contains(is.Evidence, want[:3]+"****"+want[7:])
	case is.Category == "stale_column" || is.Category == "empty_column" || is.Category == "homepage_stale":
		for _, f := range strings.Fields(want) {
			if !strings.Contains(is.Evidence, f) {
				return false
			}
		}
		return true
	}
	return strings.Contains(is.Evidence, want) || strings.Contains(is.Message, want)
}

func (ws *worldScan) judge(t *testing.T) {
	t.Helper()
	expect, err := crawltest.Expect(ws.w.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range expect {
		if !slices.ContainsFunc(ws.issues, func(is store.Issue) bool { return ws.matches(is, l) }) {
			ws.missed = append(ws.missed, fmt.Sprintf("%s %s %s (%s)", l.Category, l.Page, l.Evidence, l.Note))
		}
	}
	traps, err := crawltest.Traps(ws.w.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range traps {
		if why := ws.trap(l); why != "" {
			ws.tripped = append(ws.tripped, fmt.Sprintf("%s %s %s: %s (%s)", l.Category, l.Page, l.Evidence, why, l.Note))
		}
	}
}

// trap says how a correct thing drew a report; "" when it did not.
func (ws *worldScan) trap(l crawltest.Line) string {
	switch l.Category {
	case "crawl":
		if ws.w.Hits(l.Evidence) == 0 {
			return "never fetched"
		}
	case "duplicate":
		for _, is := range ws.issues {
			if ws.samePage(path(is.URL), l.Page) && !ws.samePage(l.Page, l.Evidence) {
				return "an issue under the alias URL: " + string(is.Category) + " " + is.Evidence
			}
		}
	case "column":
		named := 0
		for _, c := range ws.rep.Columns {
			if c.Name == l.Evidence {
				named++
			}
			if ws.samePage(path(c.URL), l.Page) && c.Name != l.Evidence {
				return "a column of its own: " + c.Name
			}
		}
		if named > 1 {
			return fmt.Sprintf("%d columns named %s", named, l.Evidence)
		}
		for _, is := range ws.issues {
			if (is.Category == "empty_column" || is.Category == "stale_column") && strings.Contains(is.Evidence, "“"+l.Evidence+"”") {
				return "the column is reported: " + is.Evidence
			}
		}
	case "list_item":
		for _, c := range ws.rep.Columns {
			if ws.samePage(path(c.URL), l.Page) && c.Undated > 0 {
				return fmt.Sprintf("column %s counts %d undated items", c.Name, c.Undated)
			}
		}
	default:
		for _, is := range ws.issues {
			if ws.matches(is, l) {
				return "reported: " + is.Evidence + " — " + is.Message
			}
		}
	}
	return ""
}

func TestWorlds(t *testing.T) {
	for _, name := range crawltest.Worlds() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ws := scanWorld(t, name)
			ws.judge(t)
			expect, _ := crawltest.Expect(name)
			traps, _ := crawltest.Traps(name)
			t.Logf("%s: %d pages, %s; planted found %d/%d, traps kept %d/%d, issues %d",
				name, ws.rep.Stats.Pages, ws.rep.Status, len(expect)-len(ws.missed), len(expect), len(traps)-len(ws.tripped), len(traps), len(ws.issues))
			for _, m := range ws.missed {
				t.Errorf("missed: %s", m)
			}
			for _, m := range ws.tripped {
				t.Errorf("trap: %s", m)
			}
			// Per category: recall over EXPECT, precision over what was
			// reported (an issue matching no EXPECT line is a false alarm).
			for _, cat := range []string{"dead_link", "empty_column", "stale_column", "typo", "serious_error", "obsolete_name", "privacy_leak", "punctuation", "policy_metadata"} {
				want, found, reported, right := 0, 0, 0, 0
				for _, l := range expect {
					if l.Category != cat {
						continue
					}
					want++
					if slices.ContainsFunc(ws.issues, func(is store.Issue) bool { return ws.matches(is, l) }) {
						found++
					}
				}
				for _, is := range ws.issues {
					if string(is.Category) != cat {
						continue
					}
					reported++
					if slices.ContainsFunc(expect, func(l crawltest.Line) bool { return ws.matches(is, l) }) {
						right++
					}
				}
				if want+reported > 0 {
					t.Logf("%s %s: found %d/%d, reported %d of which right %d", name, cat, found, want, reported, right)
				}
				if reported > 0 && float64(right) < 0.95*float64(reported) {
					t.Errorf("%s %s: precision %d/%d below 0.95", name, cat, right, reported)
				}
			}
			if t.Failed() {
				for _, is := range ws.issues {
					t.Logf("issue: %s %s %s %q", is.Category, path(is.URL), is.Rule, is.Evidence)
				}
				for _, c := range ws.rep.Columns {
					t.Logf("column: %s %s items %d undated %d newest %s empty %v", path(c.URL), c.Name, c.Items, c.Undated, c.Newest.Format("2006-01-02"), c.Empty)
				}
			}
		})
	}
}
