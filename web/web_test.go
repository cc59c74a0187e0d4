package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/attachment/attachmenttest"
	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

func TestEveryRouteNeedsLogin(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	requests := f.routeRequests(func(int) bool { return true })
	for _, rq := range requests {
		method, p := rq[0], rq[1]
		res := f.send(c, method, p, "action=ignore&note=x&id=1", nil)
		switch {
		case method == "GET" && res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login?next="):
		case method == "POST" && res.StatusCode == http.StatusUnauthorized:
		default:
			t.Errorf("%s %s without a session: %d %s", method, p, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if n := len(requests); n < 35 {
		t.Errorf("only %d requests: the route table shrank?", n)
	}
	// Nothing changed.
	if is := f.issue(1); is.Status != store.StatusOpen {
		t.Errorf("issue 1 is %s", is.Status)
	}
	// The login page and the assets are public.
	for _, p := range []string{"/login", "/static/app.css", "/static/app.js"} {
		if res, _ := f.get(c, p); res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
	if res, _ := f.get(c, "/static/"); res.StatusCode != http.StatusNotFound {
		t.Errorf("static directory listing: %d", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	res, _ := f.get(f.client(), "/login")
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
	} {
		if !strings.Contains(res.Header.Get(h), want) {
			t.Errorf("%s = %q", h, res.Header.Get(h))
		}
	}
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	res, body := f.postBody(c, "/login", url.Values{"name": {"admin"}, "password": {"wrong-password"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res = f.post(c, "/login", url.Values{"name": {"admin"}, "password": {adminPass}, "next": {"/issues?category=typo"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/issues?category=typo" {
		t.Fatalf("login: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || len(session.Value) < 40 {
		t.Fatalf("session cookie %+v", session)
	}
	// The token is not stored as such.
	if _, err := f.st.SessionUser(context.Background(), session.Value, f.ui.now(), sessionIdle); err == nil {
		t.Error("the raw token finds a session: tokens must be stored hashed")
	}
	if res, body := f.get(c, "/"); res.StatusCode != http.StatusOK || !strings.Contains(body, "未解决问题") {
		t.Fatalf("dashboard after login: %d", res.StatusCode)
	}
	// An open redirect is refused.
	res = f.post(f.client(), "/login", url.Values{"name": {"admin"}, "password": {adminPass}, "next": {"//evil.example/"}})
	if res.Header.Get("Location") != "/" {
		t.Errorf("next=//evil.example/ redirected to %q", res.Header.Get("Location"))
	}
	// Logging out ends the session on the server, not only in the browser.
	f.post(c, "/logout", nil)
	if _, err := f.st.SessionUser(context.Background(), tokenHash(session.Value), f.ui.now(), sessionIdle); err == nil {
		t.Error("session still valid after logout")
	}
}

func TestLoginRateLimited(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	for i := range 5 {
		if res := f.post(c, "/login", url.Values{"name": {"admin"}, "password": {fmt.Sprint("guess", i)}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, res.StatusCode)
		}
	}
	// Now even the right password waits.
	res, body := f.postBody(c, "/login", url.Values{"name": {"admin"}, "password": {adminPass}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "登录失败次数过多") {
		t.Fatalf("sixth attempt: %d", res.StatusCode)
	}
}

func TestCSRFRefused(t *testing.T) {
	f := newFixture(t)
	c := f.login("admin", adminPass)
	id := f.issueID("按装")
	for _, h := range []map[string]string{
		{"Origin": "http://evil.example"},
		{"Sec-Fetch-Site": "cross-site"},
	} {
		if res := f.send(c, "POST", fmt.Sprintf("/issues/%d/ignore", id), "note=csrf", h); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin POST with %v: %d", h, res.StatusCode)
		}
	}
	if st := f.issue(id).Status; st != store.StatusOpen {
		t.Fatalf("a cross-site request changed the issue to %s", st)
	}
	// The same request from the UI's own page goes through — with Origin
	// alone too: browsers send no Sec-Fetch-Site to a plain-HTTP intranet
	// address.
	for i, h := range []map[string]string{
		{"Origin": f.srv.URL},
		{"Origin": f.srv.URL, "Sec-Fetch-Site": "same-origin"},
	} {
		action := []string{"confirm", "ignore"}[i]
		if res := f.send(c, "POST", fmt.Sprintf("/issues/%d/%s", id, action), "note=ok", h); res.StatusCode != http.StatusSeeOther {
			t.Errorf("same-origin POST with %v: %d", h, res.StatusCode)
		}
	}
	if st := f.issue(id).Status; st != store.StatusIgnored {
		t.Errorf("after the same-origin POSTs: %s", st)
	}
}

func TestStaffCannotAdminister(t *testing.T) {
	f := newFixture(t)
	c := f.login("zhang", staffPass)
	admin := f.routeRequests(func(a int) bool { return a == adminOnly })
	if len(admin) == 0 {
		t.Fatal("no admin route to try")
	}
	for _, rq := range admin {
		if res := f.send(c, rq[0], rq[1], "name=x&role=admin", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("staff %s %s: %d", rq[0], rq[1], res.StatusCode)
		}
	}
	// Staff triage.
	if res := f.post(c, fmt.Sprintf("/issues/%d/confirm", f.issueID("按装")), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("staff confirm: %d", res.StatusCode)
	}
}

func TestIssueListFilters(t *testing.T) {
	f := newFixture(t)
	c := f.login("zhang", staffPass)
	cases := []struct {
		query      string
		want, none []string
		code       int
	}{
		{"", []string{"按装", "中华人民共合国", "notice.html", "最近发布"}, nil, 200},
		{"?q=按装", []string{"按装"}, []string{"中华人民共合国", "notice.html"}, 200},
		{"?q=old%2Fnotice", []string{"notice.html"}, []string{"按装"}, 200}, // search in URLs
		{"?category=serious_error", []string{"中华人民共合国"}, []string{"按装"}, 200},
		{"?severity=high", []string{"中华人民共合国", "最近发布"}, []string{"按装"}, 200},
		{"?kind=account", []string{"最近发布"}, []string{"按装"}, 200},
		{"?target=" + url.QueryEscape(siteName) + "&owner=" + url.QueryEscape("区卫健委"), []string{"notice.html"}, []string{"按装", "最近发布"}, 200},
		{"?status=ignored", nil, []string{"按装"}, 200},
		{"?from=2000-01-01&to=2000-01-02", nil, []string{"按装"}, 200},
		{"?category=nonsense", []string{"未知问题类别"}, nil, 400},
		{"?from=yesterday", []string{"起始日期"}, nil, 400},
	}
	for _, tc := range cases {
		res, body := f.get(c, "/issues"+tc.query)
		if res.StatusCode != tc.code {
			t.Errorf("%s: %d", tc.query, res.StatusCode)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: %q missing", tc.query, w)
			}
		}
		for _, n := range tc.none {
			if strings.Contains(body, n) {
				t.Errorf("%s: %q shown", tc.query, n)
			}
		}
	}
	// The filter state is kept in the export links and the form.
	_, body := f.get(c, "/issues?category=typo&q=按装")
	if !strings.Contains(body, `/issues/export.csv?category=typo&amp;q=%E6%8C%89%E8%A3%85`) || !strings.Contains(body, `value="按装"`) {
		t.Error("the filter is not carried into the export links and the search box")
	}
}

// The status filter offers every lifecycle status under its own value, and
// the aggregate of the unresolved ones (the default) under another: 待处理
// alone is not 已交办, and the dashboard calls the aggregate 未解决.
func TestIssueListStatusFilter_EachStatusItsOwnOption(t *testing.T) {
	f := newFixture(t)
	c := f.login("zhang", staffPass)
	ctx := context.Background()
	typo, dead := f.issueID("按装"), f.issueID("notice.html")
	if err := f.st.Assign(ctx, typo, "区教育局", "2099-12-31", "zhang", "", f.ui.now()); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetStatus(ctx, dead, store.StatusFixed, "zhang", "已删除", f.ui.now()); err != nil {
		t.Fatal(err)
	}
	_, body := f.get(c, "/issues")
	sel := regexp.MustCompile(`(?s)<select name="status">(.*?)</select>`).FindStringSubmatch(body)
	if sel == nil {
		t.Fatal("no status filter")
	}
	seen := map[string]string{}
	for _, m := range regexp.MustCompile(`<option value="([^"]*)"[^>]*>([^<]*)</option>`).FindAllStringSubmatch(sel[1], -1) {
		if prev, dup := seen[m[1]]; dup {
			t.Errorf("two options carry value %q: %s and %s", m[1], prev, m[2])
		}
		seen[m[1]] = m[2]
	}
	if seen["unresolved"] != "未解决" || seen["all"] == "" {
		t.Errorf("aggregate options: %v", seen)
	}
	for _, st := range store.Statuses {
		if seen[string(st)] != st.Label() {
			t.Errorf("status %s: option %q", st, seen[string(st)])
		}
	}
	if !strings.Contains(sel[1], `<option value="unresolved" selected>`) {
		t.Error("the list does not say it shows the unresolved issues by default")
	}
	cases := []struct {
		status     string
		want, none []string
	}{
		{"", []string{"按装", "notice.html", "中华人民共合国"}, nil},
		{"unresolved", []string{"按装", "notice.html", "中华人民共合国"}, nil},
		{"open", []string{"中华人民共合国", "最近发布"}, []string{"按装", "notice.html"}},
		{"assigned", []string{"按装"}, []string{"notice.html", "中华人民共合国"}},
		{"fixed", []string{"notice.html"}, []string{"按装", "中华人民共合国"}},
	}
	for _, tc := range cases {
		_, body := f.get(c, "/issues?status="+tc.status)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("status=%s: %q missing", tc.status, w)
			}
		}
		for _, n := range tc.none {
			if strings.Contains(body, n) {
				t.Errorf("status=%s: %q shown", tc.status, n)
			}
		}
	}
	_, body = f.get(c, "/")
	if strings.Contains(body, "待处理问题") || !strings.Contains(body, `<span class="n">6</span><span>未解决问题`) {
		t.Error("the dashboard does not name the unresolved issues 未解决")
	}
}

func TestIssueListPages(t *testing.T) {
	f := newFixture(t)
	var fs []checks.Finding
	for i := range 120 {
		fs = append(fs, checks.Finding{Category: checks.Typo, Severity: checks.Medium, URL: fmt.Sprintf("http://big.example/%d.html", i),
			Evidence: "按装", Message: "疑似错别字：“按装”应为“安装”", Rule: "typo.T001"})
	}
	scanTarget(t, f.st, store.Target{Name: "大站", URL: "http://big.example/"}, f.ui.now(), fs...)
	c := f.login("zhang", staffPass)
	_, body := f.get(c, "/issues?target="+url.QueryEscape("大站"))
	if !strings.Contains(body, "共 120 项，显示第 1–50 项") || !strings.Contains(body, "第 1 / 3 页") {
		t.Fatalf("page 1: %s", regexp.MustCompile(`共 \d+ 项[^<]*`).FindString(body))
	}
	_, body = f.get(c, "/issues?target="+url.QueryEscape("大站")+"&page=3")
	if !strings.Contains(body, "显示第 101–120 项") {
		t.Error("page 3")
	}
	_, body = f.get(c, "/issues?target="+url.QueryEscape("大站")+"&page=99")
	if !strings.Contains(body, "显示第 101–120 项") {
		t.Error("a page past the end shows the last page")
	}
}

func TestIssueActions(t *testing.T) {
	f := newFixture(t)
	c := f.login("zhang", staffPass)
	id := f.issueID("按装")
	path := fmt.Sprintf("/issues/%d", id)

	// Ignoring needs a reason.
	res, body := f.postBody(c, path+"/ignore", url.Values{"note": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "必须填写原因") {
		t.Fatalf("ignore without reason: %d", res.StatusCode)
	}
	// Assign with a deadline.
	if res := f.post(c, path+"/assign", url.Values{"owner": {"区教育局"}, "deadline": {"2099-12-31"}, "note": {"请本周内更正"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", res.StatusCode)
	}
	is := f.issue(id)
	if is.Status != "assigned" || is.Owner != "区教育局" || is.Deadline != "2099-12-31" {
		t.Fatalf("after assign: %+v", is)
	}
	// A deadline in the past is refused.
	if res, _ := f.postBody(c, path+"/assign", url.Values{"owner": {"区教育局"}, "deadline": {"2000-01-01"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("past deadline: %d", res.StatusCode)
	}
	f.post(c, path+"/comment", url.Values{"note": {"已电话联系"}})
	f.post(c, path+"/fix", url.Values{"note": {"已改为安装"}})
	if st := f.issue(id).Status; st != "fixed" {
		t.Fatalf("after fix: %s", st)
	}
	// fixed → confirmed is not a lifecycle step.
	if res, body := f.postBody(c, path+"/confirm", nil); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不允许") {
		t.Errorf("confirm a fixed issue: %d", res.StatusCode)
	}
	// The flash after a redirect, and the history with who, what, why.
	_, body = f.get(c, path)
	for _, want := range []string{"交办给 区教育局，整改期限 2099-12-31；请本周内更正", "已电话联系", "已改为安装", "zhang", "系统扫描", "已整改待复查"} {
		if !strings.Contains(body, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	if res, _ := f.get(c, "/issues/999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown issue: %d", res.StatusCode)
	}
	if res := f.post(c, path+"/explode", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown action: %d", res.StatusCode)
	}
}

type fakeAllow struct{ terms []string }

func (a *fakeAllow) Allow(term, url string) error {
	a.terms = append(a.terms, term+"\t"+url)
	return nil
}

func TestIgnoreAndAllowTerm(t *testing.T) {
	allow := &fakeAllow{}
	f := newFixture(t, func(o *Options) { o.Allow = allow })
	c := f.login("zhang", staffPass)
	id := f.issueID("按装")
	_, body := f.get(c, fmt.Sprintf("/issues/%d", id))
	if !strings.Contains(body, "<mark>按装</mark>") || !strings.Contains(body, "所有页面不再提示") {
		t.Fatal("the term is not highlighted or the allowlist is not offered")
	}
	f.post(c, fmt.Sprintf("/issues/%d/ignore", id), url.Values{"note": {"专有名词"}, "allow": {"page"}})
	if len(allow.terms) != 1 || allow.terms[0] != "按装\thttp://www.qxq.gov.cn/xwzx/a.html" {
		t.Fatalf("allowlist: %q", allow.terms)
	}
	if st := f.issue(id).Status; st != "ignored" {
		t.Errorf("status %s", st)
	}
	// A dead link has no term to allow.
	_, body = f.get(c, fmt.Sprintf("/issues/%d", f.issueID("notice.html")))
	if strings.Contains(body, "所有页面不再提示") {
		t.Error("allowlist offered for a dead link")
	}
	if !strings.Contains(body, "关于做好冬季防疫的通知") || !strings.Contains(body, "引用该链接的页面（2 个）") {
		t.Error("the referring pages and anchors of a dead link are not listed")
	}
}

func TestBulkActions(t *testing.T) {
	f := newFixture(t)
	c := f.login("zhang", staffPass)
	a, b := f.issueID("按装"), f.issueID("notice.html")
	form := url.Values{"id": {fmt.Sprint(a), fmt.Sprint(b)}, "action": {"assign"}, "owner": {"区卫健委"}, "deadline": {"2099-01-31"},
		"return": {"/issues?category=typo"}}
	res := f.post(c, "/issues/bulk", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/issues?category=typo" {
		t.Fatalf("bulk assign: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	for _, id := range []int64{a, b} {
		if is := f.issue(id); is.Status != "assigned" || is.Owner != "区卫健委" {
			t.Errorf("issue %d: %s %s", id, is.Status, is.Owner)
		}
	}
	// Ignore without a reason is refused; with one, applies to all.
	if res, _ := f.postBody(c, "/issues/bulk", url.Values{"id": {fmt.Sprint(a)}, "action": {"ignore"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bulk ignore without reason: %d", res.StatusCode)
	}
	f.post(c, "/issues/bulk", url.Values{"id": {fmt.Sprint(a), fmt.Sprint(b)}, "action": {"ignore"}, "reason": {"测试"}})
	// Confirming ignored issues is not allowed: skipped, counted.
	res = f.post(c, "/issues/bulk", url.Values{"id": {fmt.Sprint(a), fmt.Sprint(b)}, "action": {"confirm"}, "return": {"https://evil.example/"}})
	if res.Header.Get("Location") != "/issues" {
		t.Errorf("bulk return to %q", res.Header.Get("Location"))
	}
	var flash string
	for _, ck := range res.Cookies() {
		if ck.Name == flashCookie {
			flash, _ = url.QueryUnescape(ck.Value)
		}
	}
	if !strings.Contains(flash, "2 项的当前状态不允许此操作") {
		t.Errorf("flash %q", flash)
	}
}

func TestExport(t *testing.T) {
	f := newFixture(t)
	c := f.login("zhang", staffPass)
	res, body := f.get(c, "/issues/export.csv?severity=low")
	if res.StatusCode != 200 || !strings.HasPrefix(body, "\uFEFF编号,巡检对象") {
		t.Fatalf("csv: %d %.40q", res.StatusCode, body)
	}
	if !strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''%E9%97%AE%E9%A2%98%E6%B8%85%E5%8D%95") {
		t.Errorf("disposition %q", res.Header.Get("Content-Disposition"))
	}
	if strings.Contains(body, ",=HYPERLINK") || !strings.Contains(body, `'=HYPERLINK`) {
		t.Error("a formula survives in the CSV")
	}
	if strings.Contains(body, "按装") {
		t.Error("the export ignores the filter")
	}
	res, body = f.get(c, "/issues/export.xlsx")
	rows, err := attachment.Rows("x.xlsx", []byte(body))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("xlsx: %d %v", res.StatusCode, err)
	}
	if len(rows) != 7 || rows[0][1] != "巡检对象" {
		t.Fatalf("xlsx rows %d, header %v", len(rows), rows[0])
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("xlsx cell %q starts a formula", cell)
			}
		}
	}
}

func TestCrawledTextIsInert(t *testing.T) {
	f := newFixture(t)
	c := f.login("admin", adminPass)
	id := f.issueID("window.__xss=1")
	// The pages that show the payload (the list, the issue, the list
	// searched for it) show it escaped: the absence of the raw form means
	// something only where the text is on the page.
	for _, p := range []string{"/issues", fmt.Sprintf("/issues/%d", id), "/issues?q=__xss", "/?x=1"} {
		res, body := f.get(c, p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
		if p != "/?x=1" && !strings.Contains(body, "&lt;script&gt;window.__xss=1&lt;/script&gt;") {
			t.Errorf("%s does not show the payload as text", p)
		}
		for _, bad := range []string{"<script>window", "<img src=x", `href="javascript:`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s renders %q", p, bad)
			}
		}
	}
	_, body := f.get(c, fmt.Sprintf("/issues/%d", id))
	if !strings.Contains(body, "&lt;script&gt;window.__xss=1&lt;/script&gt;") || !strings.Contains(body, "{{.User}}") {
		t.Error("the payload is not shown as text")
	}
}

func TestTargets(t *testing.T) {
	f := newFixture(t)
	// The site is declared in the configuration file.
	if _, err := f.st.SyncConfigured(context.Background(), []store.Target{{Name: siteName, URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室", Enabled: true}},
		f.ui.now()); err != nil {
		t.Fatal(err)
	}
	c := f.login("admin", adminPass)
	// Add an account.
	res, body := f.postBody(c, "/targets", url.Values{"kind": {"account"}, "name": {"青溪卫健"}, "platform": {"微信公众号"},
		"source_kind": {"feed"}, "source": {"http://mp.example/wjw.xml"}, "owner": {"区卫健委"}, "email": {"wjw@qxq.gov.cn"}, "enabled": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d %s", res.StatusCode, body)
	}
	// A bad source is refused with the reason.
	res, body = f.postBody(c, "/targets", url.Values{"kind": {"account"}, "name": {"坏账号"}, "source_kind": {"feed"}, "source": {"javascript:alert(1)"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "应以 http:// 或 https:// 开头") {
		t.Errorf("bad source: %d", res.StatusCode)
	}
	ts, _ := f.st.Targets(context.Background(), "account")
	var added store.Target
	for _, tg := range ts {
		if tg.Name == "青溪卫健" {
			added = tg
		}
	}
	if added.ID == 0 || added.SourceKind != "feed" || added.Owner != "区卫健委" || !added.Enabled {
		t.Fatalf("added %+v", added)
	}
	// Edit, pause.
	f.post(c, fmt.Sprintf("/targets/%d", added.ID), url.Values{"kind": {"account"}, "name": {"青溪卫健"}, "source_kind": {"feed"},
		"source": {"http://mp.example/wjw2.xml"}, "owner": {"区卫生健康局"}, "enabled": {"1"}})
	f.post(c, fmt.Sprintf("/targets/%d/disable", added.ID), nil)
	got, _ := f.st.TargetByID(context.Background(), added.ID)
	if got.Source != "http://mp.example/wjw2.xml" || got.Owner != "区卫生健康局" || got.Enabled {
		t.Errorf("after edit and pause %+v", got)
	}
	// A target from the configuration file is not edited here.
	site, _ := f.st.Targets(context.Background(), "site")
	if res := f.post(c, fmt.Sprintf("/targets/%d", site[0].ID), url.Values{"kind": {"site"}, "name": {"x"}, "url": {"http://x.example/"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("edit a configured site: %d", res.StatusCode)
	}
	_, body = f.get(c, "/targets")
	if !strings.Contains(body, "青溪卫健") || !strings.Contains(body, "已暂停") || !strings.Contains(body, "配置文件") {
		t.Error("targets page")
	}
}

func TestImportRegister(t *testing.T) {
	f := newFixture(t)
	c := f.login("admin", adminPass)
	csv := "\uFEFF账号名称,平台,主办单位,邮箱,订阅源\r\n青溪教育,今日头条,区教育局,jy@qxq.gov.cn,http://mp.example/jy.json\r\n,微博,区城管局,,\r\n"
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("register", "台账.csv")
	io.WriteString(fw, csv)
	mw.Close()
	req, _ := http.NewRequest("POST", f.srv.URL+"/targets/import", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "已导入 1 个账号，1 行有误未导入") || !strings.Contains(string(body), "台账.csv: row 3") {
		t.Fatalf("import: %d %s", res.StatusCode, regexp.MustCompile(`(?s)<main>.{0,600}`).FindString(string(body)))
	}
	ts, _ := f.st.Targets(context.Background(), "account")
	found := false
	for _, tg := range ts {
		found = found || (tg.Name == "青溪教育" && tg.Email == "jy@qxq.gov.cn")
	}
	if !found {
		t.Error("imported account not saved")
	}
	// A register bomb (a sheet of 256 MiB in 540 KB) is refused; the server
	// goes on.
	b.Reset()
	mw = multipart.NewWriter(&b)
	fw, _ = mw.CreateFormFile("register", "台账.xlsx")
	fw.Write(attachmenttest.XLSXCells())
	mw.Close()
	req, _ = http.NewRequest("POST", f.srv.URL+"/targets/import", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if res, err = c.Do(req); err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "台账文件过大或已损坏") {
		t.Errorf("bomb: %d %s", res.StatusCode, regexp.MustCompile(`(?s)<main>.{0,600}`).FindString(string(body)))
	}
	if res, _ := f.get(c, "/targets"); res.StatusCode != http.StatusOK {
		t.Errorf("after the bomb: %d", res.StatusCode)
	}
}

func TestUsers(t *testing.T) {
	f := newFixture(t)
	c := f.login("admin", adminPass)
	_, body := f.postBody(c, "/users", url.Values{"name": {"li"}, "role": {"staff"}})
	m := regexp.MustCompile(`<code>([A-Za-z0-9]{16})</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no initial password shown")
	}
	li := f.login("li", m[1])
	if res, _ := f.get(li, "/issues"); res.StatusCode != 200 {
		t.Fatalf("new user: %d", res.StatusCode)
	}
	// Disabling ends the user's sessions at once.
	u, _ := f.st.UserByName(context.Background(), "li")
	f.post(c, fmt.Sprintf("/users/%d/disable", u.ID), nil)
	if res, _ := f.get(li, "/issues"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled user still in: %d", res.StatusCode)
	}
	// An admin cannot lock themselves out.
	me, _ := f.st.UserByName(context.Background(), "admin")
	if res := f.post(c, fmt.Sprintf("/users/%d/disable", me.ID), nil); res.StatusCode != http.StatusConflict {
		t.Errorf("self-disable: %d", res.StatusCode)
	}
	// Changing one's password signs out everywhere.
	zhang := f.login("zhang", staffPass)
	if res, body := f.postBody(zhang, "/password", url.Values{"current": {"nope"}, "password": {"new-pass-456"}, "repeat": {"new-pass-456"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "当前密码不正确") {
		t.Errorf("wrong current password: %d", res.StatusCode)
	}
	f.post(zhang, "/password", url.Values{"current": {staffPass}, "password": {"new-pass-456"}, "repeat": {"new-pass-456"}})
	if res, _ := f.get(zhang, "/"); res.StatusCode != http.StatusSeeOther {
		t.Error("old session survives a password change")
	}
	f.login("zhang", "new-pass-456")
}

type fakeDigests struct{ week string }

func (d *fakeDigests) Digests(_ context.Context, w reports.Week) ([]reports.Digest, reports.Summary, error) {
	d.week = w.String()
	return []reports.Digest{{Unit: "区卫健委", Email: "wjw@qxq.gov.cn", Subject: "【网站巡检周报】区卫健委 2026年第47周：待整改 1 项（新增 1 项）", NewCount: 1,
			HTML: "<html><body style=\"font-family:sans-serif\"><h1>区卫健委</h1></body></html>", Text: "区卫健委 周报"}},
		reports.Summary{HTML: "<html><body>汇总</body></html>", Text: "汇总"}, nil
}

func TestDigestsPage(t *testing.T) {
	d := &fakeDigests{}
	f := newFixture(t, func(o *Options) { o.Digests = d })
	if err := f.st.RecordDigest(context.Background(), "区教育局", "2026-W47", "jy@qxq.gov.cn", store.DigestFailed, "451 try later", f.ui.now()); err != nil {
		t.Fatal(err)
	}
	c := f.login("zhang", staffPass)
	res, body := f.get(c, "/digests?week=2026-W47")
	if res.StatusCode != 200 || d.week != "2026-W47" || !strings.Contains(body, "【网站巡检周报】区卫健委") || !strings.Contains(body, "451 try later") {
		t.Fatalf("digests page: %d", res.StatusCode)
	}
	res, body = f.get(c, "/digests/preview?week=2026-W47&unit="+url.QueryEscape("区卫健委"))
	if res.StatusCode != 200 || !strings.Contains(body, "<h1>区卫健委</h1>") || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'; style-src 'unsafe-inline'") {
		t.Errorf("preview: %d %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
	}
	if res, _ := f.get(c, "/digests/preview?week=2026-W47&unit=nobody"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown unit: %d", res.StatusCode)
	}
	if res, _ := f.get(c, "/digests?week=2026-W99"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad week: %d", res.StatusCode)
	}
	// The failed delivery is on the dashboard too.
	if _, body := f.get(c, "/"); !strings.Contains(body, "周报未送达") {
		t.Error("a failed digest is not shown on the dashboard")
	}
}

// The unit's row gives the count its subject gives: 待整改 is the new and
// the older unresolved issues together.
func TestDigestsPage_ToFixIsTheSubjectsCount(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Digests = &fakeDigests{} })
	_, body := f.get(f.login("zhang", staffPass), "/digests?week=2026-W47")
	row := regexp.MustCompile(`(?s)<td>区卫健委</td>.*?</tr>`).FindString(body)
	var nums []string
	for _, m := range regexp.MustCompile(`<td class="num">(\d+)</td>`).FindAllStringSubmatch(row, -1) {
		nums = append(nums, m[1])
	}
	// 新增, 待整改, 逾期, 本周整改: one new issue is one to fix.
	if strings.Join(nums, ",") != "1,1,0,0" || !strings.Contains(row, "待整改 1 项") {
		t.Errorf("counts %v in %s", nums, row)
	}
}

// The page says when the digests are not sent for want of the UI's full
// address, and otherwise where their links lead.
func TestDigestsPage_SaysWhenNotSentForWantOfLinkBase(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Digests = &fakeDigests{} })
	_, body := f.get(f.login("zhang", staffPass), "/digests?week=2026-W47")
	if !strings.Contains(body, `id="no-link-base"`) || !strings.Contains(body, "周报不会发送") {
		t.Error("no word that the digests are not sent without ui_base_url")
	}
	f = newFixture(t, func(o *Options) { o.Digests, o.DigestLinkBase = &fakeDigests{}, "http://xunjian.qxq.gov.cn:8080" })
	_, body = f.get(f.login("zhang", staffPass), "/digests?week=2026-W47")
	if strings.Contains(body, `id="no-link-base"`) || !strings.Contains(body, "http://xunjian.qxq.gov.cn:8080") {
		t.Error("with ui_base_url the page warns, or does not say where the links lead")
	}
}

func TestDashboard(t *testing.T) {
	f := newFixture(t)
	if _, err := f.st.JobStarted(context.Background(), "scan", f.ui.now()); err != nil {
		t.Fatal(err)
	}
	id, _ := f.st.JobStarted(context.Background(), "probe", f.ui.now())
	f.st.JobFinished(context.Background(), id, f.ui.now(), fmt.Errorf("dial tcp: connection refused"))
	c := f.login("zhang", staffPass)
	_, body := f.get(c, "/")
	for _, want := range []string{"单项否决风险", "严重表述错误", "新媒体不更新", `<svg class="chart"`, "定时任务失败", "connection refused", siteName, "政务新媒体账号 1 个"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	// Six findings, all new in the two latest scans.
	if !regexp.MustCompile(`<span class="n">6</span><span>未解决问题`).MatchString(body) || !regexp.MustCompile(`<span class="n">6</span><span>最近一次扫描新增`).MatchString(body) {
		t.Error("dashboard counts")
	}
	// Two probes, one failed: the probe table says which.
	ctx := context.Background()
	tid, _ := f.st.SyncTarget(ctx, store.Target{Name: siteName, URL: "http://www.qxq.gov.cn/"}, f.ui.now())
	for _, note := range []string{"", "首页探测失败：连接超时"} {
		pid, _ := f.st.StartScan(ctx, tid, store.KindProbe, f.ui.now())
		f.st.FinishScan(ctx, pid, tid, store.ScanResult{Status: store.ScanComplete, Pages: 1, Note: note}, f.ui.now())
	}
	_, body = f.get(c, "/scans")
	if !strings.Contains(body, "可用性探测") || !strings.Contains(body, "完整扫描") ||
		!strings.Contains(body, "<th>结果</th>") || !strings.Contains(body, "<td>可访问</td>") || !strings.Contains(body, "无法访问</span>") {
		t.Error("scans page: the probe table's result column")
	}
}

func TestEnglish(t *testing.T) {
	f := newFixture(t)
	c := f.login("zhang", staffPass)
	res := f.post(c, "/lang", url.Values{"lang": {"en"}, "back": {"/issues"}})
	if res.Header.Get("Location") != "/issues" {
		t.Fatalf("lang: %s", res.Header.Get("Location"))
	}
	_, body := f.get(c, "/issues")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Export this list") || !strings.Contains(body, "Serious wording error") {
		t.Error("English page")
	}
}

// Every Chinese string the templates and handlers show has an English
// translation.
func TestEnglishCatalogComplete(t *testing.T) {
	en, err := english()
	if err != nil {
		t.Fatal(err)
	}
	han := regexp.MustCompile(`\p{Han}`)
	var missing []string
	check := func(where, s string) {
		if han.MatchString(s) && en[s] == "" {
			missing = append(missing, where+": "+s)
		}
	}
	tmplCall := regexp.MustCompile(`[{(]\s*tf?\s+"((?:[^"\\]|\\.)*)"`)
	entries, _ := templateFiles.ReadDir("templates")
	for _, e := range entries {
		data, _ := templateFiles.ReadFile("templates/" + e.Name())
		for _, m := range tmplCall.FindAllStringSubmatch(string(data), -1) {
			check(e.Name(), m[1])
		}
	}
	goCall := regexp.MustCompile(`(?:text\(langOf\(r\), |format\(langOf\(r\), |flash\(w, r, |fail\(w, r, u, [^,]+, |retry\(|, done = [^\n]*?, |done = |\bt\(|msgf\(|note[A-Za-z]* += )"((?:[^"\\]|\\.)*)"`)
	files, _ := os.ReadDir(".")
	for _, e := range files {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		data, _ := os.ReadFile(e.Name())
		for _, m := range goCall.FindAllStringSubmatch(string(data), -1) {
			check(e.Name(), m[1])
		}
	}
	for _, s := range store.Statuses {
		check("status", s.Label())
	}
	for _, s := range store.ScanStatuses {
		check("scan status", s.Label())
	}
	check("collapsed scan", store.CollapseFormat)
	for _, n := range append(store.SystemNotes, store.NoteAssigned, store.NoteDeadline) {
		check("history note", n)
	}
	check("scan refused", store.ScanningFormat)
	for _, m := range missing {
		t.Errorf("no English for %s", m)
	}
}

// Each English translation fills in what its Chinese fills in, in order; a
// translation with a singular and a plural (one|many) does so in both.
func TestEnglishCatalog_FormatsMatch(t *testing.T) {
	en, err := english()
	if err != nil {
		t.Fatal(err)
	}
	verb := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	verbs := func(s string) string { return strings.Join(verb.FindAllString(s, -1), " ") }
	for zh, tr := range en {
		forms := strings.Split(tr, "|")
		if len(forms) > 2 || (len(forms) == 2 && !strings.Contains(zh, "%d")) {
			t.Errorf("%s: %q has %d forms; one|many needs a count", zh, tr, len(forms))
		}
		for _, f := range forms {
			if verbs(f) != verbs(zh) {
				t.Errorf("%s (%s) → %q (%s)", zh, verbs(zh), f, verbs(f))
			}
		}
	}
}

func TestSettingsPage(t *testing.T) {
	f := newFixture(t, func(o *Options) {
		o.Settings = []Setting{{Group: "检查阈值", Name: "首页更新", Value: "14 天内须有新信息"}, {Group: "计划任务", Name: "时区", Value: "Asia/Shanghai"}}
		o.SettingsFile = "/etc/xunjian/xunjian.yaml"
	})
	c := f.login("admin", adminPass)
	_, body := f.get(c, "/settings")
	for _, want := range []string{"14 天内须有新信息", "Asia/Shanghai", "/etc/xunjian/xunjian.yaml", "检查阈值"} {
		if !strings.Contains(body, want) {
			t.Errorf("settings page lacks %q", want)
		}
	}
	f.post(c, "/lang", url.Values{"lang": {"en"}})
	if _, body := f.get(c, "/settings"); !strings.Contains(body, "Thresholds") || !strings.Contains(body, "Home page updates") {
		t.Error("settings page in English")
	}
}

func TestStats(t *testing.T) {
	f := newFixture(t)
	c := f.login("zhang", staffPass)
	if err := f.st.SetStatus(context.Background(), f.issueID("按装"), store.StatusIgnored, "zhang", "误报", f.ui.now()); err != nil {
		t.Fatal(err)
	}
	year := f.ui.now().In(f.ui.loc).Year()
	res, body := f.get(c, "/stats")
	if res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf("年度统计 <small>%d</small>", year)) {
		t.Fatalf("stats: %d", res.StatusCode)
	}
	// Six found this year, one ignored, five still open.
	for _, want := range []string{`<span class="n">6</span><span>发现问题`, `<span class="n">1</span><span>忽略（误报）`, `<span class="n">5</span><span>其中至今未解决`, "区委宣传部", "错别字"} {
		if !strings.Contains(body, want) {
			t.Errorf("stats page lacks %q", want)
		}
	}
	res, body = f.get(c, "/stats/export.xlsx?year="+fmt.Sprint(year))
	rows, err := attachment.Rows("s.xlsx", []byte(body))
	if res.StatusCode != 200 || err != nil || len(rows) < 5 || rows[2][0] != "问题类别" {
		t.Fatalf("export: %d %v %v", res.StatusCode, err, rows)
	}
	// Nothing verified yet: the median is "—", as on the page, not 0.0.
	if last := rows[len(rows)-1]; last[0] != "整改用时中位数（天）" || last[1] != "—" {
		t.Errorf("median row %q", last)
	}
	if res, _ := f.get(c, "/stats?year=abc"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad year: %d", res.StatusCode)
	}
	_, body = f.get(c, fmt.Sprintf("/stats?year=%d", year-1))
	if !strings.Contains(body, "这一年没有记录") {
		t.Error("an empty year")
	}
}

// Junk in any parameter is a clear 4xx or a page, never a 500 or a panic.
func TestJunkInput(t *testing.T) {
	f := newFixture(t)
	c := f.login("admin", adminPass)
	junk := []string{"", "-5", "99999999999999999999999", "';DROP TABLE issues;--", "%00", "<script>", "2026-13-45", "\u202e", strings.Repeat("按", 5000)}
	for _, j := range junk {
		v := url.QueryEscape(j)
		for _, p := range []string{
			"/issues?page=" + v, "/issues?sort=" + v, "/issues?desc=" + v, "/issues?q=" + v, "/issues?from=" + v, "/issues?to=" + v,
			"/issues?kind=" + v, "/issues?status=" + v, "/issues?owner=" + v, "/issues?target=" + v, "/issues?severity=" + v,
			"/issues/export.csv?category=" + v, "/issues/" + v, "/targets/" + v + "/edit", "/digests?week=" + v,
			"/digests/preview?unit=" + v, "/stats?year=" + v, "/login?next=" + v,
		} {
			res, _ := f.get(c, p)
			if res.StatusCode >= 500 {
				t.Errorf("GET %.80s: %d", p, res.StatusCode)
			}
		}
		for _, p := range []string{"/issues/1/" + v, "/issues/bulk", "/targets", "/users", "/issues/1/assign", "/lang", "/password"} {
			res, _ := f.postBody(c, p, url.Values{"id": {j, "1"}, "action": {j}, "owner": {j}, "deadline": {j}, "note": {j}, "reason": {j},
				"kind": {j}, "name": {j}, "url": {j}, "source": {j}, "source_kind": {j}, "role": {j}, "lang": {j}, "back": {j}, "return": {j}})
			if res.StatusCode >= 500 {
				t.Errorf("POST %.80s with %.20q: %d", p, j, res.StatusCode)
			}
		}
	}
}

// An owner account (a unit) sees, exports and acts on its own issues only,
// and nothing of the staff's pages.
func TestOwnerAccount(t *testing.T) {
	f := newFixture(t)
	c := f.login("wjw", ownerPass)
	own, other := f.issueID("notice.html"), f.issueID("按装") // 区卫健委's dead link; 区政府办公室's typo
	if res, _ := f.get(c, "/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/issues" {
		t.Errorf("owner's start page: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	for _, p := range []string{"/issues", "/issues?owner=" + url.QueryEscape("区政府办公室"), "/issues?status=all&owner=-"} {
		_, body := f.get(c, p)
		if !strings.Contains(body, "notice.html") || strings.Contains(body, "按装") || strings.Contains(body, "最近发布") {
			t.Errorf("%s shows other units' issues or not its own", p)
		}
		if strings.Contains(body, `id="bulk-action"`) {
			t.Errorf("%s offers bulk actions to an owner", p)
		}
	}
	if _, body := f.get(c, "/issues/export.csv?status=all"); strings.Contains(body, "按装") || !strings.Contains(body, "notice.html") {
		t.Error("the owner's export holds other units' issues")
	}
	if res, _ := f.get(c, fmt.Sprintf("/issues/%d", other)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another unit's issue: %d", res.StatusCode)
	}
	_, body := f.get(c, fmt.Sprintf("/issues/%d", own))
	if !strings.Contains(body, fmt.Sprintf(`action="/issues/%d/fix"`, own)) || strings.Contains(body, "/ignore") || strings.Contains(body, "/assign") {
		t.Error("the owner's issue page offers the wrong actions")
	}
	if res := f.post(c, fmt.Sprintf("/issues/%d/fix", other), url.Values{"note": {"x"}}); res.StatusCode != http.StatusNotFound || f.issue(other).Status != "open" {
		t.Errorf("fixing another unit's issue: %d %s", res.StatusCode, f.issue(other).Status)
	}
	if res := f.post(c, fmt.Sprintf("/issues/%d/ignore", own), url.Values{"note": {"不想改"}}); res.StatusCode != http.StatusForbidden || f.issue(own).Status != "open" {
		t.Errorf("an owner ignoring: %d %s", res.StatusCode, f.issue(own).Status)
	}
	if res := f.post(c, fmt.Sprintf("/issues/%d/fix", own), url.Values{"note": {"已删除失效链接"}}); res.StatusCode != http.StatusSeeOther || f.issue(own).Status != "fixed" {
		t.Errorf("an owner fixing its issue: %d %s", res.StatusCode, f.issue(own).Status)
	}
	// Every staff and admin route refuses an owner.
	staffRoutes := f.routeRequests(func(a int) bool { return a != everyone })
	if len(staffRoutes) == 0 {
		t.Fatal("no staff route to try")
	}
	for _, rq := range staffRoutes {
		if res := f.send(c, rq[0], rq[1], "id=1&action=ignore&reason=x&name=x&role=admin", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("owner %s %s: %d", rq[0], rq[1], res.StatusCode)
		}
	}
	if st := f.issue(other).Status; st != "open" {
		t.Errorf("another unit's issue became %s", st)
	}
}

// An owner account's filters list only the targets holding its unit's
// issues, and no other unit's name.
func TestOwnerAccount_FiltersListItsOwnTargets(t *testing.T) {
	f := newFixture(t)
	scanTarget(t, f.st, store.Target{Name: "区教育局网站", URL: "http://jyj.example/", Owner: "区教育局"}, f.ui.now(),
		checks.Finding{Category: checks.Typo, Severity: checks.Medium, URL: "http://jyj.example/a.html", Evidence: "再接再励",
			Message: "疑似错别字：“再接再励”应为“再接再厉”", Rule: "typo.T009", Owner: "区教育局"})
	c := f.login("wjw", ownerPass)
	for _, p := range []string{"/issues", "/issues?status=all", fmt.Sprintf("/issues/%d", f.issueID("notice.html"))} {
		_, body := f.get(c, p)
		for _, other := range []string{accountName, "区教育局网站", "区委宣传部", "区教育局", "区政府办公室"} {
			if strings.Contains(body, other) {
				t.Errorf("%s shows the owner account %q", p, other)
			}
		}
	}
	_, body := f.get(c, "/issues")
	sel := regexp.MustCompile(`(?s)<select name="target">(.*?)</select>`).FindStringSubmatch(body)
	if sel == nil || !strings.Contains(sel[1], `<option value="`+siteName+`"`) {
		t.Errorf("the owner's own target is not offered: %v", sel)
	}
	// Staff see every target.
	_, body = f.get(f.login("zhang", staffPass), "/issues")
	for _, name := range []string{siteName, accountName, "区教育局网站"} {
		if !strings.Contains(body, `<option value="`+name+`"`) {
			t.Errorf("staff are not offered %q", name)
		}
	}
}

func TestAddOwnerAccount(t *testing.T) {
	f := newFixture(t)
	c := f.login("admin", adminPass)
	if res, body := f.postBody(c, "/users", url.Values{"name": {"jyj"}, "role": {"owner"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "须填写单位名称") {
		t.Errorf("owner without a unit: %d", res.StatusCode)
	}
	_, body := f.postBody(c, "/users", url.Values{"name": {"jyj"}, "role": {"owner"}, "unit": {"区教育局"}})
	if !strings.Contains(body, "责任单位：区教育局") {
		t.Error("the new owner account is not listed with its unit")
	}
}

// Assigned without a deadline, an issue gets its severity's default in
// working days — on the detail page's form, from the form and in bulk.
func TestAssign_DefaultDeadlineBySeverity(t *testing.T) {
	monday := time.Date(2026, 11, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	f := newFixture(t, func(o *Options) {
		o.DeadlineDays = map[string]int{"high": 3, "medium": 10, "low": 20}
		o.Now = func() time.Time { return monday }
	})
	c := f.login("zhang", staffPass)
	typo := f.issueID("按装")         // medium: 10 working days from Monday 30 Nov is Monday 14 Dec
	serious := f.issueID("中华人民共合国") // high: 3 working days is Thursday 3 Dec
	_, body := f.get(c, fmt.Sprintf("/issues/%d", typo))
	if !strings.Contains(body, `name="deadline" min="2026-11-30" value="2026-12-14"`) {
		t.Errorf("the form does not offer the default deadline")
	}
	if res := f.post(c, fmt.Sprintf("/issues/%d/assign", typo), url.Values{"owner": {"区教育局"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", res.StatusCode)
	}
	if is := f.issue(typo); is.Deadline != "2026-12-14" {
		t.Errorf("medium: deadline %q", is.Deadline)
	}
	res := f.post(c, "/issues/bulk", url.Values{"action": {"assign"}, "owner": {"区委宣传部"}, "id": {fmt.Sprint(serious)}, "back": {"/issues"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bulk assign: %d", res.StatusCode)
	}
	if is := f.issue(serious); is.Deadline != "2026-12-03" || is.Owner != "区委宣传部" {
		t.Errorf("high, in bulk: %+v", is)
	}
}

// Personal data in a spreadsheet: the highlight is on the masked number,
// not on the sheet's name in quotation marks.
func TestIssueDetail_PersonalDataHighlight(t *testing.T) {
	f := newFixture(t)
	scanTarget(t, f.st, store.Target{Name: siteName, URL: "http://www.qxq.gov.cn/"}, f.ui.now(), checks.Finding{
		Category: checks.PrivacyLeak, Severity: checks.High, URL: "http://www.qxq.gov.cn/f/list.xlsx", Rule: checks.RulePersonalDataFile,
		Evidence: "［工作表“名册”］张某 110105********002X", Message: "附件中疑似公开了个人信息 2 处（身份证号 2 个）"})
	c := f.login("zhang", staffPass)
	_, body := f.get(c, fmt.Sprintf("/issues/%d", f.issueID("110105********002X")))
	if !strings.Contains(body, "<mark>110105********002X</mark>") || strings.Contains(body, "<mark>名册</mark>") {
		t.Errorf("highlight wrong:\n%s", body[strings.Index(body, "问题内容"):][:400])
	}
}

// The detail page shows the passage as found (快照) and the page's title,
// column and date as the last scan read them.
func TestIssueDetail_Context(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := f.ui.now()
	id, _ := f.st.SyncTarget(ctx, store.Target{Name: siteName, URL: "http://www.qxq.gov.cn/"}, at)
	scanID, _ := f.st.StartScan(ctx, id, store.KindCrawl, at)
	_, err := f.st.FinishScan(ctx, scanID, id, store.ScanResult{Status: store.ScanPartial,
		PageRows: []store.PageRow{{URL: "http://www.qxq.gov.cn/xwzx/a.html", Status: 200, Title: "关于开展冬季安全检查的通知", Column: "通知公告", Published: "2026-11-20"}},
		Findings: []checks.Finding{{Category: checks.Typo, Severity: checks.Medium, URL: "http://www.qxq.gov.cn/xwzx/a.html", Evidence: "消除安全引患",
			Message: "疑似错别字：“引患”可能应为“隐患”", Rule: "typo.suspect", Snapshot: "各街道要加强巡查，及时消除安全引患，确保群众安全过冬。"}}}, at)
	if err != nil {
		t.Fatal(err)
	}
	c := f.login("zhang", staffPass)
	_, body := f.get(c, fmt.Sprintf("/issues/%d", f.issueID("消除安全引患")))
	for _, want := range []string{"发现时的原文（快照）", "各街道要加强巡查，及时消除安全引患，确保群众安全过冬。", "关于开展冬季安全检查的通知", "通知公告", "2026-11-20"} {
		if !strings.Contains(body, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
}

// The English UI says no Chinese of its own: no 管理员 in parentheses, no
// Chinese full stop after English, plurals that agree, history notes the
// system wrote in English; what people and the crawled pages wrote stays
// as written.
func TestEnglish_NoChineseLeftovers(t *testing.T) {
	allow := &fakeAllow{}
	f := newFixture(t, func(o *Options) { o.Allow = allow })
	ctx := context.Background()
	typo, serious := f.issueID("按装"), f.issueID("中华人民共合国")
	if err := f.st.Assign(ctx, typo, "区教育局", "2099-12-31", "zhang", "请本周内更正", f.ui.now()); err != nil {
		t.Fatal(err)
	}
	c := f.login("admin", adminPass)
	f.post(c, fmt.Sprintf("/issues/%d/ignore", serious), url.Values{"note": {"引用原文"}, "allow": {"all"}})
	f.post(c, "/lang", url.Values{"lang": {"en"}})

	_, body := f.get(c, fmt.Sprintf("/issues/%d", typo))
	for _, want := range []string{"admin (administrator)", "(seen by 1 scan)", "found by a scan", "assigned to 区教育局, deadline 2099-12-31; 请本周内更正"} {
		if !strings.Contains(body, want) {
			t.Errorf("issue page lacks %q", want)
		}
	}
	if _, body := f.get(c, fmt.Sprintf("/issues/%d", serious)); !strings.Contains(body, "“中华人民共合国” added to the allowlist (never flagged anywhere)") {
		t.Error("the allowlist's note is not in English")
	}
	if _, body := f.get(c, "/"); !strings.Contains(body, "New-media accounts: 1, last read ") || strings.Contains(body, "。") {
		t.Error("the dashboard's accounts line")
	}
	if _, body := f.get(c, "/issues?category=nonsense"); !strings.Contains(body, `Unknown category &#34;nonsense&#34;`) {
		t.Error("the list's error is not in English")
	}

	// Every page, the crawled and typed words taken out, has no Chinese.
	var data []string
	for _, fd := range seedFindings() {
		data = append(data, fd.Evidence, fd.Message)
		for _, r := range fd.Refs {
			data = append(data, r.Anchor)
		}
	}
	data = append(data, siteName, accountName, "区委宣传部", "区卫健委", "区教育局", "区政府办公室", "请本周内更正", "引用原文",
		"中华人民共合国", "按装", "最近发布 2026-10-01", "账号已 57 天未更新（要求 14 天内）", "中文")
	tags := regexp.MustCompile(`(?s)<script.*?</script>|<[^>]*>`)
	unmark := strings.NewReplacer("<mark>", "", "</mark>", "") // the term highlighted in the evidence
	chinese := regexp.MustCompile(`[\p{Han}（）：。；、，]+`)
	pages := []string{"/", "/issues", "/issues?status=all", "/scans", "/stats", "/users", "/password"}
	list, _ := f.st.Issues(ctx, store.Filter{})
	for _, is := range list {
		pages = append(pages, fmt.Sprintf("/issues/%d", is.ID))
	}
	for _, p := range pages {
		_, body := f.get(c, p)
		text := html.UnescapeString(tags.ReplaceAllString(unmark.Replace(body), "\n"))
		for _, d := range data {
			text = strings.ReplaceAll(text, d, "")
		}
		for _, line := range strings.Split(text, "\n") {
			if chinese.MatchString(line) {
				t.Errorf("%s: %q", p, strings.TrimSpace(line))
			}
		}
	}
}
