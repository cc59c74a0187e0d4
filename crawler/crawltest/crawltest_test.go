package crawltest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/xunjian/xunjian/rules"
)

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, method, u string, body io.Reader, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, b}
}

func get(t *testing.T, u string) response { t.Helper(); return do(t, http.MethodGet, u, nil) }

func TestServe_FilesIndexesAndContentTypes(t *testing.T) {
	w := Serve(t, "trs")
	for _, tc := range []struct {
		path, ctype string
		status      int
	}{
		{"/", "text/html", 200},
		{"/index.shtml", "text/html", 200},
		{"/zwgk/tzgg/", "text/html", 200},
		{"/zwgk/tzgg/index_4.shtml", "text/html", 200},
		{"/zwgk/tzgg/index_4.shtml?from=nav", "text/html", 200}, // a static file ignores the query
		{"/js/common.js", "application/javascript", 200},
		{"/css/style.css", "text/css", 200},
		{"/images/logo.png", "image/png", 200},
		{"/zwgk/tzgg/202611/P020261120345678901234.pdf", "application/pdf", 200},
		{"/zwgk/zcwj/202609/P020260918567890123456.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 200},
		{"/zwgk/tzgg/index_5.shtml", "text/html", 404},
		{"/_routes.tsv", "text/html", 404}, // route-only files are never served by path
		{"/zwfw/old/", "text/html", 500},
	} {
		r := get(t, w.URL(tc.path))
		if r.status != tc.status || r.header.Get("Content-Type") != tc.ctype {
			t.Errorf("GET %s = %d %q, want %d %q", tc.path, r.status, r.header.Get("Content-Type"), tc.status, tc.ctype)
		}
	}
	if a, b := get(t, w.URL("/")).body, get(t, w.URL("/index.shtml")).body; !bytes.Equal(a, b) {
		t.Error("/ and /index.shtml differ")
	}
	r := get(t, w.URL("/zwgk/tzgg?x=1"))
	if r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/zwgk/tzgg/?x=1" {
		t.Errorf("folder without slash = %d Location %q, want 301 /zwgk/tzgg/?x=1", r.status, r.header.Get("Location"))
	}
	if r := do(t, http.MethodPost, w.URL("/index.shtml"), strings.NewReader("a=1")); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST to a static file = %d, want 405", r.status)
	}
	full := get(t, w.URL("/index.shtml"))
	head := do(t, http.MethodHead, w.URL("/index.shtml"), nil)
	if head.status != 200 || len(head.body) != 0 || head.header.Get("Content-Length") != fmt.Sprint(len(full.body)) {
		t.Errorf("HEAD = %d, %d body bytes, Content-Length %s; want 200, none, %d", head.status, len(head.body), head.header.Get("Content-Length"), len(full.body))
	}
}

func TestServe_PlaceholdersReplaced(t *testing.T) {
	w := Serve(t, "trs")
	home := get(t, w.URL("/")).body
	if bytes.Contains(home, []byte("{{")) {
		t.Error("home page still holds a {{…}} placeholder")
	}
	for _, want := range []string{`href="` + w.Ext + `/zwfw/"`, `href="` + w.WWW + `/"`, `url=` + w.WWW + `/"`} {
		if !bytes.Contains(home, []byte(want)) {
			t.Errorf("home page lacks %s", want)
		}
	}
	if w.WWW == w.Ext || !strings.HasPrefix(w.WWW, "http://127.0.0.1:") || !strings.HasPrefix(w.Ext, "http://127.0.0.1:") {
		t.Errorf("origins %q %q: want two loopback servers", w.WWW, w.Ext)
	}
	// route header values are expanded too
	m := Serve(t, "misc")
	r := get(t, m.Ext+"/")
	if r.status != http.StatusMovedPermanently || r.header.Get("Location") != m.Ext+"/index.html" {
		t.Errorf("ext / = %d Location %q, want 301 %s/index.html", r.status, r.header.Get("Location"), m.Ext)
	}
	// binary files are left alone
	if png := get(t, w.URL("/images/logo.png")).body; !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Error("logo.png is no PNG")
	}
}

func TestServe_GBKDeclaredOnlyInHeader(t *testing.T) {
	w := Serve(t, "trs")
	r := get(t, w.URL("/xwzx/zwyw/202611/t20261105_123001.html"))
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=gbk" {
		t.Fatalf("Content-Type %q", ct)
	}
	if utf8.Valid(r.body) {
		t.Fatal("the GBK page is valid UTF-8: not converted")
	}
	if bytes.Contains(bytes.ToLower(r.body), []byte("charset")) {
		t.Error("the GBK page declares a charset in its HTML; it must rely on the header only")
	}
	text, err := simplifiedchinese.GBK.NewDecoder().Bytes(r.body)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>区政府召开冬季安全生产工作部署会_示例区人民政府</title>", "周密布署", "再接再励",
		`content="` + w.WWW + `/xwzx/zwyw/202611/t20261105_123001.html"`} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("decoded GBK page lacks %s", want)
		}
	}
}

func TestServe_GB2312MetaAfter1024Bytes(t *testing.T) {
	w := Serve(t, "trs")
	r := get(t, w.URL("/zwgk/zcwj/201706/t20170615_45678.html"))
	if ct := r.header.Get("Content-Type"); ct != "text/html" {
		t.Errorf("Content-Type %q, want text/html without charset", ct)
	}
	if i := bytes.Index(r.body, []byte(`<meta charset="gb2312"`)); i < 1024 {
		t.Errorf("<meta charset> at byte %d, want after 1024", i)
	}
	if utf8.Valid(r.body) {
		t.Error("the GB2312 page is valid UTF-8")
	}
	text, err := simplifiedchinese.GBK.NewDecoder().Bytes(r.body)
	if err != nil || !bytes.Contains(text, []byte("<title>示例区环境保护局关于加强建设项目环境影响评价管理的通知_示例区人民政府</title>")) {
		t.Errorf("decoded GB2312 page lacks its title (err %v)", err)
	}
}

func TestServe_RoutesAndQueries(t *testing.T) {
	w := Serve(t, "trs")
	article := get(t, w.URL("/zwgk/tzgg/202611/t20261120_123456.html")).body
	for _, p := range []string{"/content.jsp?col=tzgg&id=123456", "/content.jsp?id=123456&col=tzgg", "/content.jsp?col=%74zgg&id=123456", "/content.jsp/?col=tzgg&id=123456"} {
		if r := get(t, w.URL(p)); r.status != 200 || !bytes.Equal(r.body, article) {
			t.Errorf("GET %s = %d, same bytes as the article: %v", p, r.status, bytes.Equal(r.body, article))
		}
	}
	for _, p := range []string{"/content.jsp?col=tzgg&id=999", "/content.jsp", "/content.jsp?col=tzgg&id=123456&x=1"} {
		if r := get(t, w.URL(p)); r.status != 404 {
			t.Errorf("GET %s = %d, want 404", p, r.status)
		}
	}

	m := Serve(t, "misc")
	if r := get(t, m.URL("/")); r.status != 200 || !bytes.Contains(r.body, []byte(`window.location.href="/index.shtml"`)) {
		t.Errorf("misc / = %d, want the script redirect", r.status)
	}
	if r := get(t, m.URL("/xwzx/zwyw/index.html?page=2")); !bytes.Contains(r.body, []byte("区市场监管局开展电梯安全专项检查")) {
		t.Error("?page=2 does not serve page 2")
	}
	if r := get(t, m.URL("/xwzx/zwyw/index.html?page=9")); !bytes.Contains(r.body, []byte("桐溪区召开2026年冬季安全生产工作会议")) {
		t.Error("an unknown page number does not serve page 1")
	}
	r := get(t, m.Ext+"/hdjl/")
	if r.status != http.StatusFound || r.header.Get("Location") != m.Ext+"/hdjl/index.jsp" {
		t.Errorf("ext /hdjl/ = %d %q", r.status, r.header.Get("Location"))
	}
	if _, err := http.Get(m.Ext + "/hdjl/"); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("following ext /hdjl/: %v, want a redirect loop", err)
	}
	if r := get(t, m.URL("/xwzx/zwyw/202403/20240312_567.html")); r.status != 200 || !bytes.Contains(r.body, []byte("不存在")) {
		t.Errorf("soft 404 = %d", r.status)
	}
}

func TestServe_JCMSDataproxy(t *testing.T) {
	w := Serve(t, "jcms")
	const proxy = "/module/web/jpage/dataproxy.jsp"
	form := "col=1&appid=1&webid=1&path=%2F&columnid=1229123&sourceContentType=1&unitid=5678901&webname=%E9%B9%AD%E6%B1%9F%E5%8C%BA%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0"
	want := "/art/2026/11/3/art_1229123_58912288.html"
	// as jpage.js sends it: the range in the query, the column in a POSTed form
	r := do(t, http.MethodPost, w.URL(proxy+"?startrecord=6&endrecord=10&perpage=5"), strings.NewReader(form), "Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	if r.status != 200 || !bytes.Contains(r.body, []byte(want)) || r.header.Get("Content-Type") != "text/xml;charset=UTF-8" {
		t.Errorf("POST dataproxy = %d %q, record 7 present: %v", r.status, r.header.Get("Content-Type"), bytes.Contains(r.body, []byte(want)))
	}
	// everything in the query, another order, webname as raw UTF-8
	q, _ := url.ParseQuery(form + "&startrecord=6&endrecord=10&perpage=5")
	if r := get(t, w.URL(proxy+"?"+q.Encode())); !bytes.Contains(r.body, []byte(want)) {
		t.Error("GET dataproxy with every parameter in the query misses record 7")
	}
	// the nextgroup link as printed in the page, and the next page number
	page := get(t, w.URL("/col/col1229123/index.html")).body
	next := regexp.MustCompile(`<nextgroup><!\[CDATA\[<a href="([^"]+)"`).FindSubmatch(page)
	if next == nil {
		t.Fatal("no nextgroup link in col1229123")
	}
	if r := get(t, w.URL(string(next[1]))); !bytes.Contains(r.body, []byte("<totalpage>2</totalpage>")) || bytes.Contains(r.body, []byte(want)) {
		t.Error("nextgroup page=1 should answer the first records and totalpage 2")
	}
	if r := get(t, w.URL(strings.Replace(string(next[1]), "page=1", "page=2", 1))); !bytes.Contains(r.body, []byte(want)) {
		t.Error("page=2 misses record 7")
	}
	if bytes.Contains(page, []byte(want)) {
		t.Error("record 7 must be reachable only through dataproxy.jsp")
	}
	// anything else: an empty datastore
	if r := get(t, w.URL(proxy+"?startrecord=6&endrecord=10&perpage=5")); r.status != 200 || !bytes.Contains(r.body, []byte("<totalrecord>0</totalrecord>")) {
		t.Errorf("dataproxy without the column = %d, want an empty datastore", r.status)
	}
	if r := get(t, w.URL("/_dataproxy/empty.xml")); r.status != 404 {
		t.Errorf("a route-only file served by path: %d", r.status)
	}
}

func TestWorld_Hits(t *testing.T) {
	w := Serve(t, "misc")
	if n := w.Hits("/index.shtml"); n != 0 {
		t.Fatalf("hits before any request: %d", n)
	}
	get(t, w.URL("/index.shtml"))
	get(t, w.URL("/index.shtml"))
	do(t, http.MethodHead, w.URL("/index.shtml"), nil)
	get(t, w.URL("/xwzx/zwyw/index.html?page=2"))
	get(t, w.URL("/xwzx/zwyw/index.html"))
	get(t, w.Ext+"/")
	get(t, w.Ext+"/nothing.html")
	for target, want := range map[string]int{
		"/index.shtml":                        3,
		w.WWW + "/index.shtml":                3,
		"/xwzx/zwyw/index.html":               2,
		"/xwzx/zwyw/index.html?page=2":        1,
		"/xwzx/zwyw/index.html?page=3":        0,
		w.Ext + "/":                           1,
		"{{EXT}}/nothing.html":                1,
		"/nothing.html":                       0,
		"/zwgk/tzgg/index.html":               0,
		"/xwzx/zwyw/index.html?page=2&x=":     0,
		"/xwzx/zwyw/index.html?x=&page=2":     0,
		"{{WWW}}/xwzx/zwyw/index.html?page=2": 1,
	} {
		if got := w.Hits(target); got != want {
			t.Errorf("Hits(%q) = %d, want %d", target, got, want)
		}
	}
	reqs := w.Requests()
	if len(reqs) != 7 || reqs[2].Method != http.MethodHead || reqs[6].Host != HostExt || reqs[6].Status != 404 {
		t.Errorf("Requests() = %+v", reqs)
	}
}

func TestStart_CloseAndUnknownWorld(t *testing.T) {
	if _, err := Start("nosuchworld"); !errors.Is(err, ErrUnknownWorld) {
		t.Errorf("Start(nosuchworld) = %v", err)
	}
	w, err := Start("jcms")
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, w.URL("/")); r.status != 200 {
		t.Errorf("jcms / = %d", r.status)
	}
	w.Close()
	if _, err := http.Get(w.URL("/")); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestParseRoutes_BadLinePanicsWithFileLine(t *testing.T) {
	for _, tc := range []struct{ routes, want string }{
		{"# ok\n/a\t200\tindex.html\n/b\t2OO\t-\n", "x/_routes.tsv:3: bad status"},
		{"/a\t301\t-\n", "x/_routes.tsv:1: redirect 301 without a Location"},
		{"/a\t200\tmissing.html\n", "x/_routes.tsv:1: file \"missing.html\" does not exist"},
		{"a\t200\t-\n", "x/_routes.tsv:1: path \"a\" does not start with /"},
		{"/a\t200\t-\tContent-Type text/html\n", "x/_routes.tsv:1: header"},
		{"/a 200 -\n", "x/_routes.tsv:1: want PATH"},
	} {
		fsys := fstest.MapFS{"_routes.tsv": {Data: []byte(tc.routes)}, "index.html": {Data: []byte("x")}}
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.Contains(msg, tc.want) {
					t.Errorf("routes %q: panic %q, want %q", tc.routes, msg, tc.want)
				}
			}()
			parseRoutes(fsys, "x/_routes.tsv")
		}()
	}
}

// ---------------------------------------------------------------------------
// The fixtures themselves: EXPECT.tsv and TRAPS.tsv must say true things
// about the served worlds, and nothing the rules or the privacy patterns
// find may go unaccounted for.

var categories = []string{"site_unreachable", "homepage_stale", "stale_column", "empty_column", "dead_link", "typo",
	"serious_error", "obsolete_name", "sensitive_word", "punctuation", "privacy_leak", "policy_metadata", "dark_link",
	"interaction_unanswered", "certificate"}

var trapKinds = []string{"list_item", "column", "duplicate", "crawl"}

// decode turns a served page into UTF-8: the header's charset, else a
// <meta> anywhere (the GB2312 page puts it after 1,024 bytes), else UTF-8.
func decode(t *testing.T, r response) string {
	t.Helper()
	enc, name, certain := charset.DetermineEncoding(r.body, r.header.Get("Content-Type"))
	if !certain {
		if m := regexp.MustCompile(`(?i)charset=["']?([\w-]+)`).FindSubmatch(r.body); m != nil {
			if e, n := charset.Lookup(string(m[1])); e != nil {
				enc, name = e, n
			}
		}
	}
	if name == "utf-8" || name == "windows-1252" {
		return string(r.body)
	}
	b, err := enc.NewDecoder().Bytes(r.body)
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return string(b)
}

var (
	scripts = regexp.MustCompile(`(?is)<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->`)
	tags    = regexp.MustCompile(`<[^>]*>`)
)

// visible is a page's text without markup: where typos and numbers count.
func visible(html string) string {
	return tags.ReplaceAllString(scripts.ReplaceAllString(html, ""), "\n")
}

type world struct {
	*World
	expect, traps []Line
	pages         map[string]string // URL path (with query) → decoded page, for every page served
}

func load(t *testing.T, name string) world {
	t.Helper()
	w := world{World: Serve(t, name), pages: map[string]string{}}
	var err error
	if w.expect, err = Expect(name); err != nil {
		t.Fatal(err)
	}
	if w.traps, err = Traps(name); err != nil {
		t.Fatal(err)
	}
	root, _ := FS(name)
	// every HTML file served by path, and every route's target
	var paths []string
	paths = append(paths, htmlFiles(root, HostWWW)...)
	for _, l := range append(slices.Clone(w.expect), w.traps...) {
		paths = append(paths, l.Page)
	}
	for _, p := range paths {
		if _, ok := w.pages[p]; ok {
			continue
		}
		r := get(t, w.URL(p))
		if r.status == 200 {
			w.pages[p] = decode(t, r)
		}
	}
	return w
}

func TestFixtures_ExpectAndTrapsHold(t *testing.T) {
	for _, name := range Worlds() {
		t.Run(name, func(t *testing.T) {
			w := load(t, name)
			if len(w.expect) == 0 || len(w.traps) == 0 {
				t.Fatal("empty EXPECT.tsv or TRAPS.tsv")
			}
			for _, l := range w.expect {
				checkLine(t, w, l, "EXPECT", false)
			}
			for _, l := range w.traps {
				checkLine(t, w, l, "TRAPS", true)
			}
		})
	}
}

func checkLine(t *testing.T, w world, l Line, file string, trap bool) {
	t.Helper()
	where := fmt.Sprintf("%s/%s:%d", w.Name, file, l.Line)
	if !slices.Contains(categories, l.Category) && !(trap && slices.Contains(trapKinds, l.Category)) {
		t.Errorf("%s: unknown category %q", where, l.Category)
		return
	}
	page, ok := w.pages[l.Page]
	if !ok {
		t.Errorf("%s: page %s does not answer 200", where, l.Page)
		return
	}
	ev := w.Expand(l.Evidence)
	switch l.Category {
	case "dead_link":
		if strings.Contains(l.Note, "malformed") {
			if !strings.Contains(page, `="`+ev+`"`) {
				t.Errorf("%s: %s has no href %q", where, l.Page, ev)
			}
			return
		}
		target, err := url.Parse(ev)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			return
		}
		if !linked(w.World, page, target) {
			t.Errorf("%s: %s does not link %s", where, l.Page, ev)
		}
		res, err := http.Get(ev)
		switch {
		case trap && (err != nil || res.StatusCode != 200):
			t.Errorf("%s: %s should answer 200 in the end: %v %v", where, ev, err, res)
		case !trap && err == nil && res.StatusCode < 400:
			body, _ := io.ReadAll(res.Body)
			if !strings.Contains(l.Note, "soft 404") || !bytes.Contains(body, []byte("不存在")) {
				t.Errorf("%s: %s answers %d", where, ev, res.StatusCode)
			}
		}
		if res != nil {
			res.Body.Close()
		}
	case "list_item":
		if !strings.Contains(page, `="`+ev+`"`) && !strings.Contains(page, `="`+strings.ReplaceAll(ev, "&", "&amp;")+`"`) {
			t.Errorf("%s: %s has no link to %s", where, l.Page, ev)
		}
	case "crawl": // in an attribute or a script
		if !strings.Contains(page, ev) {
			t.Errorf("%s: %s does not refer to %s", where, l.Page, ev)
		}
	case "column": // another page or URL of a column: it answers 200, as checked above
	case "duplicate":
		a, b := get(t, w.URL(l.Page)), get(t, w.URL(ev))
		if a.status != 200 || !bytes.Equal(a.body, b.body) {
			t.Errorf("%s: %s and %s are not the same bytes", where, l.Page, ev)
		}
	case "empty_column", "stale_column", "homepage_stale":
		for f := range strings.FieldsSeq(ev) {
			if !strings.Contains(page, f) {
				t.Errorf("%s: %s does not show %q", where, l.Page, f)
			}
		}
	default:
		if !strings.Contains(visible(page), ev) {
			t.Errorf("%s: the text of %s lacks %q", where, l.Page, ev)
		}
	}
}

// linked reports whether page refers to target: by its full address, or
// (on the district site, where links are relative) by its last segment.
func linked(w *World, page string, target *url.URL) bool {
	full := target.String()
	if strings.Contains(page, full) || strings.Contains(page, strings.ReplaceAll(full, "&", "&amp;")) {
		return true
	}
	if !strings.HasPrefix(full, w.WWW) {
		return false
	}
	ref := target.RequestURI()
	if !strings.HasSuffix(target.Path, "/") {
		ref = path.Base(target.Path)
		if target.RawQuery != "" {
			ref += "?" + target.RawQuery
		}
	}
	return strings.Contains(page, ref) || strings.Contains(page, strings.ReplaceAll(ref, "&", "&amp;"))
}

// htmlFiles lists the URL paths of the pages a host serves by path.
func htmlFiles(root fs.FS, host string) []string {
	var out []string
	_ = fs.WalkDir(root, host, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), "_") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch path.Ext(p) {
		case ".html", ".htm", ".shtml", ".jsp":
			out = append(out, strings.TrimPrefix(p, host))
		}
		return nil
	})
	return out
}

// TestFixtures_EveryRuleHitIsPlanned runs the rule terms and the personal
// data patterns over every page: each hit must be an EXPECT line (a defect)
// or a TRAPS line (a correct text that looks like one) of that page, and
// each EXPECT text line must be one of the rules' terms.
func TestFixtures_EveryRuleHitIsPlanned(t *testing.T) {
	set, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	kindOf := map[rules.Kind]string{rules.Typo: "typo", rules.Serious: "serious_error", rules.Obsolete: "obsolete_name",
		rules.Law: "obsolete_name", rules.Sensitive: "sensitive_word"}
	mobile := regexp.MustCompile(`(?:^|[^0-9*])(1[3-9]\d{9})(?:$|[^0-9*])`)
	id := regexp.MustCompile(`(?:^|[^0-9A-Za-z*])([1-8]\d{16}[\dXx])(?:$|[^0-9A-Za-z*])`)
	for _, name := range Worlds() {
		t.Run(name, func(t *testing.T) {
			w := load(t, name)
			lines := append(slices.Clone(w.expect), w.traps...)
			// pages with the same text are one page (aliases)
			planned := func(page, category, term string) bool {
				for _, l := range lines {
					if l.Category == category && w.pages[l.Page] == w.pages[page] &&
						(strings.Contains(l.Evidence, term) || strings.Contains(term, l.Evidence)) {
						return true
					}
				}
				return false
			}
			for p, html := range w.pages {
				text := visible(html)
				for _, h := range set.Match(text) {
					if h.InException(text) {
						continue // 中华人民共 inside 中华人民共和国: the rule's own exception
					}
					if !planned(p, kindOf[h.Rule.Kind], h.Term) {
						t.Errorf("%s: unplanned %s %q (%s)", p, kindOf[h.Rule.Kind], h.Term, h.Rule.ID)
					}
				}
				for _, re := range []*regexp.Regexp{mobile, id} {
					for _, m := range re.FindAllStringSubmatch(text, -1) {
						if re == id && !validID(m[1]) {
							continue
						}
						if !planned(p, "privacy_leak", m[1]) {
							t.Errorf("%s: unplanned personal number %s", p, m[1])
						}
					}
				}
				for _, m := range halfWidth(text) {
					if !planned(p, "punctuation", m) {
						t.Errorf("%s: unplanned half-width punctuation in %q", p, m)
					}
				}
			}
			for _, l := range w.expect {
				// Found by the typo detector (typo.suspect), not by a rule.
				if strings.Contains(l.Note, "typo.suspect") {
					continue
				}
				if k := l.Category; k == "typo" || k == "serious_error" || k == "obsolete_name" {
					hits := set.Match(l.Evidence)
					if len(hits) != 1 || kindOf[hits[0].Rule.Kind] != k {
						t.Errorf("%s/EXPECT.tsv:%d: %q is not a %s term of the rules", name, l.Line, l.Evidence, k)
					}
				}
			}
		})
	}
}

func validID(s string) bool {
	w := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(s[i]-'0') * w[i]
	}
	return "10X98765432"[sum%11] == strings.ToUpper(s[17:])[0]
}

// halfWidth finds , ; : ? ! ( ) inside Chinese text the way the
// punctuation check reads it: a Chinese character on both sides, or one
// before and an opening “《（ after, or a closing ”》） before and one after;
// and paragraphs (lines) whose 《》 “” （） do not pair. It returns the marks.
func halfWidth(text string) []string {
	han := func(r rune) bool { return unicode.Is(unicode.Han, r) }
	var out []string
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !strings.ContainsRune(",;:?!()", rune(c)) {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(strings.TrimLeft(text[i+1:], " \t"))
		switch {
		case han(before) && han(after),
			c != '(' && c != ')' && han(before) && strings.ContainsRune("“《（", after),
			c != '(' && c != ')' && strings.ContainsRune("”》）", before) && han(after):
			out = append(out, string(c))
		}
	}
	for line := range strings.Lines(text) {
		for _, p := range [][2]string{{"《", "》"}, {"“", "”"}, {"（", "）"}} {
			if strings.Count(line, p[0]) != strings.Count(line, p[1]) {
				out = append(out, p[0]+p[1])
			}
		}
	}
	return out
}
