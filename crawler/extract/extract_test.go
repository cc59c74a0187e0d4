package extract

import (
	"net/url"
	"strings"
	"testing"
)

const govPage = `<!DOCTYPE html><html><head><meta charset="utf-8">
<title>区政府召开常务会议_青溪区人民政府</title>
<meta name="SiteName" content="青溪区人民政府"><meta name="ColumnName" content="政务要闻">
<meta name="PubDate" content="2026-11-20 10:19"><meta property="og:title" content="常务会议">
<base href="http://www.qxq.gov.cn/xwzx/zwyw/">
<link rel="stylesheet" href="/css/main.css"><link rel="canonical" href="/x.html"><script src="js/app.js"></script>
<style>.x{}</style></head>
<body>
<div id="header" class="header"><a href="/">首页</a><img src="/img/logo.png" alt="区徽"></div>
<ul class="nav-list"><li><a href="../../zwgk/">政务公开</a></li></ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; 政务要闻</div>
<div class="article">
<h1>区政府召开常务会议</h1>
<p>11月20日，区长主持召开区政府常务会议。</p>
<p>会议研究了<a href="t20261119_1.html" title="上一条">营商环境</a>等事项。　</p>
<p><a href="/files/a.pdf"><img src="/img/pdf.gif" alt="附件图标"></a> <a href="/files/b.DOCX">附件二</a></p>
<a href="mailto:a@b.cn">邮件</a><a href="javascript:;">脚本</a><a href="#top">顶部</a><a href="tel:123">电话</a><a href="">空</a>
<div style="display: none"><a href="http://bet.example/">娱乐城</a></div>
<script>var x = "<a href='/not-a-link'>";</script>
<noscript>请开启脚本</noscript>
</div>
<div class="footer" id="footer"><p>主办单位：青溪区人民政府办公室</p><a href="/lxwm/">联系我们</a></div>
</body></html>`

func TestParse_GovernmentPage(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/xwzx/zwyw/t20261120_2.html")
	d := Parse([]byte(govPage), u)
	if d.Title != "区政府召开常务会议_青溪区人民政府" {
		t.Errorf("title %q", d.Title)
	}
	if d.MetaValue("ColumnName") != "政务要闻" || d.MetaValue("pubdate") != "2026-11-20 10:19" || d.MetaValue("og:title") != "常务会议" {
		t.Errorf("meta %v", d.Meta)
	}
	wantText := "区政府召开常务会议\n11月20日，区长主持召开区政府常务会议。\n会议研究了营商环境等事项。\n附件二\n邮件脚本顶部电话空"
	if d.Text != wantText {
		t.Errorf("text\n%q\nwant\n%q", d.Text, wantText)
	}
	for _, bad := range []string{"主办单位", "当前位置", "政务公开", "娱乐城", "请开启脚本", "var x"} {
		if strings.Contains(d.Text, bad) {
			t.Errorf("main text contains %q", bad)
		}
	}
	if !strings.Contains(d.Boilerplate, "主办单位：青溪区人民政府办公室") || !strings.Contains(d.Boilerplate, "当前位置") {
		t.Errorf("boilerplate %q", d.Boilerplate)
	}
	type want struct {
		url         string
		text        string
		kind        LinkKind
		boilerplate bool
		hidden      bool
	}
	wants := []want{
		{"http://www.qxq.gov.cn/css/main.css", "", Resource, false, false},
		{"http://www.qxq.gov.cn/xwzx/zwyw/js/app.js", "", Resource, false, false},
		{"http://www.qxq.gov.cn/", "首页", Page, true, false},
		{"http://www.qxq.gov.cn/img/logo.png", "区徽", Image, true, false},
		{"http://www.qxq.gov.cn/zwgk/", "政务公开", Page, true, false},
		// the breadcrumb's 首页 again: each URL once per page
		{"http://www.qxq.gov.cn/xwzx/zwyw/t20261119_1.html", "营商环境", Page, false, false},
		{"http://www.qxq.gov.cn/files/a.pdf", "附件图标", Attachment, false, false},
		{"http://www.qxq.gov.cn/img/pdf.gif", "附件图标", Image, false, false},
		{"http://www.qxq.gov.cn/files/b.DOCX", "附件二", Attachment, false, false},
		{"http://bet.example/", "娱乐城", Page, false, true},
		{"http://www.qxq.gov.cn/lxwm/", "联系我们", Page, true, false},
	}
	if len(d.Links) != len(wants) {
		for _, l := range d.Links {
			t.Logf("%+v", l)
		}
		t.Fatalf("%d links, want %d", len(d.Links), len(wants))
	}
	for i, w := range wants {
		l := d.Links[i]
		if l.URL != w.url || l.Text != w.text || l.Kind != w.kind || l.Boilerplate != w.boilerplate || l.Hidden != w.hidden {
			t.Errorf("link %d = %+v, want %+v", i, l, w)
		}
	}
}

func TestParse_BoilerplateClassesDoNotSwallowContent(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/")
	for _, cls := range []string{"top-news", "headline", "news-list", "main-content"} {
		d := Parse([]byte(`<div class="`+cls+`"><p>正文内容</p></div>`), u)
		if d.Text != "正文内容" {
			t.Errorf("class %q: text %q boilerplate %q", cls, d.Text, d.Boilerplate)
		}
	}
}

func TestParse_MalformedNeverPanics(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/")
	for _, in := range []string{"", "<", "<html><body><div><p>未闭合<table><td><a href=/a>链接", "\x00\xff\xfe", "<a href='http://[::1'>坏链接</a>", strings.Repeat("<div>", 10000)} {
		d := Parse([]byte(in), u)
		if d == nil {
			t.Errorf("nil doc for %q", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(govPage))
	f.Add([]byte("<a href='x'>y</a>"))
	u, _ := url.Parse("http://www.qxq.gov.cn/a/b.html")
	f.Fuzz(func(t *testing.T, data []byte) {
		d := Parse(data, u)
		for _, l := range d.Links {
			if !strings.HasPrefix(l.URL, "http://") && !strings.HasPrefix(l.URL, "https://") {
				t.Errorf("non-http link %q", l.URL)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	u, _ := url.Parse("http://www.qxq.gov.cn/xwzx/zwyw/t20261120_2.html")
	data := []byte(govPage)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Parse(data, u)
	}
}

func TestParse_MetaRefreshIsALink(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/")
	for _, content := range []string{"0;url=/portal/index.html", "0; URL='/portal/index.html'", "5;Url=/portal/index.html"} {
		d := Parse([]byte(`<html><head><meta http-equiv="Refresh" content="`+content+`"></head></html>`), u)
		if len(d.Links) != 1 || d.Links[0].URL != "http://www.qxq.gov.cn/portal/index.html" || d.Links[0].Kind != Page {
			t.Errorf("%q: links %+v", content, d.Links)
		}
	}
	d := Parse([]byte(`<meta http-equiv="refresh" content="300">`), u)
	if len(d.Links) != 0 {
		t.Errorf("a plain reload is not a link: %+v", d.Links)
	}
}

func TestIsArticle(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/")
	tests := []struct {
		html string
		want bool
	}{
		{`<meta name="ArticleTitle" content="会议"><p>正文</p>`, true},
		{`<h1>区政府召开常务会议</h1><div>发布时间：2026-11-20 10:19　来源：区政府办公室</div><p>正文</p>`, true},
		{`<h1>政务要闻</h1><ul><li><a href="a.html">会议</a> 2026-11-20</li></ul>`, false},
		{`<table><tr><th>标题</th><th>发布日期</th></tr><tr><td><a href="a.html">通知</a></td><td>2026-11-20</td></tr></table>`, false},
	}
	for _, tt := range tests {
		if got := Parse([]byte(tt.html), u).IsArticle(); got != tt.want {
			t.Errorf("IsArticle(%.40q) = %v", tt.html, got)
		}
	}
}
