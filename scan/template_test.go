package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A small section whose menu shows on two pages only: too few for the
// template learning, so its empty column looks full of menu links. The
// operator's chrome selector for the site fixes that.
func TestRun_ChromeSelectorsForATemplateTheLearningMisses(t *testing.T) {
	menu := `<div class="qx-col"><ul><li><a href="/a/">通知公告</a></li><li><a href="/b/">人事信息</a></li></ul></div>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><body><div class="main"><ul><li><a href="/a/x.html">关于做好冬季安全生产工作的通知</a> 2026-11-25</li></ul><a href="/a/">通知公告</a> <a href="/b/">人事信息</a></div></body></html>`)
		case "/a/":
			fmt.Fprint(w, `<html><head><meta name="ColumnName" content="通知公告"></head><body>`+menu+`<div class="list"><ul><li><a href="x.html">关于做好冬季安全生产工作的通知</a> 2026-11-25</li></ul></div></body></html>`)
		case "/b/":
			fmt.Fprint(w, `<html><head><meta name="ColumnName" content="人事信息"></head><body>`+menu+`<div class="list"></div></body></html>`)
		case "/a/x.html":
			fmt.Fprint(w, `<html><head><meta name="PubDate" content="2026-11-25"></head><body><p>正文</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	empty := func(chrome []string) bool {
		t.Helper()
		st := tempStore(t)
		rep, err := Run(context.Background(), st, Site{Name: "测试区", URL: srv.URL + "/", Chrome: chrome}, options())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range rep.Columns {
			if strings.HasSuffix(c.URL, "/b/") {
				return c.Empty
			}
		}
		t.Fatalf("no column /b/ in %+v", rep.Columns)
		return false
	}
	if empty(nil) {
		t.Fatalf("the menu on two pages is learnt as template: the test proves nothing")
	}
	if !empty([]string{"div.qx-col"}) {
		t.Errorf("with the chrome selector, 人事信息 is still not empty")
	}
	st := tempStore(t)
	if _, err := Run(context.Background(), st, Site{Name: "测试区", URL: srv.URL + "/", Chrome: []string{"div[class="}}, options()); err == nil || !strings.Contains(err.Error(), "div[class=") {
		t.Errorf("a bad selector: %v", err)
	}
}
