package patrol

import (
	"context"
	"testing"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/store/storetest"
)

// Importing the register (UI or CLI) leaves an account the configuration
// declares as the file says.
func TestRegister_DoesNotRewriteConfiguredAccounts(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	cfg := config.Default()
	cfg.Accounts = []config.Account{{Name: "青溪发布", Platform: "微信公众号", Feed: "http://feeds.qxq.gov.cn/fb.xml", Owner: "区委宣传部"}}
	if err := Sync(ctx, st, cfg, time.Now()); err != nil {
		t.Fatal(err)
	}
	csv := "账号名称,平台,主办单位,订阅地址\n青溪发布,微信公众号,某外包公司,http://old-vendor.example/rss\n"
	ts, bad, err := Register{}.ReadRegister("register.csv", []byte(csv))
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	for _, tg := range ts {
		if _, err := st.ImportTarget(ctx, tg, time.Now()); err != nil { // what web.targetImport and `accounts import` do
			t.Fatal(err)
		}
	}
	got, _ := st.Targets(ctx, "account")
	if got[0].Source != "http://feeds.qxq.gov.cn/fb.xml" || got[0].Owner != "区委宣传部" {
		t.Errorf("managed=%v account now reads %q, owner %q: the register overwrote the configuration", got[0].Managed, got[0].Source, got[0].Owner)
	}
}

// A target the configuration disabled and then enables again resumes.
func TestSync_EnabledAgainResumes(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	off, on := false, true
	cfg := config.Default()
	cfg.Accounts = []config.Account{{Name: "青溪发布", Platform: "微信公众号", Feed: "http://feeds.qxq.gov.cn/fb.xml", Enabled: &off}}
	Sync(ctx, st, cfg, time.Now())
	cfg.Accounts[0].Enabled = &on
	Sync(ctx, st, cfg, time.Now())
	got, _ := st.Targets(ctx, "account")
	if !got[0].Enabled {
		t.Errorf("enabled: true in the configuration, but the account stays paused")
	}
}
