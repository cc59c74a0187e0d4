package patrol

import (
	"testing"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/crawler"
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
