package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/store"
)

// runner is a Runner whose scans are refused: another scan holds the target.
type runner struct{ err error }

func (r runner) ScanNow(string) error { return r.err }
func (runner) Running() []Running     { return nil }

// 立即扫描 of a target another scan holds says so, with the running scan's
// start in the office's time, in the user's language.
func TestScanNow_RefusedWhileScanning(t *testing.T) {
	since := time.Date(2026, 11, 26, 18, 5, 0, 0, time.UTC)
	held := &store.ScanningError{Target: siteName, Kind: store.KindCrawl, ScanID: 7, Since: since, Holder: "host pid 1"}
	f := newFixture(t, func(o *Options) { o.Runner = runner{err: held} })
	c := f.login("zhang", staffPass)
	res, body := f.postBody(c, "/targets/1/scan", nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "该对象正在扫描中（开始于 2026-11-27 02:05），请稍后再试") {
		t.Errorf("scan now: %d\n%s", res.StatusCode, body)
	}
	f.post(c, "/lang", map[string][]string{"lang": {"en"}})
	if _, body := f.postBody(c, "/targets/1/scan", nil); !strings.Contains(body, "This target is being scanned (since 2026-11-27 02:05)") {
		t.Errorf("in English:\n%s", body)
	}
}
