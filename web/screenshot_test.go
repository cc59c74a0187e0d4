package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/demosite"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/scan"
)

// TestScreenshots renders the README's pictures of the UI over a scan of
// the sample district site:
//
//	XUNJIAN_SCREENSHOTS=../docs go test ./web -run Screenshots
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("XUNJIAN_SCREENSHOTS")
	if dir == "" {
		t.Skip("set XUNJIAN_SCREENSHOTS=DIR to render the README's screenshots")
	}
	f := newFixture(t)
	ext := httptest.NewServer(demosite.External())
	defer ext.Close()
	site := httptest.NewServer(demosite.New(time.Now(), ext.URL))
	defer site.Close()
	set, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	opts := scan.Options{Rules: set, ReadAttachments: true, Crawl: crawler.Options{Concurrency: 4, Timeout: 3 * time.Second,
		Retries: 1, RecheckAfter: 100 * time.Millisecond, RetryWait: 100 * time.Millisecond, Dial: crawler.LoopbackOnly}}
	if _, err := scan.Run(context.Background(), f.st, scan.Site{Name: "青溪区人民政府（示例）", URL: site.URL + "/", Owner: "青溪区人民政府办公室"}, opts); err != nil {
		t.Fatal(err)
	}
	f.rescored()
	ctx := browser(t)
	do(t, ctx, "sign in",
		chromedp.Navigate(f.srv.URL+"/login"),
		chromedp.WaitVisible(`input[name="name"]`),
		chromedp.SendKeys(`input[name="name"]`, "admin"),
		chromedp.SendKeys(`input[name="password"]`, adminPass),
		chromedp.Click(`form[action="/login"] button[type="submit"]`),
		chromedp.WaitVisible(`.cards`),
	)
	for _, shot := range []struct {
		name, path, wait string
		full             bool
	}{
		{"ui-dashboard.png", "/", ".cards", true},
		{"ui-issues.png", "/issues", "#total", false},
		{"ui-issue.png", fmt.Sprintf("/issues/%d", f.issueID("按装")), ".evidence-box", true},
		{"ui-assessment.png", "/assessment", "#scores", true},
	} {
		do(t, ctx, shot.name, chromedp.Navigate(f.srv.URL+shot.path), chromedp.WaitVisible(shot.wait))
		shoot := chromedp.CaptureScreenshot()
		if shot.full {
			shoot = chromedp.FullScreenshot(100)
		}
		png := get(t, ctx, shoot)
		if err := os.WriteFile(filepath.Join(dir, shot.name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
