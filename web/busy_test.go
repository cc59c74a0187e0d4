package web

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

// lock holds the database's write lock from another connection — another
// process saving a scan — until the returned function is called.
func (f *fixture) lock() func() {
	f.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+f.db+"?_txlock=exclusive")
	if err != nil {
		f.t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE targets SET updated_at = updated_at`); err != nil {
		f.t.Fatal(err)
	}
	done := false
	release := func() {
		if !done {
			done = true
			tx.Rollback()
			db.Close()
		}
	}
	f.t.Cleanup(release)
	return release
}

// busyFixture is the UI over a database that waits 200 ms for a lock, with
// a clock the test moves.
func busyFixture(t *testing.T) (*fixture, *atomic.Int64) {
	if store.IsPostgres(storetest.Database(t)) {
		t.Skip("SQLite only: another process's lock on the file")
	}
	var offset atomic.Int64
	f := newFixtureWith(t, store.Options{BusyTimeout: 200 * time.Millisecond}, func(o *Options) {
		o.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	})
	return f, &offset
}

// A database locked by another process past the busy timeout signs nobody
// out: a page whose session is due its refresh is still served (the
// refresh waits for the next request), and a change answers 503 系统繁忙
// with what was typed — not 401, not a bare 500. Afterwards the same
// session works.
func TestBusyDatabase_WriteLockKeepsSessionsAndForms(t *testing.T) {
	f, clock := busyFixture(t)
	c := f.login("zhang", staffPass)
	admin := f.login("admin", adminPass)
	clock.Store(int64(10 * time.Minute)) // every session is due its refresh
	release := f.lock()

	res, body := f.get(c, "/")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "zhang") {
		t.Errorf("GET / during the lock: %d at %s", res.StatusCode, res.Header.Get("Location"))
	}
	id := f.issueID("按装")
	res, body = f.postBody(c, fmt.Sprintf("/issues/%d/comment", id), url.Values{"note": {"已电话联系网站管理员"}})
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "系统繁忙，请稍后再试") || !strings.Contains(body, "已电话联系网站管理员") {
		t.Errorf("comment during the lock: %d, body has the note: %v", res.StatusCode, strings.Contains(body, "已电话联系网站管理员"))
	}
	res, body = f.postBody(c, fmt.Sprintf("/issues/%d/assign", id), url.Values{"owner": {"区教育局"}, "deadline": {"2099-12-31"}, "note": {"本周内"}})
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, `value="区教育局"`) || !strings.Contains(body, `value="2099-12-31"`) {
		t.Errorf("assign during the lock: %d", res.StatusCode)
	}
	res, body = f.postBody(admin, "/targets", url.Values{"kind": {"site"}, "name": {"青溪区教育局"}, "url": {"http://jyj.qxq.gov.cn/"}, "enabled": {"1"}})
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "系统繁忙") || !strings.Contains(body, "http://jyj.qxq.gov.cn/") {
		t.Errorf("add a target during the lock: %d", res.StatusCode)
	}
	// Any other change: the busy page, with the way back.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/targets/1/disable", nil)
	req.Header.Set("Referer", f.srv.URL+"/targets")
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(page), "系统繁忙，请稍后再试") || !strings.Contains(string(page), `href="/targets"`) || !strings.Contains(string(page), "admin") {
		t.Errorf("pause during the lock: %d\n%s", res.StatusCode, page)
	}
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			t.Errorf("the busy answer touched the session cookie: %+v", ck)
		}
	}

	release()
	if res, _ := f.get(c, "/issues"); res.StatusCode != http.StatusOK {
		t.Errorf("after the lock: %d at %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := f.post(c, fmt.Sprintf("/issues/%d/comment", id), url.Values{"note": {"已电话联系网站管理员"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("comment after the lock: %d", res.StatusCode)
	}
}
