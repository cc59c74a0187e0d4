package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/store"
)

// A site's last scan read far fewer pages than its last complete one: the
// scan list, the dashboard and the targets page say so and why, in Chinese
// and in English.
func TestCollapsedScanShown(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, err := f.st.SyncTarget(ctx, store.Target{Name: siteName, URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室"}, f.ui.now())
	if err != nil {
		t.Fatal(err)
	}
	scanID, err := f.st.StartScan(ctx, id, store.KindCrawl, f.ui.now())
	if err != nil {
		t.Fatal(err)
	}
	note := store.CollapseNote(1, 495) + "；疑似无限链接（爬虫陷阱），跳过 /cal/ 下的 3 个地址"
	if _, err := f.st.FinishScan(ctx, scanID, id, store.ScanResult{Status: store.ScanCollapsed, Pages: 1, PagesRead: 1, Baseline: 495,
		Note: note}, f.ui.now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	const zh = "本次仅抓取 1 页（上次 495 页），疑似首页跳转、拦截或维护，未复查关闭任何问题"
	c := f.login("zhang", staffPass)
	for path, wants := range map[string][]string{
		"/scans":   {"页面骤减（未关闭任何问题）", zh + "; 疑似无限链接（爬虫陷阱），跳过 /cal/ 下的 3 个地址"},
		"/":        {"需要关注", "巡检未关闭任何问题", siteName, zh},
		"/targets": {"页面骤减（未关闭任何问题）", zh},
	} {
		_, body := f.get(c, path)
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
	f.post(c, "/lang", url.Values{"lang": {"en"}, "back": {"/scans"}})
	_, body := f.get(c, "/scans")
	for _, want := range []string{"far fewer pages (closed nothing)", "pages read: 1 (last complete scan: 495)", "疑似无限链接（爬虫陷阱），跳过 /cal/ 下的 3 个地址"} {
		if !strings.Contains(body, want) {
			t.Errorf("English /scans lacks %q", want)
		}
	}
	if strings.Contains(body, "本次仅抓取") {
		t.Error("English /scans shows the Chinese reason")
	}
}
