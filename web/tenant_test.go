package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// A city's database holds two districts: 青溪区 (the fixture's targets)
// and 东湖区. A 青溪区 staff account sees, counts, exports and acts on
// 青溪区's targets and issues only; another district's issue is "not
// found", and the pages that sum up every district are refused. The
// city's own staff (no tenant) see both.
func TestTenantAccount(t *testing.T) {
	allow := &fakeAllow{}
	f := newFixture(t, func(o *Options) { o.Allow = allow })
	ctx := context.Background()
	const other = "东湖区人民政府网站"
	scanTarget(t, f.st, store.Target{Name: other, URL: "http://www.dh.gov.cn/", Owner: "东湖区政府办公室", Tenant: "东湖区"}, f.ui.now(),
		checks.Finding{Category: checks.Typo, Severity: checks.Medium, URL: "http://www.dh.gov.cn/a.html", Evidence: "再接再励",
			Message: "疑似错别字：“再接再励”应为“再接再厉”", Rule: "typo.T009", Owner: "东湖区政府办公室"})
	if _, err := f.st.SetTenant(ctx, "青溪区"); err != nil { // the fixture's district, migrated in
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte(staffPass), bcrypt.MinCost)
	for _, u := range []store.User{{Name: "dh", Role: store.RoleStaff, Tenant: "东湖区"}, {Name: "city", Role: store.RoleStaff}} {
		u.PasswordHash = string(hash)
		if _, err := f.st.AddUser(ctx, u, f.ui.now()); err != nil {
			t.Fatal(err)
		}
	}
	otherIssue, ownIssue := f.issueID("再接再励"), f.issueID("按装")

	c := f.login("dh", staffPass)
	for _, p := range []string{"/", "/issues", "/issues?status=all", "/issues?target=" + url.QueryEscape(siteName), "/targets", "/scans",
		"/issues/export.csv?status=all", fmt.Sprintf("/issues/%d", otherIssue)} {
		res, body := f.get(c, p)
		if res.StatusCode != http.StatusOK {
			t.Errorf("东湖区 staff %s: %d", p, res.StatusCode)
			continue
		}
		if strings.Contains(body, siteName) || strings.Contains(body, "按装") || strings.Contains(body, accountName) {
			t.Errorf("东湖区 staff's %s shows 青溪区's targets or issues", p)
		}
		if strings.Contains(body, "区卫健委") || strings.Contains(body, "区委宣传部") {
			t.Errorf("东湖区 staff's %s names 青溪区's units", p)
		}
	}
	if _, body := f.get(c, "/issues"); !strings.Contains(body, "再接再励") {
		t.Error("东湖区 staff do not see their own issue")
	}
	if res, _ := f.get(c, fmt.Sprintf("/issues/%d", ownIssue)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another district's issue: %d, want 404", res.StatusCode)
	}
	for _, p := range []string{"/assessment", "/stats", "/digests"} {
		if res, body := f.get(c, p); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "仅限不限辖区的监测人员") {
			t.Errorf("东湖区 staff %s: %d, want 403 saying why", p, res.StatusCode)
		}
	}
	// Bulk and single actions on another district's issue change nothing.
	f.post(c, "/issues/bulk", url.Values{"id": {fmt.Sprint(ownIssue)}, "action": {"ignore"}, "reason": {"x"}})
	if res := f.post(c, fmt.Sprintf("/issues/%d/confirm", ownIssue), url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("confirming another district's issue: %d", res.StatusCode)
	}
	if st := f.issue(ownIssue).Status; st != "open" {
		t.Errorf("another district's issue became %s", st)
	}

	// The allowlist is every district's: a district's staff allow a term on
	// their own page only, whatever the form asks.
	f.post(c, fmt.Sprintf("/issues/%d/ignore", otherIssue), url.Values{"note": {"引用原文"}, "allow": {"all"}})
	if len(allow.terms) != 1 || !strings.HasSuffix(allow.terms[0], "\thttp://www.dh.gov.cn/a.html") {
		t.Errorf("a district's staff allowed %q, want the term on its page only", allow.terms)
	}

	// The city's staff (no tenant) see both districts; the fixture's own
	// staff, migrated in with 青溪区, see 青溪区 only.
	city := f.login("city", staffPass)
	for _, id := range []int64{ownIssue, otherIssue} {
		if res, _ := f.get(city, fmt.Sprintf("/issues/%d", id)); res.StatusCode != http.StatusOK {
			t.Errorf("the city's staff open issue %d: %d", id, res.StatusCode)
		}
	}
	if res, _ := f.get(f.login("zhang", staffPass), fmt.Sprintf("/issues/%d", otherIssue)); res.StatusCode != http.StatusNotFound {
		t.Errorf("青溪区's staff open 东湖区's issue: %d", res.StatusCode)
	}
}
