package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xunjian/xunjian/store"
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

// A column's own list, repeated in its articles' 本栏目文章 sidebar, is still
// the column's list (its block never leaves the section); a column whose
// list sits in an iframe named by its index file is judged by that list;
// the same masked phone number on three pages stays three findings.
func TestRun_TemplateTraps(t *testing.T) {
	list := `<ul class="bzlm"><li><a href="/zwgk/tzgg/a.html">关于开展冬季消防检查的通知</a><span>2026-11-20</span></li><li><a href="/zwgk/tzgg/b.html">关于做好元旦值班的通知</a><span>2026-11-18</span></li></ul>`
	article := func(title, phone string) string {
		return `<html><head><meta name="PubDate" content="2026-11-20"></head><body><div class="main"><h1>` + title + `</h1><p>联系人：王某 ` + phone + `，各单位按时报送。</p></div><div class="side">` + list + `</div></body></html>`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><body><div class="main"><a href="/zwgk/tzgg/">通知公告</a> <a href="/zwgk/gsgg/">公示公告</a></div></body></html>`)
		case "/zwgk/tzgg/":
			fmt.Fprint(w, `<html><head><meta name="ColumnName" content="通知公告"></head><body><div class="list">`+list+`</div></body></html>`)
		case "/zwgk/tzgg/a.html":
			fmt.Fprint(w, article("关于开展冬季消防检查的通知", "13812341234"))
		case "/zwgk/tzgg/b.html":
			fmt.Fprint(w, article("关于做好元旦值班的通知", "13899991234"))
		case "/zwgk/gsgg/":
			fmt.Fprint(w, `<html><head><meta name="ColumnName" content="公示公告"></head><body><iframe src="/zwgk/gsgg/list/index.html"></iframe></body></html>`)
		case "/zwgk/gsgg/list/", "/zwgk/gsgg/list/index.html":
			fmt.Fprint(w, `<html><body><ul><li><a href="/zwgk/gsgg/c.html">拟任职干部公示</a><span>2026-11-25</span></li><li><a href="/zwgk/gsgg/d.html">低保公示</a><span>2026-11-21</span></li></ul></body></html>`)
		case "/zwgk/gsgg/c.html":
			fmt.Fprint(w, article("拟任职干部公示", "13855551234"))
		case "/zwgk/gsgg/d.html":
			fmt.Fprint(w, `<html><head><meta name="PubDate" content="2026-11-21"></head><body><p>公示期五天。</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	st := tempStore(t)
	rep, err := Run(context.Background(), st, Site{Name: "测试区", URL: srv.URL + "/"}, options())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Columns {
		if c.Empty || c.Items < 2 {
			t.Errorf("column %s %s: %d items, empty %v", c.Name, c.URL, c.Items, c.Empty)
		}
	}
	issues, _ := st.Issues(context.Background(), store.Filter{Statuses: store.Unresolved})
	mobiles := 0
	for _, is := range issues {
		if is.Category == "privacy_leak" {
			mobiles++
		}
	}
	if mobiles != 3 {
		for _, is := range issues {
			t.Log(is.Category, is.URL, is.Evidence)
		}
		t.Errorf("%d personal-data issues, want 3 (three people)", mobiles)
	}
}
