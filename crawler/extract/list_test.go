package extract

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestListOf(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	ref := time.Date(2026, 11, 26, 10, 0, 0, 0, cst)
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, cst) }
	u, _ := url.Parse("http://www.qxq.gov.cn/xwzx/zwyw/")
	tests := []struct {
		name        string
		html        string
		want        []Item
		placeholder bool
		explained   bool
	}{
		{
			name: "CMS list with pagination",
			html: `<div class="nav"><ul><li><a href="/">首页</a></li></ul></div>
<ul class="list"><li><a href="202611/t1.html" target="_blank">区政府召开常务会议</a><span>[2026-11-20]</span></li>
<li><a href="202611/t2.html">区领导调研</a><span class="date">2026年11月18日</span></li>
<li><a href="202611/t3.html" title="全文标题很长的一条新闻">全文标题很长…</a> 11-15</li></ul>
<div class="page"><a href="index_1.html">2</a><a href="index_1.html">下一页</a></div>
<div class="footer"><ul><li><a href="/lxwm/">联系我们</a> 2026-01-01</li></ul></div>`,
			want: []Item{
				{Title: "区政府召开常务会议", URL: "http://www.qxq.gov.cn/xwzx/zwyw/202611/t1.html", Date: day(11, 20), Dated: true},
				{Title: "区领导调研", URL: "http://www.qxq.gov.cn/xwzx/zwyw/202611/t2.html", Date: day(11, 18), Dated: true},
				{Title: "全文标题很长的一条新闻", URL: "http://www.qxq.gov.cn/xwzx/zwyw/202611/t3.html", Date: day(11, 15), Dated: true},
			},
		},
		{
			name: "table rows and a div with a date",
			html: `<table><tr><td><a href="a.html">关于开展自查的通知</a></td><td>2026-05-10</td></tr></table>
<div class="item"><a href="b.html">公示</a><span>2026/04/20</span></div>`,
			want: []Item{
				{Title: "关于开展自查的通知", URL: "http://www.qxq.gov.cn/xwzx/zwyw/a.html", Date: day(5, 10), Dated: true},
				{Title: "公示", URL: "http://www.qxq.gov.cn/xwzx/zwyw/b.html", Date: day(4, 20), Dated: true},
			},
		},
		{
			name: "undated list items count (as not updated)",
			html: `<ul><li><a href="a.html">办事指南</a></li></ul>`,
			want: []Item{{Title: "办事指南", URL: "http://www.qxq.gov.cn/xwzx/zwyw/a.html"}},
		},
		{
			name: "links in running text are not items; a date inside the title is not the item's date",
			html: `<p>详见<a href="x.html">2023年安全生产工作要点</a>，请各单位认真落实。</p>
<ul><li><a href="y.html">2026年11月20日区政府常务会议</a></li></ul>`,
			want: []Item{{Title: "2026年11月20日区政府常务会议", URL: "http://www.qxq.gov.cn/xwzx/zwyw/y.html"}},
		},
		{name: "placeholder", html: `<ul class="list"><li class="empty">暂无信息</li></ul>`, placeholder: true},
		{name: "explained empty column", html: `<p>本单位暂无此类信息，特此说明。</p>`, explained: true},
		{name: "hidden links are not items", html: `<ul style="display:none"><li><a href="z.html">娱乐</a> 2026-11-20</li></ul>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ParseWith([]byte(tt.html), u, Options{Now: ref}).List
			if len(l.Items) != len(tt.want) {
				t.Fatalf("items %+v", l.Items)
			}
			for i, w := range tt.want {
				g := l.Items[i]
				if g.Title != w.Title || g.URL != w.URL || g.Dated != w.Dated || !g.Date.Equal(w.Date) {
					t.Errorf("item %d = %+v, want %+v", i, g, w)
				}
			}
			if l.Placeholder != tt.placeholder || l.Explained != tt.explained {
				t.Errorf("placeholder %v explained %v", l.Placeholder, l.Explained)
			}
		})
	}
}

func TestBreadcrumb(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/")
	tests := []struct {
		html string
		want string
	}{
		{`<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/tzgg/">通知公告</a></div>`, "首页|政务公开|通知公告"},
		{`<div id="dqwz">您现在的位置：首页 » 新闻中心 » 政务要闻</div>`, "首页|新闻中心|政务要闻"},
		{`<div class="main"><p>没有位置导航</p></div>`, ""},
		// Table layouts with no class: found by the label.
		{`<table><tr><td height="30">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/zwyw/">政务要闻</a></td></tr></table>`, "首页|政务要闻"},
		{`<div class="wz"><span>您所在的位置</span></div><div class="top"><span>所在位置：</span><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>`, "首页|政务公开"},
	}
	for _, tt := range tests {
		if got := strings.Join(Parse([]byte(tt.html), u).Breadcrumb, "|"); got != tt.want {
			t.Errorf("Breadcrumb = %q, want %q", got, tt.want)
		}
	}
}

// A date is read from at most 60 characters beside a link, white space
// collapsed; the row of an old template that holds the whole page is read
// once and dates none of its links.
func TestListOf_TextBesideTheLink(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/xwzx/zwyw/")
	ref := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	row := func(beside string) string { return `<ul><li><a href="a.html">标题</a>` + beside + `</li></ul>` }
	for _, tt := range []struct {
		html  string
		dated bool
	}{
		{row(strings.Repeat("字", 54) + " 11-20"), true},
		{row(strings.Repeat("字", 54) + strings.Repeat(" ", 300) + "11-20"), true},
		{row(strings.Repeat("字", 55) + " 11-20"), false},
		{`<table><tr><td>` + strings.Repeat("<p>会议强调，要扎实做好各项工作。<a href=x.html>相关</a> 11-20</p>", 100) + `</td></tr></table>`, false},
	} {
		l := ParseWith([]byte(tt.html), u, Options{Now: ref}).List
		if len(l.Items) == 0 {
			t.Fatalf("no items in %.60q", tt.html)
		}
		for _, it := range l.Items {
			if it.Dated != tt.dated {
				t.Errorf("%.60q: item %+v, want dated %v", tt.html, it, tt.dated)
			}
		}
	}
}

// An article's list items are read unless the parse skips them; a list
// page's are read either way.
func TestParseWith_SkipArticleItems(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/xwzx/zwyw/")
	ref := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	list := `<ul><li><a href="a.html">区政府召开常务会议</a> 2026-11-20</li></ul>`
	article := `<meta name="PubDate" content="2026-11-20">` + list
	for _, tt := range []struct {
		html  string
		skip  bool
		items int
	}{{article, false, 1}, {article, true, 0}, {list, true, 1}} {
		d := ParseWith([]byte(tt.html), u, Options{Now: ref, SkipArticleItems: tt.skip})
		if len(d.List.Items) != tt.items {
			t.Errorf("%.40q skip %v: items %+v", tt.html, tt.skip, d.List.Items)
		}
	}
}
