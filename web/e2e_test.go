package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// browser starts headless Chromium for an end-to-end test. Without a
// Chromium on the machine the test is skipped, unless XUNJIAN_E2E=1 (CI
// sets it) makes that a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("XUNJIAN_CHROME")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path != "" {
			break
		}
		path, _ = exec.LookPath(name)
	}
	if path == "" {
		if os.Getenv("XUNJIAN_E2E") == "1" {
			t.Fatal("XUNJIAN_E2E=1 but no Chromium found (apt-get install chromium fonts-wqy-microhei)")
		}
		t.Skip("no Chromium on this machine (apt-get install chromium fonts-wqy-microhei)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "zh-CN"), chromedp.WindowSize(1366, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	// Accept the "apply to N issues?" confirmation of bulk actions.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// do runs browser steps, failing the test with the step's name.
func do(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// submit clicks a form's submit button and waits for the page the form
// leads to: until the browser has left it, the old page matches every
// selector a step could wait for.
func submit(t *testing.T, ctx context.Context, step, button string) {
	t.Helper()
	do(t, ctx, step, chromedp.Evaluate[chromedp.Void](`window.__leaving = true`), chromedp.Click(button))
	for deadline := time.Now().Add(30 * time.Second); ; {
		// Evaluating fails while the browser is between two pages.
		if arrived, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__leaving === undefined && document.readyState === "complete"`)); err == nil && arrived {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the browser did not reach the next page", step)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// get runs one browser action that returns a value.
func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A member of staff's morning, in a real browser: sign in, filter the list,
// open an issue, assign it, ignore another with a reason, act on several at
// once, export — and crawled script payloads never run.
func TestE2E_StaffTriage(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.DeadlineDays = map[string]int{"high": 3, "medium": 10, "low": 20} })
	ctx := browser(t)
	base := f.srv.URL

	do(t, ctx, "sign in",
		chromedp.Navigate(base+"/issues"),
		chromedp.WaitVisible(`input[name="name"]`),
		chromedp.SendKeys(`input[name="name"]`, "zhang"),
		chromedp.SendKeys(`input[name="password"]`, staffPass),
		chromedp.Click(`form[action="/login"] button[type="submit"]`),
		chromedp.WaitVisible(`#total`),
	)
	if loc := get(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/issues") {
		t.Fatalf("after sign-in at %s", loc)
	}

	// Our script runs under the CSP (it marks the page), the payloads do not:
	// the list shows the crawled text too.
	if !get(t, ctx, chromedp.Evaluate[bool](`document.documentElement.classList.contains("js")`)) {
		t.Error("app.js did not run: the CSP blocks our own script")
	}
	do(t, ctx, "wait", chromedp.Sleep(300*time.Millisecond))
	if xss := get(t, ctx, chromedp.Evaluate[string](`typeof window.__xss`)); xss != "undefined" {
		t.Fatalf("a crawled payload ran on the list: window.__xss is %s", xss)
	}
	do(t, ctx, "open the payload",
		chromedp.Navigate(fmt.Sprintf("%s/issues/%d", base, f.issueID("window.__xss=1"))),
		chromedp.WaitVisible(`.evidence-box`),
		chromedp.Sleep(300*time.Millisecond), // an onerror would have fired by now
	)
	if xss := get(t, ctx, chromedp.Evaluate[string](`typeof window.__xss`)); xss != "undefined" {
		t.Fatalf("a crawled payload ran: window.__xss is %s", xss)
	}
	if shown := get(t, ctx, chromedp.Text(`.evidence-box`)); !strings.Contains(shown, "<script>window.__xss=1</script>") {
		t.Errorf("evidence shown as %q", shown)
	}

	// Filter by a search term: the state lands in the URL.
	do(t, ctx, "filter",
		chromedp.Navigate(base+"/issues"),
		chromedp.WaitVisible(`input[name="q"]`),
		chromedp.SendKeys(`input[name="q"]`, "按装"),
	)
	submit(t, ctx, "filter", `.filters button[type="submit"]`)
	do(t, ctx, "filtered", chromedp.WaitVisible(`a.ev`))
	total, loc := get(t, ctx, chromedp.Text(`#total`)), get(t, ctx, chromedp.Location())
	if !strings.Contains(total, "共 1 项") || !strings.Contains(loc, "q=%E6%8C%89%E8%A3%85") {
		t.Fatalf("filtered: %q at %s", total, loc)
	}

	// Open it; the term is highlighted; assign it, keeping the deadline
	// the form offers: the severity's default (a medium issue: 10 working
	// days).
	do(t, ctx, "open and assign",
		chromedp.Click(`a.ev`),
		chromedp.WaitVisible(`#assign`),
	)
	mark := get(t, ctx, chromedp.Text(`.evidence-box mark`))
	offered := get(t, ctx, chromedp.Value(`#assign input[name="deadline"]`))
	if want := reports.WorkingDaysAfter(f.ui.now().In(f.ui.loc), 10).Format("2006-01-02"); offered != want {
		t.Errorf("the form offers the deadline %q, want %s", offered, want)
	}
	do(t, ctx, "assign",
		chromedp.SetValue(`#assign input[name="owner"]`, "区教育局"),
		chromedp.Click(`#assign button[type="submit"]`),
		chromedp.WaitVisible(`.flash`),
	)
	flash := get(t, ctx, chromedp.Text(`.flash`))
	id := f.issueID("按装")
	if mark != "按装" || !strings.Contains(flash, "已交办") {
		t.Errorf("mark %q, flash %q", mark, flash)
	}
	if is := f.issue(id); is.Status != "assigned" || is.Owner != "区教育局" || is.Deadline != offered {
		t.Fatalf("after assigning in the browser: %+v", is)
	}

	// Choose one status in the filter: 已交办 is the issue just assigned,
	// and 待处理 no longer holds it.
	do(t, ctx, "filter by 已交办",
		chromedp.Navigate(base+"/issues"),
		chromedp.WaitVisible(`select[name="status"]`),
		chromedp.SetValue(`select[name="status"]`, "assigned"),
	)
	submit(t, ctx, "filter by 已交办", `.filters button[type="submit"]`)
	do(t, ctx, "filtered by 已交办", chromedp.WaitVisible(`a.ev`))
	total, loc = get(t, ctx, chromedp.Text(`#total`)), get(t, ctx, chromedp.Location())
	if ev := get(t, ctx, chromedp.Text(`a.ev`)); !strings.Contains(total, "共 1 项") || !strings.Contains(ev, "按装") || !strings.Contains(loc, "status=assigned") {
		t.Fatalf("已交办: %q, first %q at %s", total, ev, loc)
	}
	do(t, ctx, "filter by 待处理", chromedp.SetValue(`select[name="status"]`, "open"))
	submit(t, ctx, "filter by 待处理", `.filters button[type="submit"]`)
	do(t, ctx, "filtered by 待处理", chromedp.WaitVisible(`a.ev`))
	listed := get(t, ctx, chromedp.Text(`table.issues tbody`))
	if strings.Contains(listed, "按装") || strings.Contains(listed, "已交办") || !strings.Contains(listed, "待处理") {
		t.Errorf("待处理 lists: %.300q", listed)
	}
	if sel := get(t, ctx, chromedp.Evaluate[string](`document.querySelector('select[name="status"]').selectedOptions[0].textContent`)); sel != "待处理" {
		t.Errorf("the filter shows %q after choosing 待处理", sel)
	}

	// Ignore the serious error as a false positive, with a reason.
	serious := f.issueID("中华人民共合国")
	do(t, ctx, "ignore",
		chromedp.Navigate(fmt.Sprintf("%s/issues/%d", base, serious)),
		chromedp.WaitVisible(`#ignore`),
		chromedp.SendKeys(`#ignore input[name="note"]`, "引用的是原文错误示例"),
		chromedp.Click(`#ignore button[type="submit"]`),
		chromedp.WaitVisible(`.flash`),
	)
	flash = get(t, ctx, chromedp.Text(`.flash`))
	if is := f.issue(serious); is.Status != "ignored" || !strings.Contains(flash, "已忽略") {
		t.Fatalf("after ignoring: %s, flash %q", is.Status, flash)
	}
	events, _ := f.st.Events(context.Background(), serious)
	if last := events[len(events)-1]; last.Actor != "zhang" || last.Note != "引用的是原文错误示例" {
		t.Errorf("last event %+v", last)
	}

	// Select every issue on the page and confirm them at once.
	do(t, ctx, "bulk confirm",
		chromedp.Navigate(base+"/issues?category=dead_link"),
		chromedp.WaitVisible(`#select-all`),
		chromedp.Click(`#select-all`),
		chromedp.SetValue(`#bulk-action`, "confirm"),
		chromedp.Click(`fieldset.bulk button[type="submit"]`),
		chromedp.WaitVisible(`.flash`),
	)
	flash = get(t, ctx, chromedp.Text(`.flash`))
	if is := f.issue(f.issueID("notice.html")); is.Status != store.StatusConfirmed || !strings.Contains(flash, "已处理 1 项") {
		t.Errorf("bulk: %s, flash %q", is.Status, flash)
	}

	// Export what the list shows, as the browser downloads it.
	do(t, ctx, "export", chromedp.Navigate(base+"/issues?status=all"), chromedp.WaitVisible(`#total`))
	csv := get(t, ctx, chromedp.Evaluate[string](`fetch(document.querySelector('a[href^="/issues/export.csv"]').href).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(csv, "编号") || !strings.Contains(csv, "已忽略") || !strings.Contains(csv, `'=HYPERLINK`) {
		t.Errorf("export: %.200q", csv)
	}
	// fetch's text() drops the byte-order mark Excel needs; it is there.
	bom := get(t, ctx, chromedp.Evaluate[string](`fetch(document.querySelector('a[href^="/issues/export.csv"]').href)
		.then(r => r.arrayBuffer()).then(b => Array.from(new Uint8Array(b.slice(0, 3))).join(","))`, chromedp.EvalAwaitPromise))
	if bom != "239,187,191" {
		t.Errorf("the CSV starts with bytes %s, not the UTF-8 BOM", bom)
	}
}

// 考评 in a real browser: the dashboard leads with the projected score
// and the veto items; the page shows why the portal fails, sorts the
// ranking, switches the period and offers the notice.
func TestE2E_Assessment(t *testing.T) {
	f := newFixture(t)
	f.rescored()
	ctx := browser(t)
	base := f.srv.URL
	do(t, ctx, "sign in",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`input[name="name"]`),
		chromedp.SendKeys(`input[name="name"]`, "zhang"),
		chromedp.SendKeys(`input[name="password"]`, staffPass),
		chromedp.Click(`form[action="/login"] button[type="submit"]`),
		chromedp.WaitVisible(`#dash-score`),
	)
	if chips := get(t, ctx, chromedp.Text(`#dash-vetoes`)); !strings.Contains(chips, "严重表述错误 ✕1") || !strings.Contains(chips, "站点无法访问") {
		t.Errorf("the dashboard's veto items: %q", chips)
	}
	do(t, ctx, "open 考评",
		chromedp.Click(`nav a[href="/assessment"]`),
		chromedp.WaitVisible(`#portal-score`),
	)
	score, failed := get(t, ctx, chromedp.Text(`#portal-score`)), get(t, ctx, chromedp.Text(`#failed-count`))
	if score == "" || failed != "2" { // the portal (a serious error) and 青溪发布 (no post for 57 days)
		t.Errorf("portal score %q, failing targets %q", score, failed)
	}
	// The failing veto item says why, on hover and in the details.
	if why := get(t, ctx, chromedp.AttributeValue(`#scores .veto-failed`, "title")).Value; !strings.Contains(why, "严重表述错误未整改") {
		t.Errorf("the failed item's evidence: %q", why)
	}
	do(t, ctx, "details", chromedp.Click(`#scores details summary`), chromedp.WaitVisible(`#scores details ul.vetoes`))
	// Sort the ranking by unresolved issues.
	do(t, ctx, "sort", chromedp.Click(`#ranking-table th a[href*="sort=open"]`), chromedp.WaitVisible(`#ranking-table th a[aria-current="true"]`))
	if loc := get(t, ctx, chromedp.Location()); !strings.Contains(loc, "sort=open") {
		t.Errorf("sorted at %s", loc)
	}
	if first := get(t, ctx, chromedp.Text(`#ranking-table tbody tr td:nth-child(2)`)); first != "区政府办公室" {
		t.Errorf("most unresolved first: %q", first)
	}
	// Another period: the notice link follows it.
	do(t, ctx, "last year",
		chromedp.SetValue(`select[name="period"]`, fmt.Sprint(f.ui.now().In(f.ui.loc).Year()-1)),
	)
	submit(t, ctx, "period", `.filters button[type="submit"]`)
	href := get(t, ctx, chromedp.AttributeValue(`#notice-docx`, "href")).Value
	if want := fmt.Sprintf("/assessment/notice.docx?period=%d", f.ui.now().In(f.ui.loc).Year()-1); href != want {
		t.Errorf("notice link %q, want %q", href, want)
	}
}
