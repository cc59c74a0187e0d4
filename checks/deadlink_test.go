package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/extract"
)

// site builds a crawl result: targets by URL with a status, and edges.
type site struct {
	res *crawler.Result
	ids map[string]int32
}

func newSite(home string) *site {
	s := &site{res: &crawler.Result{}, ids: map[string]int32{}}
	s.add(home, extract.Page, crawler.LinkStatus{Status: 200})
	return s
}

func (s *site) add(url string, kind extract.LinkKind, st crawler.LinkStatus) int32 {
	id := int32(len(s.res.Targets))
	s.ids[url] = id
	s.res.Targets = append(s.res.Targets, crawler.Target{URL: url, FetchURL: url, Kind: kind, Status: st})
	return id
}

func (s *site) link(from, to, anchor string, boilerplate bool) {
	s.res.Edges.Add(crawler.Edge{From: s.ids[from], To: s.ids[to], Anchor: anchor, Boilerplate: boilerplate})
}

const home = "http://www.qxq.gov.cn/"

var (
	ok       = crawler.LinkStatus{Status: 200}
	notFound = crawler.LinkStatus{Status: 404, Problem: crawler.HTTPError}
)

func TestDeadLinks(t *testing.T) {
	article := home + "xwzx/a1.html"
	tests := []struct {
		name  string
		build func(s *site)
		want  []Finding // Category, Severity, URL, Evidence, Rule, Suspected; message checked by substring
		msgs  []string
	}{
		{
			name:  "working links are not reported",
			build: func(s *site) { s.add(article, extract.Page, ok); s.link(home, article, "文章", false) },
		},
		{
			name: "skipped links are not reported",
			build: func(s *site) {
				s.add(home+"private/", extract.Page, crawler.LinkStatus{Problem: crawler.RobotsBlocked})
				s.add(home+"deep/", extract.Page, crawler.LinkStatus{Problem: crawler.NotChecked})
				s.add("http://other.example/", extract.Page, crawler.LinkStatus{Problem: crawler.OffSite})
				s.add(home+"later/", extract.Page, crawler.LinkStatus{Problem: crawler.Unfinished})
				for _, u := range []string{home + "private/", home + "deep/", "http://other.example/", home + "later/"} {
					s.link(home, u, "x", false)
				}
			},
		},
		{
			name: "404 in an article",
			build: func(s *site) {
				s.add(article, extract.Page, ok)
				s.add(home+"gone.html", extract.Page, notFound)
				s.link(home, article, "文章", false)
				s.link(article, home+"gone.html", "往期报道", false)
				s.link(article, home+"gone.html", "往期报道（重复）", false)
			},
			want: []Finding{{Category: DeadLink, Severity: Medium, URL: article, Evidence: home + "gone.html", Rule: RuleDeadLinkPage}},
			msgs: []string{"链接无法访问：HTTP 404（页面不存在）；链接文字“往期报道”"},
		},
		{
			name: "on the home page: high",
			build: func(s *site) {
				s.add(home+"files/a.pdf", extract.Attachment, notFound)
				s.link(home, home+"files/a.pdf", "申请表", false)
			},
			want: []Finding{{Category: DeadLink, Severity: High, URL: home, Evidence: home + "files/a.pdf", Rule: RuleDeadLinkHome}},
			msgs: []string{"附件无法访问：HTTP 404（页面不存在）；链接文字“申请表”（首页）"},
		},
		{
			name: "template link: once per site, listing every page",
			build: func(s *site) {
				s.add(article, extract.Page, ok)
				s.add(home+"lxwm/", extract.Page, notFound)
				s.link(home, article, "文章", false)
				s.link(article, home+"lxwm/", "联系我们", true)
				s.link(home, home+"lxwm/", "联系我们", true)
			},
			want: []Finding{{Category: DeadLink, Severity: High, URL: home, Evidence: home + "lxwm/", Rule: RuleDeadLinkTemplate}},
			msgs: []string{"位于页头/导航/页脚，共 2 个页面引用"},
		},
		{
			name: "soft 404 is suspected and lower",
			build: func(s *site) {
				s.add(article, extract.Page, ok)
				s.add(home+"old.html", extract.Page, crawler.LinkStatus{Status: 200, Problem: crawler.SoftNotFound, Suspected: true, Detail: "the page says it does not exist"})
				s.link(home, article, "文章", false)
				s.link(article, home+"old.html", "旧文章", false)
			},
			want: []Finding{{Category: DeadLink, Severity: Low, URL: article, Evidence: home + "old.html", Rule: RuleDeadLinkPage, Suspected: true}},
			msgs: []string{"疑似链接无法访问：返回正常但页面内容为“页面不存在”"},
		},
		{
			name: "timeout names the timeout",
			build: func(s *site) {
				s.add("http://slow.example/", extract.Page, crawler.LinkStatus{Problem: crawler.Timeout, Suspected: true})
				s.link(home, "http://slow.example/", "市平台", false)
			},
			want: []Finding{{Category: DeadLink, Severity: Medium, URL: home, Evidence: "http://slow.example/", Rule: RuleDeadLinkHome, Suspected: true}},
			msgs: []string{"连接超时（15秒）"},
		},
		{
			name: "unreachable home page",
			build: func(s *site) {
				s.res.Targets[0].Status = crawler.LinkStatus{Problem: crawler.DNSFailure}
			},
			want: []Finding{{Category: SiteUnreachable, Severity: High, URL: home, Evidence: home, Rule: RuleStartUnreachable}},
			msgs: []string{"网站首页无法访问：域名无法解析"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(home)
			tt.build(s)
			got := DeadLinks(s.res, 15*time.Second)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d findings %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Category != w.Category || g.Severity != w.Severity || g.URL != w.URL || g.Evidence != w.Evidence ||
					g.Rule != w.Rule || g.Suspected != w.Suspected {
					t.Errorf("finding %d = %+v\nwant %+v", i, g, w)
				}
				if !strings.Contains(g.Message, tt.msgs[i]) {
					t.Errorf("message %q lacks %q", g.Message, tt.msgs[i])
				}
			}
		})
	}
}

func TestCause(t *testing.T) {
	tests := []struct {
		st   crawler.LinkStatus
		want string
	}{
		{crawler.LinkStatus{Status: 500, Problem: crawler.HTTPError}, "HTTP 500（服务器内部错误）"},
		{crawler.LinkStatus{Status: 410, Problem: crawler.HTTPError}, "HTTP 410（页面已删除）"},
		{crawler.LinkStatus{Problem: crawler.ConnReset}, "连接被重置"},
		{crawler.LinkStatus{Problem: crawler.RedirectLoop}, "重定向循环"},
		{crawler.LinkStatus{Problem: crawler.DNSFailure}, "域名无法解析"},
		{crawler.LinkStatus{Problem: crawler.Timeout}, "连接超时（15秒）"},
		{crawler.LinkStatus{Problem: crawler.TLSFailure}, "加密连接握手失败"},
	}
	for _, tt := range tests {
		if got := Cause(tt.st, 15*time.Second); got != tt.want {
			t.Errorf("Cause(%+v) = %q, want %q", tt.st, got, tt.want)
		}
	}
}

func TestDarkLinks(t *testing.T) {
	s := newSite(home)
	s.add(home+"menu/", extract.Page, ok)
	s.add("http://bet.example/", extract.Page, ok)
	s.add("http://www.gov.cn/", extract.Page, ok)
	s.res.Targets[1].Internal = true
	s.res.Edges.Add(crawler.Edge{From: 0, To: 1, Anchor: "下拉菜单", Hidden: true})    // hidden, internal: a folded menu
	s.res.Edges.Add(crawler.Edge{From: 0, To: 2, Anchor: "澳门葡京娱乐城", Hidden: true}) // hidden, external: 暗链
	s.res.Edges.Add(crawler.Edge{From: 0, To: 3, Anchor: "中国政府网"})                 // visible, ordinary
	s.res.Edges.Add(crawler.Edge{From: 0, To: 3, Anchor: "真人娱乐 百家乐"})              // visible, gambling text
	var got []string
	for _, f := range DarkLinks(s.res) {
		got = append(got, f.Rule+" "+f.Evidence)
	}
	want := []string{RuleHiddenLink + " http://bet.example/", RuleGamblingLink + " http://www.gov.cn/"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %v", got)
	}
}
