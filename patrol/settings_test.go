package patrol

import (
	"strings"
	"testing"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/store"
)

// The configuration's defaults are the store's.
func TestCollapseGuard_Defaults(t *testing.T) {
	if g := SettingsOf(config.Default()).Collapse; g != store.DefaultCollapseGuard {
		t.Errorf("config default %+v, store default %+v", g, store.DefaultCollapseGuard)
	}
}

// The configuration's crawl defaults are the crawler's: one value each,
// whichever layer a scan's options come from.
func TestCrawlDefaults(t *testing.T) {
	got, want := SettingsOf(config.Default()).Crawl, crawler.DefaultOptions()
	if got.Concurrency != want.Concurrency || got.Timeout != want.Timeout || got.MaxBodyBytes != want.MaxBodyBytes ||
		got.MaxPages != want.MaxPages || got.MaxQueryVariants != want.MaxQueryVariants {
		t.Errorf("configuration's crawl defaults %+v, the crawler's %+v", got, want)
	}
}

// A scorecard item the configuration names by an id that does not exist is
// refused at start, with the ids there are; points set by id are used.
func TestValidate_ScorecardItems(t *testing.T) {
	cfg := config.Default()
	five := 5.0
	cfg.Scorecard.Site = []config.ScoreItem{{ID: "typos", Points: &five}}
	if err := Validate(cfg); err != nil {
		t.Fatal(err)
	}
	for _, it := range SettingsOf(cfg).Score.Site {
		if it.ID == "typos" && it.Points != 5 {
			t.Errorf("typos: %v points, want 5", it.Points)
		}
	}
	cfg.Scorecard.Account = []config.ScoreItem{{ID: "typo", Points: &five}}
	if err := Validate(cfg); err == nil || !strings.Contains(err.Error(), `no account item "typo"`) || !strings.Contains(err.Error(), "typos") {
		t.Errorf("an unknown item: %v", err)
	}
}

// The rules loaded at start serve the first scan; later scans load afresh.
func TestPreloaded(t *testing.T) {
	first, loads := &rules.Set{}, 0
	load := Preloaded(first, func() (*rules.Set, error) { loads++; return &rules.Set{}, nil })
	if got, _ := load(); got != first || loads != 0 {
		t.Errorf("first call: %p (loads %d), want the preloaded set", got, loads)
	}
	if got, _ := load(); got == first || loads != 1 {
		t.Errorf("second call: %p (loads %d), want a fresh load", got, loads)
	}
}

// Nightly patrols follow crawl.nightly; enabled: false makes every
// scheduled scan a full crawl.
func TestNightlySettings(t *testing.T) {
	cfg, err := config.Parse([]byte("crawl:\n  nightly:\n    archive_days: 5\n    full_days: -1\n"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	n := SettingsOf(cfg).Nightly
	if n == nil || n.ArchiveDays != 5 || n.FullDays != -1 || n.RecentDays != 3 || n.LinkDays != 7 || n.Zone == nil {
		t.Errorf("nightly settings %+v", n)
	}
	cfg, err = config.Parse([]byte("crawl:\n  nightly:\n    enabled: false\n"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n := SettingsOf(cfg).Nightly; n != nil {
		t.Errorf("nightly turned off, got %+v", n)
	}
}
