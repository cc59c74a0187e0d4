package extract

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func linkURLs(d *Doc) []string {
	var out []string
	for _, l := range d.Links {
		out = append(out, l.URL)
	}
	return out
}

// Every URL a browser would load or follow is a link.
func TestParse_EveryURLBearingAttribute(t *testing.T) {
	u := mustURL(t, "http://www.example.gov.cn/xwzx/t1.html")
	d := Parse([]byte(`<html><head><link rel="icon" href="/favicon.ico"><link rel="shortcut icon" href="/fav2.ico">
<link rel="stylesheet" href="/s.css"><link rel="alternate" href="/feed.xml"></head>
<body background="/img/bg.jpg"><div class="main">
<img src="/a.jpg" srcset="/a-2x.jpg 2x, /a-3x.jpg 3x" alt="图">
<picture><source srcset="/p.webp" type="image/webp"><img src="/p.jpg"></picture>
<video src="/v.mp4" poster="/v.jpg"><track src="/v.vtt"></video>
<audio><source src="/a.mp3"></audio>
<embed src="/flash.swf"><object data="/doc.pdf"></object>
<input type="image" src="/btn.gif"><input type="text" src="/not.gif">
<map><area href="/map1.html" alt="地图"></map>
<table><tr><td background="/img/cell.gif">单元格</td></tr></table>
</div></body></html>`), u)
	want := []string{
		"http://www.example.gov.cn/favicon.ico", "http://www.example.gov.cn/fav2.ico", "http://www.example.gov.cn/s.css",
		"http://www.example.gov.cn/img/bg.jpg",
		"http://www.example.gov.cn/a.jpg", "http://www.example.gov.cn/a-2x.jpg", "http://www.example.gov.cn/a-3x.jpg",
		"http://www.example.gov.cn/p.webp", "http://www.example.gov.cn/p.jpg",
		"http://www.example.gov.cn/v.mp4", "http://www.example.gov.cn/v.jpg", "http://www.example.gov.cn/v.vtt",
		"http://www.example.gov.cn/a.mp3", "http://www.example.gov.cn/flash.swf", "http://www.example.gov.cn/doc.pdf",
		"http://www.example.gov.cn/btn.gif", "http://www.example.gov.cn/map1.html", "http://www.example.gov.cn/img/cell.gif",
	}
	if got := linkURLs(d); !slices.Equal(got, want) {
		t.Errorf("links\n%q\nwant\n%q", got, want)
	}
	for _, l := range d.Links {
		if strings.HasSuffix(l.URL, ".mp4") && l.Kind == Page {
			t.Errorf("a video source is crawled as a page: %+v", l)
		}
	}
}

// Malformed hrefs are findings with the raw href; well-formed ones of every
// usual shape are not.
func TestParse_MalformedHrefs(t *testing.T) {
	u := mustURL(t, "http://www.example.gov.cn/xwzx/t1.html")
	tests := []struct {
		href, reason string
	}{
		{"http://127.0.0.1:____/x", ReasonHost},
		{"\u200bhttps://www.gov.cn/", ReasonInvisible},
		{"https://www.gov.cn/\u200b", ReasonInvisible},
		{"https;//www.gov.cn/x", ReasonScheme},
		{"http:/www.gov.cn/x", ReasonScheme},
		{"http//www.gov.cn/x", ReasonScheme},
		{"htp://www.gov.cn/x", ReasonScheme},
		{"http：//www.gov.cn/x", ReasonScheme},
		{"https://example]org/", ReasonHost},
		{"http://www..gov.cn/", ReasonHost},
		{"http:///x", ReasonScheme},
		{"/zwgk/　index.html", ReasonSpace},
		{"http://www.gov.cn/a%zzb", ReasonSyntax},
	}
	for _, tt := range tests {
		d := Parse([]byte(`<div><a href="`+tt.href+`">链接</a></div>`), u)
		if len(d.BadLinks) != 1 || d.BadLinks[0].Reason != tt.reason || d.BadLinks[0].Raw != tt.href || len(d.Links) != 0 {
			t.Errorf("%q: bad %+v links %+v, want reason %s", tt.href, d.BadLinks, d.Links, tt.reason)
		}
	}
	// The trap list: correct hrefs of every usual shape.
	for _, href := range []string{
		"https://www.gov.cn/", "HTTP://WWW.GOV.CN/A.HTML", "  /zwgk/index.html  ", "../t2.html", "t3.html?id=1&col=2",
		"//www.gov.cn/x", "http://[::1]:8080/x", "http://localhost:8080/", "http://www.中国政府.政务/", "http://www.gov.cn:80/",
		"/search?q=政务 公开", "mailto:a@b.cn", "tel:12345", "javascript:void(0)", "#top", "", "weixin://x",
		"\\zwgk\\index.html", "http-guide.html", "https_info/index.html", "a.html#%zz", "http://my_site.gov.cn/",
	} {
		d := Parse([]byte(`<div><a href="`+href+`">链接</a></div>`), u)
		if len(d.BadLinks) != 0 {
			t.Errorf("%q reported as malformed: %+v", href, d.BadLinks)
		}
	}
}

func TestParse_ScriptRedirectsAndNoscript(t *testing.T) {
	u := mustURL(t, "http://www.example.gov.cn/")
	tests := []struct{ html, want string }{
		{`<script>window.location.href="/index.shtml";</script><noscript><a href="/index.shtml">进入首页</a></noscript>`, "http://www.example.gov.cn/index.shtml"},
		{`<script type="text/javascript">location.replace('/portal/index.html')</script>`, "http://www.example.gov.cn/portal/index.html"},
		{`<script>window.location = "http://www.example.gov.cn/zww/"</script>`, "http://www.example.gov.cn/zww/"},
		{`<script>top.location.assign("/a.html");</script>`, "http://www.example.gov.cn/a.html"},
		{`<meta http-equiv="refresh" content="0;url=/b.html">`, "http://www.example.gov.cn/b.html"},
	}
	for _, tt := range tests {
		d := Parse([]byte(tt.html), u)
		got := d.Redirect
		if strings.Contains(tt.html, "<script") {
			// A script's target is no link: the crawler follows it from a
			// page with nothing else on it.
			if len(d.ScriptRedirects) != 1 || slices.ContainsFunc(d.Links, func(l Link) bool { return l.Tag == "script" && l.Kind == Page }) {
				t.Errorf("%.50q: script redirects %q, links %q", tt.html, d.ScriptRedirects, linkURLs(d))
				continue
			}
			got = d.ScriptRedirects[0]
		}
		if got != tt.want {
			t.Errorf("%.50q: redirect %q, want %q", tt.html, got, tt.want)
		}
	}
	// A stub sending phones one way and the rest another names both.
	d0 := Parse([]byte(`<script>if(/Mobile/.test(navigator.userAgent)){location.href="/m/index.html";}else{location.href="/index.shtml";}</script>`), u)
	if !slices.Equal(d0.ScriptRedirects, []string{"http://www.example.gov.cn/m/index.html", "http://www.example.gov.cn/index.shtml"}) {
		t.Errorf("both targets: %q", d0.ScriptRedirects)
	}
	// A noscript fallback link is a link, its text no content.
	d := Parse([]byte(`<body>`+tests[0].html+`</body>`), u)
	if !slices.Contains(linkURLs(d), "http://www.example.gov.cn/index.shtml") || strings.Contains(d.Text, "进入首页") {
		t.Errorf("noscript: links %q text %q", linkURLs(d), d.Text)
	}
	// Addresses built from variables are not guessed at.
	for _, code := range []string{`location.href = base + "/x.html";`, `var u = "/a.html"; location.href = u;`, `if (x) { location.href = "#" }`} {
		if d := Parse([]byte(`<script>`+code+`</script>`), u); len(d.ScriptRedirects) != 0 || len(d.Links) != 0 {
			t.Errorf("%q: %q %q", code, d.ScriptRedirects, linkURLs(d))
		}
	}
}

func TestParse_TRSPagination(t *testing.T) {
	u := mustURL(t, "http://www.example.gov.cn/zwgk/tzgg/index.shtml")
	for _, script := range []string{
		`createPageHTML(5, 0, "index", "shtml");`,
		`createPageHTML('page_div',5, 1,'index','shtml',73);`,
		`var countPage = 5; createPageHTML(5, 2, "index", "shtml")`,
	} {
		d := Parse([]byte(`<div class="list"><ul><li><a href="./202611/t20261120_1.html">通知</a><span>2026-11-20</span></li></ul><script>`+script+`</script></div>`), u)
		var got []string
		for _, l := range d.Links {
			if l.Tag == "script" {
				got = append(got, l.URL)
			}
		}
		want := []string{"http://www.example.gov.cn/zwgk/tzgg/index_1.shtml", "http://www.example.gov.cn/zwgk/tzgg/index_2.shtml",
			"http://www.example.gov.cn/zwgk/tzgg/index_3.shtml", "http://www.example.gov.cn/zwgk/tzgg/index_4.shtml"}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q", script, got)
		}
	}
	// One page only, or the function's own definition: no links.
	for _, script := range []string{`createPageHTML(1, 0, "index", "shtml");`, `function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}`} {
		if d := Parse([]byte(`<script>`+script+`</script>`), u); len(d.Links) != 0 {
			t.Errorf("%s: %q", script, linkURLs(d))
		}
	}
}

const jcmsColumn = `<html><head><meta name="ColumnName" content="通知公告"></head><body>
<div class="main"><div id="1229123">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=1229123&unitid=5678901&webname=示例区&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2026/11/20/art_1229123_58912345.html" target="_blank" title="关于做好冬季安全生产工作的通知">关于做好冬季安全生产工作的通知</a><span>2026-11-20</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2026/11/18/art_1229123_58912300.html" target="_blank">关于开展消防检查的通知</a><span>2026-11-18</span></li>]]></record>
</recordset></datastore></script>
<script>$('#1229123').jpage({dataStore: dataStore, perPage: 2, totalRecord: 5});</script>
</div></div></body></html>`

func TestParse_JCMSDatastore(t *testing.T) {
	u := mustURL(t, "http://www.example.gov.cn/col/col1229123/index.html")
	ref := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	d := ParseWith([]byte(jcmsColumn), u, Options{Now: ref})
	l := d.List
	if len(l.Items) != 2 || l.Items[0].Title != "关于做好冬季安全生产工作的通知" || !l.Items[0].Dated || l.Items[0].URL != "http://www.example.gov.cn/art/2026/11/20/art_1229123_58912345.html" {
		t.Fatalf("items %+v", l.Items)
	}
	var next string
	for _, s := range linkURLs(d) {
		if strings.Contains(s, "dataproxy.jsp") {
			next = s
		}
	}
	nu := mustURL(t, next)
	if q := nu.Query(); q.Get("startrecord") != "3" || q.Get("endrecord") != "8" || q.Get("perpage") != "2" || q.Get("columnid") != "1229123" {
		t.Fatalf("next group %q", next)
	}
	// The dataproxy answer: a bare datastore, a continuation of the list.
	answer := `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>4</totalrecord><recordset>
<record><![CDATA[<li><a href="/art/2026/10/1/art_1229123_1.html">三</a><span>2026-10-01</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2026/9/1/art_1229123_2.html">四</a><span>2026-09-01</span></li>]]></record>
</recordset></datastore>`
	d = ParseWith([]byte(answer), nu, Options{Now: ref})
	if !d.Continuation || len(d.List.Items) != 2 {
		t.Fatalf("continuation %v items %+v", d.Continuation, d.List.Items)
	}
	for _, s := range linkURLs(d) {
		if strings.Contains(s, "dataproxy") {
			t.Errorf("all 4 records shown, still a next group: %s", s)
		}
	}
	// An empty datastore is an empty list, not an error.
	empty := strings.Replace(jcmsColumn, jcmsColumn[strings.Index(jcmsColumn, "<recordset>"):strings.Index(jcmsColumn, "</recordset>")], "<recordset>", 1)
	if d := ParseWith([]byte(empty), u, Options{Now: ref}); len(d.List.Items) != 0 {
		t.Errorf("empty datastore listed %+v", d.List.Items)
	}
}

// Table cells, list items and neighbouring elements never run two numbers
// into one.
func TestParse_SegmentsKeepNumbersApart(t *testing.T) {
	for _, in := range []string{
		`<table><tr><td>110101199003071234</td><td>2000</td></tr></table>`,
		`<div class="row"><span>110101199003071234</span><span>2000</span></div>`,
		`<ul><li>110101199003071234</li><li>2000</li></ul>`,
		`<p>110101199003071234<br>2000</p>`,
	} {
		d := Parse([]byte(in), nil)
		if strings.Contains(d.Text, "1101011990030712342000") {
			t.Errorf("%s: %q", in, d.Text)
		}
	}
	// Chinese across inline elements stays one word.
	if d := Parse([]byte(`<p><span>按</span><span>装</span>2026<b>年</b></p>`), nil); d.Text != "按装2026年" {
		t.Errorf("%q", d.Text)
	}
}

func TestParse_FramesAndCanonical(t *testing.T) {
	u := mustURL(t, "http://www.example.gov.cn/zwgk/tzgg/")
	d := Parse([]byte(`<head><link rel="canonical" href="/zwgk/tzgg/index.shtml"></head><div class="main"><iframe src="/list/tzgg_list.html" title="列表"></iframe></div>
<div class="footer"><iframe src="/foot.html"></iframe></div>`), u)
	if !slices.Equal(d.Frames, []string{"http://www.example.gov.cn/list/tzgg_list.html"}) || d.Canonical != "http://www.example.gov.cn/zwgk/tzgg/index.shtml" {
		t.Errorf("frames %q canonical %q", d.Frames, d.Canonical)
	}
	d = Parse([]byte(`<frameset cols="200,*"><frame src="left.html"><frame src="main.html"></frameset>`), u)
	if got := linkURLs(d); !slices.Equal(got, []string{"http://www.example.gov.cn/zwgk/tzgg/left.html", "http://www.example.gov.cn/zwgk/tzgg/main.html"}) {
		t.Errorf("frameset %q", got)
	}
}

// The same sidebar on two pages has one signature; the pages' own lists
// have others.
func TestParse_BlockSignatures(t *testing.T) {
	side := `<div class="leftbox"><h3>政务公开</h3><ul><li><a href="/zwgk/tzgg/">通知公告</a></li><li><a href="/zwgk/zcwj/">政策文件</a></li></ul></div>`
	ref := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	a := ParseWith([]byte(`<body>`+side+`<div class="list"><ul><li><a href="t1.html">甲</a> 2026-11-20</li></ul></div></body>`), mustURL(t, "http://x.gov.cn/zwgk/tzgg/"), Options{Now: ref})
	b := ParseWith([]byte(`<body>`+side+`<div class="list"><ul><li><a href="t2.html">乙</a> 2026-11-21</li></ul></div></body>`), mustURL(t, "http://x.gov.cn/zwgk/zcwj/"), Options{Now: ref})
	la, lb := a.List, b.List
	// The menu's link to the page itself is no item.
	if len(la.Items) != 2 || len(lb.Items) != 2 {
		t.Fatalf("items %+v %+v", la.Items, lb.Items)
	}
	if la.Items[0].Block == 0 || la.Items[0].Block != lb.Items[0].Block {
		t.Errorf("sidebar signatures differ: %x %x", la.Items[0].Block, lb.Items[0].Block)
	}
	if la.Items[1].Block == lb.Items[1].Block {
		t.Errorf("the pages' own lists share a signature")
	}
	if a.Links[1].Block != la.Items[0].Block {
		t.Errorf("link and item blocks differ")
	}
}

// A long number is labelled by its column's header.
func TestParse_HeaderLabels(t *testing.T) {
	d := Parse([]byte(`<table><tr><th>索引号</th><th>统一社会信用代码</th><th>名称</th></tr>
<tr><td>11331120MB1955782L/2026-00412</td><td>123311200103154275</td><td>某公司</td></tr></table>
<table><tr><td>姓名</td><td>身份证号</td><td>金额</td></tr><tr><td>张某</td><td>330106198703152315</td><td>1250.00</td></tr></table>`), nil)
	want := map[string]string{"11331120MB1955782L": "索引号", "123311200103154275": "统一社会信用代码", "330106198703152315": "身份证号"}
	for k, v := range want {
		if d.HeaderLabels[k] != v {
			t.Errorf("%s labelled %q, want %q (%v)", k, d.HeaderLabels[k], v, d.HeaderLabels)
		}
	}
}

// An operator's chrome selectors make a block the site's template on every
// page, when the learning cannot see it (a one-page section, say).
func TestParseWith_ChromeSelectors(t *testing.T) {
	u := mustURL(t, "http://x.gov.cn/zwgk/tzgg/")
	page := []byte(`<body><div class="qx-col"><ul><li><a href="/zwgk/zcwj/">政策文件</a></li><li><a href="/zwgk/rsxx/">人事信息</a></li></ul></div>
<div class="list"><ul><li><a href="t1.html">关于做好冬季安全生产工作的通知</a> 2026-11-20</li></ul></div></body>`)
	tpl, err := CompileTemplate([]string{"div.qx-col", "#none"})
	if err != nil {
		t.Fatal(err)
	}
	d := ParseWith(page, u, Options{Template: tpl, Now: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
	if l := d.List; len(l.Items) != 1 || !l.Items[0].Dated {
		t.Errorf("items %+v", l.Items)
	}
	if strings.Contains(d.Text, "政策文件") || !strings.Contains(d.Boilerplate, "政策文件") {
		t.Errorf("text %q boilerplate %q", d.Text, d.Boilerplate)
	}
	if len(Parse(page, u).Links) != len(d.Links) {
		t.Errorf("chrome links are no longer links")
	}
	if _, err := CompileTemplate([]string{"div[class="}); err == nil || !strings.Contains(err.Error(), "div[class=") {
		t.Errorf("a bad selector: %v", err)
	}
}

func TestParse_HostileAndOddLinks(t *testing.T) {
	u := mustURL(t, "http://x.gov.cn/a/")
	// srcset read as the standard reads it: a data: URL keeps its commas.
	d := Parse([]byte(`<img src="/p.jpg" srcset="data:image/gif;base64,R0lGODlhAQABAAAAACw=, /p2.jpg 2x,/p3.jpg 3x">`), u)
	if got := linkURLs(d); !slices.Equal(got, []string{"http://x.gov.cn/p.jpg", "http://x.gov.cn/p2.jpg", "http://x.gov.cn/p3.jpg"}) {
		t.Errorf("srcset: %q", got)
	}
	// Local files pasted from Word are malformed links.
	for _, href := range []string{`file:///C:/Users/admin/Desktop/附件1.doc`, `C:\Documents and Settings\附件2.xls`, `D:/公示/名单.xlsx`, `\\fileserver\share\a.doc`} {
		d := Parse([]byte(`<a href="`+href+`">附件</a>`), u)
		if len(d.BadLinks) != 1 || d.BadLinks[0].Reason != ReasonLocal {
			t.Errorf("%s: %+v", href, d.BadLinks)
		}
	}
	// Each URL once per page, and a bound on a page's links.
	var b strings.Builder
	for i := range MaxLinks + 500 {
		fmt.Fprintf(&b, `<a href="/p%d.html">页</a><a href="/p0.html">重复</a>`, i)
	}
	b.WriteString(strings.Repeat(`<script>createPageHTML(999, 0, "index", "shtml");</script>`, 50))
	if d := Parse([]byte(b.String()), u); len(d.Links) != MaxLinks {
		t.Errorf("%d links", len(d.Links))
	}
	// One broken JCMS record does not swallow the page.
	page := strings.Replace(jcmsColumn, `<span>2026-11-20</span></li>]]>`, `<span>2026-11-20</span></li><!-- 未闭合]]>`, 1)
	if d := ParseWith([]byte(page), u, Options{Now: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}); len(d.List.Items) != 2 {
		t.Errorf("a record with an open comment swallowed the rest")
	}
}

func TestParse_HeaderLabelsSpans(t *testing.T) {
	// rowspan: the second row's ID number sits under 身份证号, not under the
	// credit code column the first row's spanning cells fill.
	d := Parse([]byte(`<table><tr><th>单位</th><th>统一社会信用代码</th><th>负责人</th><th>身份证号</th></tr>
<tr><td rowspan="2">某合作社</td><td rowspan="2">93331100MA2XXXXX1K</td><td>张某</td><td>330106198703152315</td></tr>
<tr><td>李某</td><td>11010519491231002X</td></tr></table>`), nil)
	if d.HeaderLabels["11010519491231002X"] != "身份证号" || d.HeaderLabels["330106198703152315"] != "身份证号" || d.HeaderLabels["93331100MA2XXXXX1K"] != "统一社会信用代码" {
		t.Errorf("labels %v", d.HeaderLabels)
	}
	// A huge colspan is clamped as browsers clamp it (unclamped, this
	// allocated gigabytes).
	d = Parse([]byte(`<table><tr><th colspan="2000000000">号码</th><th>x</th></tr><tr><td>123456789012345678</td></tr></table>`), nil)
	if d.HeaderLabels["123456789012345678"] != "号码" {
		t.Errorf("colspan: %v", d.HeaderLabels)
	}
}

// A million-character href is a malformed link in a short form.
func TestParse_LongURL(t *testing.T) {
	u := mustURL(t, "http://x.gov.cn/")
	d := Parse([]byte(`<a href="/`+strings.Repeat("a", 1_000_000)+`">长</a>`), u)
	if len(d.Links) != 0 || len(d.BadLinks) != 1 || len(d.BadLinks[0].Raw) > 210 || !strings.Contains(d.BadLinks[0].Reason, "1000001") {
		t.Fatalf("links %d, bad %+v", len(d.Links), len(d.BadLinks))
	}
}
