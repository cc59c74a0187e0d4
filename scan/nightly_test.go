package scan

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

// cmsSite is a district site in the shape TRS sites have: a home page with
// the navigation and the newest news, three columns of 40 articles listed
// 15 to a page (index.html, index_1.html …), articles with their metadata,
// ETag and Last-Modified, answering 304 to a conditional request. The test
// edits it between nights and reads which paths each night requested.
type cmsSite struct {
	srv *httptest.Server
	day time.Time // the first night's date: articles are dated before it

	mu     sync.Mutex
	body   map[string]string // path → article body text, as edited
	extra  int               // articles added to 新闻动态 since the first night
	hits   map[string]int    // path → requests tonight
	broken map[string]bool
	down   bool // the home page is a maintenance notice
}

var cmsColumns = []struct{ path, name string }{{"xwzx", "新闻动态"}, {"tzgg", "通知公告"}, {"gzdt", "工作动态"}}

const cmsArticles = 40

func newCMSSite(t *testing.T, day time.Time) *cmsSite {
	s := &cmsSite{day: day, body: map[string]string{}, hits: map[string]int{}, broken: map[string]bool{"/missing.html": true}}
	for _, c := range cmsColumns {
		for n := range cmsArticles {
			s.body[fmt.Sprintf("/%s/%d.html", c.path, n)] = fmt.Sprintf("%s第%d篇。区政府常务会议研究部署近期重点工作，强调要坚持稳中求进工作总基调。", c.name, n)
		}
	}
	// A published mobile number, and a half-width comma four notices share
	// word for word (one issue for the four pages).
	s.body["/xwzx/3.html"] += "联系电话：13912345678。"
	for n := 1; n <= 4; n++ {
		s.body[fmt.Sprintf("/gzdt/%d.html", n)] += "会议要求,各单位抓好落实。"
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *cmsSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	page, ok := s.page(r.URL.Path)
	s.mu.Unlock()
	serveWithETag(w, r, page, ok)
}

// serveWithETag answers a page (404 when !ok) as a static CMS page is
// served: an ETag of its bytes, 304 to a request that names it.
func serveWithETag(w http.ResponseWriter, r *http.Request, page string, ok bool) {
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256([]byte(page))
	etag := fmt.Sprintf(`"%x"`, sum[:8])
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	fmt.Fprint(w, page)
}

// date is article n's date: one a day back from the day before the first
// night; the added ones are dated the night they appear.
func (s *cmsSite) date(n int) string { return s.day.AddDate(0, 0, -1-n).Format("2006-01-02") }

func (s *cmsSite) page(path string) (string, bool) {
	nav := `<div class="nav"><a href="/">首页</a>`
	for _, c := range cmsColumns {
		nav += fmt.Sprintf(`<a href="/%s/">%s</a>`, c.path, c.name)
	}
	nav += `</div>`
	head := func(title string) string {
		return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + `_测试区人民政府</title>`
	}
	if path == "/" && s.down {
		return head("系统维护") + `</head><body><p>网站系统升级维护中，请稍后访问。</p></body></html>`, true
	}
	if path == "/" {
		var b strings.Builder
		b.WriteString(head("首页") + `</head><body>` + nav + `<div class="main"><ul>`)
		for _, it := range s.items("xwzx")[:8] {
			fmt.Fprintf(&b, `<li><a href="%s">%s</a><span>%s</span></li>`, it.href, it.title, it.date)
		}
		b.WriteString(`</ul></div><div class="footer">测试区人民政府办公室主办</div></body></html>`)
		return b.String(), true
	}
	for _, c := range cmsColumns {
		prefix := "/" + c.path + "/"
		if !strings.HasPrefix(path, prefix) {
			continue
		}
		rest := strings.TrimPrefix(path, prefix)
		items := s.items(c.path)
		pageNo := -1
		switch {
		case rest == "" || rest == "index.html":
			pageNo = 0
		case strings.HasPrefix(rest, "index_"):
			fmt.Sscanf(rest, "index_%d.html", &pageNo)
		}
		if pageNo >= 0 {
			if pageNo*15 >= len(items) {
				return "", false
			}
			var b strings.Builder
			b.WriteString(head(c.name) + `<meta name="ColumnName" content="` + c.name + `"></head><body>` + nav +
				`<div class="position">首页 &gt; ` + c.name + `</div><div class="list"><ul>`)
			for _, it := range items[pageNo*15 : min(len(items), pageNo*15+15)] {
				fmt.Fprintf(&b, `<li><a href="%s">%s</a><span>%s</span></li>`, it.href, it.title, it.date)
			}
			b.WriteString(`</ul></div><div class="page">`)
			for p := range (len(items) + 14) / 15 {
				name := "index.html"
				if p > 0 {
					name = fmt.Sprintf("index_%d.html", p)
				}
				fmt.Fprintf(&b, `<a href="%s%s">%d</a>`, prefix, name, p+1)
			}
			b.WriteString(`</div><div class="footer">测试区人民政府办公室主办</div></body></html>`)
			return b.String(), true
		}
		text, ok := s.body[path]
		if !ok {
			return "", false
		}
		var n int
		fmt.Sscanf(rest, "%d.html", &n)
		date := s.date(n)
		if n >= cmsArticles {
			date = s.day.AddDate(0, 0, n-cmsArticles).Format("2006-01-02")
		}
		related := ""
		if c.path == "tzgg" && n == 5 {
			related = `<p>附：<a href="/missing.html">原通知</a></p>`
		}
		return head(c.name+"第"+fmt.Sprint(n)+"篇") + `<meta name="ArticleTitle" content="` + c.name + fmt.Sprint(n) + `"><meta name="PubDate" content="` + date +
			`"><meta name="ColumnName" content="` + c.name + `"></head><body>` + nav +
			`<div class="position">首页 &gt; ` + c.name + `</div><div class="article"><h1>` + c.name + fmt.Sprint(n) + `</h1><div class="info">发布时间：` + date +
			`</div><div class="content"><p>` + text + `</p>` + related + `</div></div><div class="footer">测试区人民政府办公室主办</div></body></html>`, true
	}
	return "", false
}

type cmsItem struct{ href, title, date string }

// items are a column's articles, newest first.
func (s *cmsSite) items(col string) []cmsItem {
	var out []cmsItem
	if col == "xwzx" {
		for k := s.extra - 1; k >= 0; k-- {
			n := cmsArticles + k
			out = append(out, cmsItem{fmt.Sprintf("/xwzx/%d.html", n), fmt.Sprintf("新闻动态%d", n), s.day.AddDate(0, 0, k).Format("2006-01-02")})
		}
	}
	for n := range cmsArticles {
		out = append(out, cmsItem{fmt.Sprintf("/%s/%d.html", col, n), fmt.Sprintf("%s%d", col, n), s.date(n)})
	}
	return out
}

// night empties the request log and returns the last night's.
func (s *cmsSite) night() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hits
	s.hits = map[string]int{}
	return h
}

func (s *cmsSite) edit(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

func total(h map[string]int) int {
	n := 0
	for p, c := range h {
		if p != "/robots.txt" {
			n += c
		}
	}
	return n
}

// issueOn is the one issue of a category and rule on a page.
func issueOn(t *testing.T, st *store.Store, name, url, rule string) store.Issue {
	t.Helper()
	all, err := st.Issues(context.Background(), store.Filter{Target: name, Statuses: []store.Status{store.StatusOpen, store.StatusConfirmed,
		store.StatusVerified, store.StatusReopened, store.StatusIgnored, store.StatusFixed}})
	if err != nil {
		t.Fatal(err)
	}
	for _, is := range all {
		if is.URL == url && is.Rule == rule {
			return is
		}
	}
	t.Fatalf("no %s issue on %s", rule, url)
	return store.Issue{}
}

// Nightly patrols over eight nights of an injected clock: a night touches
// a small share of the site, every page is visited within archive_days,
// a new page is read the night it appears, a page answering 304 keeps its
// issues open as still seen, a fixed page's issue is verified the next
// night, and an issue whose pages were not all visited is neither
// refreshed nor closed.
func TestNightlyPatrols(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	day0 := time.Date(2026, 12, 1, 2, 30, 0, 0, zone)
	site := newCMSSite(t, day0)
	st := storetest.Open(t)
	ctx := context.Background()
	clock := day0
	policy := &Nightly{ArchiveDays: 7, RecentDays: 3, FullDays: -1, LinkDays: 7, Zone: zone}
	opts := func() Options {
		return Options{Crawl: crawler.Options{Concurrency: 4, Timeout: 2 * time.Second, Dial: crawler.LoopbackOnly, MaxPages: 5000},
			Nightly: policy, Now: func() time.Time { return clock }, Heartbeat: time.Hour}
	}
	s := Site{Name: "测试区", URL: site.srv.URL + "/", Owner: "区政府办"}
	u := func(path string) string { return site.srv.URL + path }

	full, err := Run(ctx, st, s, opts())
	if err != nil || full.Incremental || full.Status != store.ScanComplete {
		t.Fatalf("first scan: %+v %v (want a complete full crawl)", full.Status, err)
	}
	fullHits := total(site.night())
	if ph := issueOn(t, st, s.Name, u("/xwzx/3.html"), checks.RuleMobile); ph.SeenCount != 1 {
		t.Fatalf("the number was seen %d times by one scan", ph.SeenCount)
	}
	comma := issueOn(t, st, s.Name, u("/gzdt/1.html"), checks.RuleHalfWidth)
	if len(comma.Refs) != 4 {
		t.Fatalf("the shared comma is one issue of four pages, got refs %+v", comma.Refs)
	}
	// Before the first night /gzdt/1.html drops the comma; the three other
	// pages keep it.
	site.edit(func() {
		site.body["/gzdt/1.html"] = strings.Replace(site.body["/gzdt/1.html"], "会议要求,", "会议要求，", 1)
	})

	visited := map[string]bool{}
	for night := 1; night <= 7; night++ {
		clock = day0.AddDate(0, 0, night)
		switch night {
		case 2:
			site.edit(func() {
				site.body["/xwzx/3.html"] = strings.Replace(site.body["/xwzx/3.html"], "13912345678", "（已删除）", 1)
			})
		case 3:
			site.edit(func() {
				site.extra = 1
				site.body[fmt.Sprintf("/xwzx/%d.html", cmsArticles)] = "新发布的新闻。联系电话：13812345678。"
			})
		}
		rep, err := Run(ctx, st, s, opts())
		if err != nil {
			t.Fatal(err)
		}
		hits := site.night()
		if !rep.Incremental || rep.Status != store.ScanComplete {
			t.Fatalf("night %d: incremental %v, %s (%s)", night, rep.Incremental, rep.Status, rep.CollapseNote())
		}
		if n := total(hits); n*100 > fullHits*40 {
			t.Errorf("night %d: %d requests, more than 40%% of the full crawl's %d", night, n, fullHits)
		}
		if hits["/"] == 0 || hits["/xwzx/"] == 0 || night <= 2 && hits["/xwzx/3.html"] == 0 {
			t.Errorf("night %d did not visit the home page, a column or a page with an open issue: %v", night, hits)
		}
		for p := range hits {
			visited[p] = true
		}

		ph := issueOn(t, st, s.Name, u("/xwzx/3.html"), checks.RuleMobile)
		switch night {
		case 1: // 304: still there
			if ph.Status != store.StatusOpen || ph.LastSeen.Before(clock) || ph.SeenCount != 2 {
				t.Errorf("night 1: the unchanged page's issue is %s, last seen %v, seen %d times; want open, tonight, twice", ph.Status, ph.LastSeen, ph.SeenCount)
			}
		case 2: // read again without the number: verified
			if ph.Status != store.StatusVerified {
				t.Errorf("night 2: the fixed page's issue is %s, want verified", ph.Status)
			}
		}
		if night == 3 {
			if hits[fmt.Sprintf("/xwzx/%d.html", cmsArticles)] == 0 {
				t.Errorf("night 3: the new article was not read the night it appeared")
			}
			issueOn(t, st, s.Name, u(fmt.Sprintf("/xwzx/%d.html", cmsArticles)), checks.RuleMobile)
		}

		// The shared comma: its own page was read tonight (it has an open
		// issue), its other three only on their night. Unless one of them
		// answered unchanged tonight, the issue is left as it was.
		cm := issueOn(t, st, s.Name, u("/gzdt/1.html"), checks.RuleHalfWidth)
		others := hits["/gzdt/2.html"] + hits["/gzdt/3.html"] + hits["/gzdt/4.html"]
		if cm.Status == store.StatusVerified {
			t.Fatalf("night %d: the comma still on three pages was closed", night)
		}
		if others == 0 && cm.SeenCount != comma.SeenCount {
			t.Errorf("night %d: no page of the comma's three was visited, yet the issue was refreshed (seen %d times, was %d)", night, cm.SeenCount, comma.SeenCount)
		}
		if others > 0 && cm.SeenCount == comma.SeenCount {
			t.Errorf("night %d: a page with the comma answered tonight, yet the issue was not seen", night)
		}
		if slices.ContainsFunc(cm.Refs, func(r checks.Ref) bool { return r.Page == u("/gzdt/1.html") }) {
			t.Errorf("night %d: the page read without the comma is still one of its pages", night)
		}
		comma = cm

		// The dead link is checked every night.
		if hits["/missing.html"] == 0 {
			t.Errorf("night %d did not check the dead link again", night)
		}
	}
	for _, c := range cmsColumns {
		for n := range cmsArticles {
			if p := fmt.Sprintf("/%s/%d.html", c.path, n); !visited[p] {
				t.Errorf("%s was not visited in seven nights", p)
			}
		}
	}

	// The home page becomes a maintenance notice while the articles still
	// answer: the patrol reads them by their addresses, but its home page
	// links to none of the site's pages, so it closes nothing.
	site.edit(func() {
		site.down = true
		site.body["/tzgg/5.html"] = strings.Replace(site.body["/tzgg/5.html"], "强调", "指出", 1) // changed: read tonight
	})
	clock = day0.AddDate(0, 0, 7).Add(time.Hour)
	open0, _ := st.Issues(ctx, store.Filter{Target: s.Name, Statuses: store.Unresolved})
	down, err := Run(ctx, st, s, opts())
	if err != nil || !down.Incremental || down.Status != store.ScanCollapsed || down.Summary.Verified != 0 ||
		!strings.Contains(down.CollapseNote(), "首页仅链接 0 个本站页面") {
		t.Fatalf("maintenance home page: %s, verified %d, note %q, err %v", down.Status, down.Summary.Verified, down.CollapseNote(), err)
	}
	for _, is := range open0 { // it may open what it finds; it closes nothing
		if now, _ := st.Issue(ctx, is.ID); !slices.Contains(store.Unresolved, now.Status) {
			t.Errorf("a collapsed patrol moved issue %d (%s) to %s", is.ID, is.Rule, now.Status)
		}
	}
	site.edit(func() { site.down = false })

	// A full crawl is due a week after the last; asked for, it judges the
	// whole site again.
	clock = day0.AddDate(0, 0, 8)
	policy.FullDays = 7
	rep, err := Run(ctx, st, s, opts())
	if err != nil || rep.Incremental {
		t.Fatalf("a week on: incremental %v, %v; want a full crawl", rep.Incremental, err)
	}
}

// What a nightly patrol may say of each unresolved issue, by what it did
// with the issue's pages tonight.
func TestNightScope(t *testing.T) {
	const a, b, c, dead = "http://x.gov.cn/a.html", "http://x.gov.cn/b.html", "http://x.gov.cn/c.html", "http://x.gov.cn/gone.html"
	s := nightScope{
		read:      map[string]bool{a: true},
		unchanged: map[string]bool{b: true},
		checked:   map[string]bool{dead: false, "http://x.gov.cn/still.html": true},
		attached:  map[string]bool{"http://x.gov.cn/f.docx": true},
	}
	refs := func(pages ...string) []checks.Ref {
		var out []checks.Ref
		for _, p := range pages {
			out = append(out, checks.Ref{Page: p})
		}
		return out
	}
	open := []store.Issue{
		{ID: 1, Category: checks.Typo, Rule: "typo.x", URL: a, Evidence: "错字"},                                            // read, not found: judged
		{ID: 2, Category: checks.Typo, Rule: "typo.x", URL: b, Evidence: "错字"},                                            // unchanged: carried
		{ID: 3, Category: checks.Typo, Rule: "typo.x", URL: c, Evidence: "错字"},                                            // not visited: left
		{ID: 4, Category: checks.DeadLink, Rule: checks.RuleDeadLinkPage, URL: c, Evidence: dead},                         // its link works again: judged
		{ID: 5, Category: checks.DeadLink, Rule: checks.RuleDeadLinkPage, URL: b, Evidence: "http://x.gov.cn/still.html"}, // still dead, page unchanged: carried
		{ID: 6, Category: checks.PolicyMetadata, Rule: checks.RulePolicyNoInterp, URL: a, Evidence: "文件类型：规范性文件"},         // full crawls only: left
		{ID: 7, Category: checks.PrivacyLeak, Rule: checks.RuleMobile, URL: "http://x.gov.cn/f.docx", Evidence: "139****5678"},
		{ID: 8, Category: checks.Typo, Rule: "typo.y", URL: a, Evidence: "模板错字", Refs: refs(a, b, c)}, // read on a, not found: a leaves it; b unchanged: carried
		{ID: 9, Category: checks.Typo, Rule: "typo.z", URL: a, Evidence: "模板", Refs: refs(a, c)},      // found tonight on a: the same issue, c kept
	}
	found := []checks.Finding{{Category: checks.Typo, Rule: "typo.z", URL: a, Evidence: "模板"}}
	judge, carry, newRefs := s.apply(found, open)
	for id, want := range map[int64]bool{1: true, 4: true, 7: true} {
		if judge[id] != want {
			t.Errorf("issue %d judged %v, want %v", id, judge[id], want)
		}
	}
	if len(judge) != 3 {
		t.Errorf("judged %v, want 1, 4, 7", judge)
	}
	if !slices.Equal(carry, []int64{2, 5, 8}) {
		t.Errorf("carried %v, want 2, 5, 8", carry)
	}
	if got := newRefs[8]; len(got) != 2 || got[0].Page != b || got[1].Page != c {
		t.Errorf("issue 8's pages %+v, want b and c", got)
	}
	if f := found[0]; len(f.Refs) != 2 || f.URL != a {
		t.Errorf("tonight's finding of issue 9: %s %+v, want on a with a and c", f.URL, f.Refs)
	}
	if _, ok := newRefs[9]; ok {
		t.Error("issue 9's pages are its finding's, not a separate update")
	}
}
