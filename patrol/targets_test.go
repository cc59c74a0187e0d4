package patrol

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

// The configuration is synced into the store once; every patrol reads its
// targets from the store only: a site added in the UI is scanned with the
// configured ones, a paused one is not (unless named), and a site dropped
// from the configuration is paused rather than scanned or forgotten.
func TestTargetsFromTheStoreOnly(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Host+r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<html><head><title>首页</title></head><body><p>青溪区人民政府</p></body></html>`)
	}))
	defer srv.Close()
	ctx := context.Background()
	st := storetest.Open(t)
	cfg := config.Default()
	cfg.Crawl.Delay, cfg.Crawl.Retries = 0, 0
	cfg.Sites = []config.Site{
		{Name: "配置网站", URL: srv.URL + "/a/", AllowedHosts: []string{"cdn.example"}, Chrome: []string{"div.nav"},
			Columns: []config.ColumnOverride{{URL: "/a/tzgg/", Class: "exempt"}}},
		{Name: "将删除", URL: srv.URL + "/gone/"},
	}
	enabled := false
	cfg.Accounts = []config.Account{
		{Name: "青溪公安", Platform: "微博", WeiboUID: "100", WeiboAPI: "http://weibo.local", Cookie: "SUB=secret"},
		{Name: "停用账号", Platform: "微信公众号", Feed: "http://feeds.local/x.xml", Enabled: &enabled},
	}
	if err := Sync(ctx, st, cfg, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SyncTarget(ctx, store.Target{Name: "界面添加", URL: srv.URL + "/ui/", Enabled: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	ts, _ := st.Targets(ctx, "")
	byName := map[string]store.Target{}
	for _, tg := range ts {
		byName[tg.Name] = tg
	}
	site := byName["配置网站"]
	if !site.Managed || len(site.Settings.AllowedHosts) != 1 || site.Settings.Chrome[0] != "div.nav" ||
		site.Settings.Columns[0].URL != srv.URL+"/a/tzgg/" || site.Settings.Columns[0].Class != "exempt" {
		t.Errorf("configured site %+v", site)
	}
	if a := AccountOf(byName["青溪公安"]); a.Source.URL != "http://weibo.local" || a.Source.Cookie != "" || a.Source.UID != "100" {
		t.Errorf("weibo account read back %+v (the cookie must not be stored)", a.Source)
	}
	_, accts, _ := New(ctx, st, SettingsOf(cfg), cfg.Location, io.Discard).targets(ctx, []string{"青溪公安"}, false)
	if len(accts) != 1 || accts[0].Source.Cookie != "SUB=secret" {
		t.Errorf("the patrol's weibo account %+v: the cookie comes from the configuration", accts)
	}
	if !site.Settings.Portal {
		t.Error("the first configured site is not the portal")
	}
	if byName["停用账号"].Enabled || byName["界面添加"].Managed {
		t.Errorf("disabled account %+v, UI site %+v", byName["停用账号"], byName["界面添加"])
	}

	// The configuration drops a site: it is paused and no longer managed.
	cfg.Sites = cfg.Sites[:1]
	if err := Sync(ctx, st, cfg, time.Now()); err != nil {
		t.Fatal(err)
	}
	ts, _ = st.Targets(ctx, "site")
	for _, tg := range ts {
		if tg.Name == "将删除" && (tg.Enabled || tg.Managed) {
			t.Errorf("dropped site %+v, want paused and unmanaged", tg)
		}
	}

	p := New(ctx, st, SettingsOf(cfg), cfg.Location, io.Discard)
	if err := p.Run(ctx, Request{Kind: "site"}); err != nil {
		t.Fatal(err)
	}
	// The scorecards are recomputed after the patrol and kept for the day.
	if rows, err := st.LatestScores(ctx, time.Now().In(cfg.Location).Format(time.DateOnly)); err != nil || len(rows) < 2 {
		t.Errorf("scores after a patrol: %d %v", len(rows), err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if seen[host+"/a/"] == 0 || seen[host+"/ui/"] == 0 || seen[host+"/gone/"] != 0 {
		t.Errorf("requests %v: want the configured and the UI's site, not the dropped one", seen)
	}
	// Named, a paused site is scanned (the operator asked for it).
	if err := p.Run(ctx, Request{Target: "将删除", Paused: true}); err != nil || seen[host+"/gone/"] == 0 {
		t.Errorf("a paused site named: %v, requests %v", err, seen)
	}
	if err := p.Run(ctx, Request{Target: "没有这个"}); err == nil || !strings.Contains(err.Error(), "no such target") {
		t.Errorf("an unknown target: %v", err)
	}
}

// A job queue hands out a patrol per host: the sites of a site group on
// one host go together (one crawler at a time there), an account goes with
// the host its source is on, a paused target with none.
func TestHosts(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	cfg := config.Default()
	cfg.Sites = []config.Site{
		{Name: "区政府", URL: "http://www.qx.gov.cn/"},
		{Name: "区教育局", URL: "http://WWW.qx.gov.cn/jyj/"},
		{Name: "区卫健委", URL: "http://wjw.qx.gov.cn/"},
	}
	no := false
	cfg.Accounts = []config.Account{
		{Name: "青溪发布", Platform: "网站", Feed: "http://www.qx.gov.cn/rss.xml"},
		{Name: "已停用", Platform: "网站", Feed: "http://old.qx.gov.cn/rss.xml", Enabled: &no},
	}
	if err := Sync(ctx, st, cfg, time.Now()); err != nil {
		t.Fatal(err)
	}
	hosts, err := New(ctx, st, SettingsOf(cfg), cfg.Location, io.Discard).Hosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(hosts)
	want := "[{wjw.qx.gov.cn [区卫健委] []} {www.qx.gov.cn [区政府 区教育局] [青溪发布]}]"
	if got != want {
		t.Errorf("hosts\n got %s\nwant %s", got, want)
	}
}
