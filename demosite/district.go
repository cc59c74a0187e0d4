package demosite

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/store"
)

// Config is the sample district's configuration: its site at siteURL and
// six new-media accounts on the stand-in platforms at platforms, the
// database and the rules folder beside each other.
func Config(db, siteURL, platforms string) config.Config {
	p := platforms
	cfg := config.Default()
	cfg.Database = db
	cfg.RulesDir = filepath.Join(filepath.Dir(db), "rules")
	cfg.Sites = []config.Site{{Name: "青溪区人民政府（示例）", URL: siteURL, Owner: "青溪区人民政府办公室"}}
	cfg.Accounts = []config.Account{
		{Name: "青溪发布", Platform: "微信公众号", Owner: "区委宣传部", Feed: p + "/feeds/qingxi.xml"},
		{Name: "青溪卫健", Platform: "微信公众号", Owner: "区卫生健康局", Feed: p + "/feeds/wjw.xml"},
		{Name: "青溪教育", Platform: "今日头条", Owner: "区教育局", Feed: p + "/feeds/jy.json"},
		{Name: "青溪文旅", Platform: "微信公众号", Owner: "区文化和旅游局", URLs: []string{p + "/s/winter", p + "/s/deleted"}},
		{Name: "青溪公安", Platform: "微博", Owner: "区公安分局", WeiboUID: "100", WeiboAPI: p + "/weibo"},
		{Name: "青溪城管", Platform: "微博", Owner: "区城管局", WeiboUID: "200", WeiboAPI: p + "/weibo"},
	}
	cfg.Report.Title = "青溪区政府网站与政务新媒体检查情况通报"
	cfg.Report.DocNumber = fmt.Sprintf("青政办〔%d〕1号", time.Now().Year())
	cfg.Report.Recipients = "各街道办事处，区政府各部门："
	cfg.Report.Issuer = "青溪区人民政府办公室"
	cfg.Report.Contact = "联系人：区政府办公室政务公开科，电话：0000-00000000"
	return cfg
}

// The sample's simulated week of availability probes: every 30 minutes,
// one in 18 timed out (5.6 %, over the 5 % veto line).
const (
	Probes         = 7 * 48
	ProbeFailEvery = 18
)

// SeedProbes records the simulated week of probes of the sample site.
func SeedProbes(ctx context.Context, st *store.Store, site config.Site) error {
	now := time.Now()
	id, err := st.SyncTarget(ctx, store.Target{Name: site.Name, URL: site.URL, Owner: site.Owner}, now)
	if err != nil {
		return err
	}
	for i := 1; i < Probes; i++ {
		p := store.Probe{At: now.Add(-time.Duration(i) * 30 * time.Minute), OK: true, Status: 200, Took: 120 * time.Millisecond}
		if i%ProbeFailEvery == 0 {
			p = store.Probe{At: p.At, Error: "timeout (simulated)", Took: 15 * time.Second}
		}
		if err := st.AddProbe(ctx, id, p); err != nil {
			return err
		}
	}
	return nil
}

// District is the sample district served on loopback: its site, the
// outside sites it links to, and a stand-in for the new-media platforms
// (feeds, WeChat pages, the Weibo API).
type District struct {
	SiteURL, PlatformsURL string
	servers               []*http.Server
}

// Start serves the sample district; the site listens on siteAddr
// (127.0.0.1:0 for any free port), the rest on free loopback ports.
func Start(siteAddr string) (*District, error) {
	d := &District{}
	ext, err := d.serve("127.0.0.1:0", External())
	if err != nil {
		return nil, err
	}
	if d.SiteURL, err = d.serve(siteAddr, New(time.Now(), strings.TrimSuffix(ext, "/"))); err != nil {
		d.Close()
		return nil, fmt.Errorf("demo: cannot serve the sample site on %s: %w", siteAddr, err)
	}
	if d.PlatformsURL, err = d.serve("127.0.0.1:0", Platforms(time.Now())); err != nil {
		d.Close()
		return nil, err
	}
	d.PlatformsURL = strings.TrimSuffix(d.PlatformsURL, "/")
	return d, nil
}

// serve serves h on addr and returns its URL (with a trailing /).
func (d *District) serve(addr string, h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	d.servers = append(d.servers, srv)
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/", nil
}

// Close stops every server of the district.
func (d *District) Close() {
	for _, s := range d.servers {
		s.Close()
	}
}
