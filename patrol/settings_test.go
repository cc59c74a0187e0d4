package patrol

import (
	"testing"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/store"
)

// The configuration's defaults are the store's.
func TestCollapseGuard_Defaults(t *testing.T) {
	if g := SettingsOf(config.Default()).Collapse; g != store.DefaultCollapseGuard {
		t.Errorf("config default %+v, store default %+v", g, store.DefaultCollapseGuard)
	}
}
