package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

// The seeded district: a site with a typo, a dead link, a serious error,
// crawled text carrying script payloads and a spreadsheet formula, and an
// account that stopped posting.
const (
	siteName    = "青溪区人民政府"
	accountName = "青溪发布"
	adminPass   = "admin-pass-123"
	staffPass   = "zhang-pass-123"
	ownerPass   = "wjw-pass-123" // 区卫健委's owner account
)

// xssEvidence is crawled text that would run if it were rendered as HTML,
// or expanded if it reached a template as template source.
const xssEvidence = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">{{.User}}`

func seedFindings() []checks.Finding {
	return []checks.Finding{
		{Category: checks.Typo, Severity: checks.Medium, URL: "http://www.qxq.gov.cn/xwzx/a.html", Evidence: "请及时按装最新版本的客户端",
			Message: "疑似错别字：“按装”应为“安装”", Rule: "typo.T001", Owner: "区政府办公室"},
		{Category: checks.DeadLink, Severity: checks.Medium, URL: "http://www.qxq.gov.cn/", Evidence: "http://www.qxq.gov.cn/old/notice.html",
			Message: "链接无法访问：HTTP 404（页面不存在）；链接文字“通知”", Rule: "dead_link.page", Owner: "区卫健委",
			Refs: []checks.Ref{{Page: "http://www.qxq.gov.cn/", Anchor: "关于做好冬季防疫的通知", OnHome: true}, {Page: "http://www.qxq.gov.cn/xwzx/", Anchor: "通知"}}},
		{Category: checks.SeriousError, Severity: checks.High, URL: "http://www.qxq.gov.cn/xwzx/b.html", Evidence: "根据中华人民共合国宪法",
			Message: "严重表述错误：“中华人民共合国”应为“中华人民共和国”", Rule: "serious_error.S001", Owner: "区政府办公室"},
		{Category: checks.SensitiveWord, Severity: checks.Low, Suspected: true, URL: "javascript:window.__xss=4", Evidence: xssEvidence,
			Message: "慎用表述“<script>window.__xss=3</script>”", Rule: "sensitive_word.X1", Owner: "区政府办公室"},
		{Category: checks.Punctuation, Severity: checks.Low, URL: "http://www.qxq.gov.cn/xwzx/c.html", Evidence: `=HYPERLINK("http://evil.example/","点击")`,
			Message: "半角标点", Rule: "punctuation.halfwidth", Owner: "区政府办公室"},
	}
}

type fixture struct {
	t   *testing.T
	st  *store.Store
	ui  *Server
	srv *httptest.Server
	db  string // the database: a file, or a PostgreSQL schema (storetest.Database)
}

// newFixture serves the UI over a real SQLite file with the seeded
// district and three users: admin (administrator), zhang (staff) and wjw
// (the owner account of 区卫健委).
func newFixture(t *testing.T, opts ...func(*Options)) *fixture {
	t.Helper()
	return newFixtureWith(t, store.Options{}, opts...)
}

// newFixtureWith is newFixture over a database opened with so.
func newFixtureWith(t *testing.T, so store.Options, opts ...func(*Options)) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.Database(t)
	st, err := store.OpenWith(ctx, db, so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Now().Add(-time.Hour)
	scanTarget(t, st, store.Target{Name: siteName, URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室"}, now, seedFindings()...)
	scanTarget(t, st, store.Target{Name: accountName, Kind: "account", URL: "http://mp.example/qingxi", Owner: "区委宣传部",
		Platform: "微信公众号", SourceKind: "feed", Source: "http://mp.example/qingxi.xml"}, now,
		checks.Finding{Category: checks.StaleAccount, Severity: checks.High, URL: "http://mp.example/qingxi", Evidence: "最近发布 2026-10-01",
			Message: "账号已 57 天未更新（要求 14 天内）", Rule: "stale_account.stale", Owner: "区委宣传部"})
	for _, u := range []struct{ name, pass, role, unit string }{{"admin", adminPass, store.RoleAdmin, ""}, {"zhang", staffPass, store.RoleStaff, ""},
		{"wjw", ownerPass, store.RoleOwner, "区卫健委"}} {
		hash, _ := bcrypt.GenerateFromPassword([]byte(u.pass), bcrypt.MinCost)
		if _, err := st.AddUser(ctx, store.User{Name: u.name, PasswordHash: string(hash), Role: u.role, Unit: u.unit}, now); err != nil {
			t.Fatal(err)
		}
	}
	o := Options{Store: st, Location: config.OfficeZone(), Register: patrol.Register{}, BcryptCost: bcrypt.MinCost, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, f := range opts {
		f(&o)
	}
	ui, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ui.Handler())
	t.Cleanup(srv.Close)
	return &fixture{t: t, st: st, ui: ui, srv: srv, db: db}
}

func scanTarget(t testing.TB, st *store.Store, target store.Target, at time.Time, fs ...checks.Finding) {
	t.Helper()
	storetest.Scan(t, st, target, at, fs...)
}

// client is a browser-like client with its own cookies that does not
// follow redirects (tests look at them).
func (f *fixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs a new client in.
func (f *fixture) login(name, pass string) *http.Client {
	f.t.Helper()
	c := f.client()
	res := f.post(c, "/login", url.Values{"name": {name}, "password": {pass}})
	if res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("login %s: %d", name, res.StatusCode)
	}
	return c
}

func (f *fixture) get(c *http.Client, path string) (*http.Response, string) {
	f.t.Helper()
	res, err := c.Get(f.srv.URL + path)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (f *fixture) post(c *http.Client, path string, form url.Values) *http.Response {
	f.t.Helper()
	res, err := c.PostForm(f.srv.URL+path, form)
	if err != nil {
		f.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// postBody posts and returns the page that answers.
func (f *fixture) postBody(c *http.Client, path string, form url.Values) (*http.Response, string) {
	f.t.Helper()
	res, err := c.PostForm(f.srv.URL+path, form)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// issueID finds a seeded issue by a piece of its evidence.
func (f *fixture) issueID(evidence string) int64 {
	f.t.Helper()
	list, err := f.st.Issues(context.Background(), store.Filter{})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, is := range list {
		if strings.Contains(is.Evidence, evidence) {
			return is.ID
		}
	}
	f.t.Fatalf("no issue with evidence %q", evidence)
	return 0
}

func (f *fixture) issue(id int64) store.Issue {
	f.t.Helper()
	is, err := f.st.Issue(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return is
}

// send makes a form request with extra headers; the response's body is
// read and closed.
func (f *fixture) send(c *http.Client, method, path, form string, headers map[string]string) *http.Response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(form))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// routeRequests are a request (method, path) for each sample path of every
// protected route whose access keep keeps: {id} is 1, {action} each action
// the route knows.
func (f *fixture) routeRequests(keep func(access int) bool) [][2]string {
	var out [][2]string
	for _, r := range f.ui.protected() {
		if !keep(r.access) {
			continue
		}
		method, path, _ := strings.Cut(r.pattern, " ")
		path = strings.ReplaceAll(strings.ReplaceAll(path, "{$}", ""), "{id}", "1")
		actions := []string{""}
		switch {
		case strings.HasPrefix(path, "/users/"):
			actions = []string{"reset", "disable", "enable", "admin", "staff"}
		case strings.Contains(path, "{action}"):
			actions = []string{"confirm", "assign", "fix", "ignore", "reopen", "comment"}
		}
		for _, a := range actions {
			out = append(out, [2]string{method, strings.ReplaceAll(path, "{action}", a)})
		}
	}
	return out
}
