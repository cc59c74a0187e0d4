package extract

import (
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Item is one entry of a column's list: a link with the date shown beside it.
type Item struct {
	Title string
	URL   string
	Date  time.Time
	Dated bool // a date was shown; an undated item counts as not updated
	// Block is the signature of the block listing the item (see
	// Link.Block): items in a block the site repeats on many pages are its
	// navigation, not the column's.
	Block uint64
}

// List is what a page says as a column list page.
type List struct {
	Items []Item
	// Placeholder: the page says it has nothing (暂无信息, 暂无内容 …).
	Placeholder bool
	// Explained: the page says why it is empty (本单位暂无此类信息，特此说明),
	// which the indicators accept for an empty column.
	Explained bool
}

var placeholders = []string{"暂无信息", "暂无内容", "暂无数据", "暂无记录", "没有记录", "暂无相关信息", "没有相关信息", "正在建设中", "栏目建设中"}

var explanations = []string{"特此说明", "暂无此类信息", "不涉及此类", "本单位不涉及", "无此类信息"}

// anchor is a link of the page's main content (not the header, navigation
// or footer, not hidden), which may be a list item, and the index of its
// block (-1: none).
type anchor struct {
	a   *html.Node
	blk int
}

// list reads the page's list once its text is known: the anchors that sit
// in a list row (li, tr, dd) or beside a date, with the date from the row's
// text outside the link.
func (w *walker) list() {
	d := w.doc
	d.List.Placeholder, d.List.Explained = emptyColumn(d.Text)
	if w.listURL == nil || w.skipArticleItems && d.IsArticle() {
		return
	}
	for _, an := range w.anchors {
		it, ok := w.itemOf(an.a)
		if !ok {
			continue
		}
		if an.blk >= 0 {
			it.Block = w.blocks[an.blk].sig
		}
		d.List.Items = append(d.List.Items, it)
	}
}

// emptyColumn reports a page that says it has nothing, and one that says
// why.
func emptyColumn(text string) (placeholder, explained bool) {
	for _, p := range placeholders {
		if strings.Contains(text, p) {
			placeholder = true
		}
	}
	for _, e := range explanations {
		if strings.Contains(text, e) {
			explained = true
		}
	}
	return placeholder, explained
}

// itemOf reads link a as a list item. The cheap tests come first: most
// links of an article are in running text, no item.
func (w *walker) itemOf(a *html.Node) (Item, bool) {
	href := strings.TrimSpace(attr(a, "href"))
	if href == "" || href[0] == '#' || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return Item{}, false
	}
	row := rowOf(a)
	if row == nil {
		return Item{}, false
	}
	var it Item
	linkText := textOf(a)
	if rest, ok := w.rest(row, linkText); ok {
		it.Date, it.Dated = ParseDate(rest, w.ref, true)
	}
	if !it.Dated && !isListRow(row) {
		return Item{}, false // a link in running text, not a list item
	}
	u, err := w.listURL.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return Item{}, false
	}
	if samePage(u, w.listURL) {
		return Item{}, false // the column's own name as a link: no item
	}
	it.Title = collapse(attr(a, "title"))
	if t := collapse(linkText); t != "" && (it.Title == "" || len(t) > len(it.Title)) {
		it.Title = t
	}
	if it.Title == "" || isPagerText(it.Title) {
		return Item{}, false
	}
	it.URL = u.String()
	return it, true
}

// rowOf is the list row holding a link: the nearest li, tr, dd or dt, or the
// parent element when it is small (a link and a date in a div or p).
func rowOf(a *html.Node) *html.Node {
	for n := a.Parent; n != nil && n.Type == html.ElementNode; n = n.Parent {
		if isListRow(n) {
			return n
		}
		if n.DataAtom == atom.Ul || n.DataAtom == atom.Ol || n.DataAtom == atom.Table || n.DataAtom == atom.Body {
			break
		}
	}
	if p := a.Parent; p != nil && p.Type == html.ElementNode && links(p, 2) == 1 {
		return p
	}
	return nil
}

// maxRest bounds the text beside a link read for its date, in characters.
const maxRest = 60

// rest is the text of row besides the link's, collapsed, when it is short
// enough to hold the link's date.
func (w *walker) rest(row *html.Node, linkText string) (string, bool) {
	r := w.rowText(row)
	// Every character but white space stays in the collapsed text: a row
	// with more is too long, whatever its spaces (when both texts are
	// valid UTF-8, the link's is cut from the row's between characters).
	if r.valid && utf8.ValidString(linkText) && r.nonSpace-nonSpace(linkText) > maxRest {
		return "", false
	}
	rest := collapse(strings.Replace(r.text, linkText, " ", 1))
	return rest, utf8.RuneCountInString(rest) <= maxRest
}

// rowText is the text of a list row.
type rowText struct {
	text     string
	nonSpace int  // characters but white space
	valid    bool // valid UTF-8
}

// bigRow is the length of a row's text kept for its other links.
const bigRow = 1 << 10

// rowText reads the text of a row. A long one is read once, however many
// links it holds: an old template's one table row may hold the whole page.
func (w *walker) rowText(row *html.Node) rowText {
	if r, ok := w.rows[row]; ok {
		return r
	}
	s := textOf(row)
	r := rowText{text: s, nonSpace: nonSpace(s), valid: utf8.ValidString(s)}
	if len(s) >= bigRow {
		if w.rows == nil {
			w.rows = map[*html.Node]rowText{}
		}
		w.rows[row] = r
	}
	return r
}

// nonSpace counts the characters of s but white space.
func nonSpace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

func isListRow(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Li, atom.Tr, atom.Dd, atom.Dt:
		return true
	}
	return false
}

// links counts the links in n, up to limit.
func links(n *html.Node, limit int) int {
	c := 0
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			c++
		}
		for ch := n.FirstChild; ch != nil && c < limit; ch = ch.NextSibling {
			rec(ch)
		}
	}
	rec(n)
	return c
}

// isPagerText is the text of pagination and "more" links.
func isPagerText(s string) bool {
	switch strings.Trim(s, " []<>《》»«›") {
	case "更多", "more", "MORE", "更多>>", "首页", "尾页", "上一页", "下一页", "末页", "上页", "下页":
		return true
	}
	if _, err := strconv.Atoi(s); err == nil {
		return true // page numbers
	}
	return false
}

// crumbWords are ids and classes of the "当前位置" breadcrumb.
var crumbWords = map[string]bool{"position": true, "breadcrumb": true, "crumb": true, "crumbs": true, "location": true, "dqwz": true, "bread": true, "weizhi": true}

var crumbSep = strings.NewReplacer(">", "\x00", "＞", "\x00", "›", "\x00", "»", "\x00", "→", "\x00")

// crumbSelector selects the breadcrumb by any of crumbWords as an id or a
// class.
var crumbSelector = func() cascadia.Selector {
	var sel []string
	for _, w := range slices.Sorted(maps.Keys(crumbWords)) {
		sel = append(sel, "[id="+w+" i]", "[class~="+w+" i]")
	}
	return cascadia.MustCompile(strings.Join(sel, ","))
}()

// crumbParts are the parts of the breadcrumb trail in found, without the
// label; nil when found is nil.
func crumbParts(found *html.Node) []string {
	if found == nil {
		return nil
	}
	var parts []string
	for _, p := range strings.Split(crumbSep.Replace(collapse(textOf(found))), "\x00") {
		p = strings.TrimSpace(p)
		if _, after, ok := strings.Cut(p, "："); ok && strings.Contains(p, "位置") {
			p = strings.TrimSpace(after)
		}
		if p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// crumbElement notes the first element marked as the breadcrumb by any of
// crumbWords as its id or a class.
func (w *walker) crumbElement(n *html.Node) {
	if w.crumb != nil || !hasIDOrClass(n) {
		return
	}
	if crumbSelector.Match(n) {
		w.crumb = n
	}
}

func hasIDOrClass(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "id" || a.Key == "class" {
			return true
		}
	}
	return false
}

// crumbLabel starts a breadcrumb in a template that marks it with no class:
// 当前位置：, 您现在的位置：, 所在位置：.
var crumbLabel = regexp.MustCompile(`^\s*(当前位置|您的位置|您现在的位置|您当前的位置|所在位置|当前的位置)\s*[:：]`)

// crumbText notes the element holding a breadcrumb marked by no class but
// by its label: the parent of the first text (not in a script or style)
// that starts with it, a table cell or a div. It is only needed while no
// marked breadcrumb is found.
func (w *walker) crumbText(n *html.Node) {
	if w.crumb != nil || w.labelled != nil || !strings.Contains(n.Data, "位置") { // every label says 位置
		return
	}
	if !crumbLabel.MatchString(n.Data) || n.Parent == nil || n.Parent.DataAtom == atom.Body {
		return
	}
	found := n.Parent
	// <span>当前位置：</span><a>首页</a> &gt; …: the trail is the parent's.
	if crumbLabel.ReplaceAllString(collapse(textOf(found)), "") == "" && found.Parent != nil && found.Parent.DataAtom != atom.Body {
		found = found.Parent
	}
	w.labelled = found
}

// samePage compares two URLs as one page: no fragment, a directory's index
// file folded into the directory.
func samePage(a, b *url.URL) bool {
	key := func(u *url.URL) string {
		p := u.Path
		if dir, file := path.Split(p); indexFile[strings.ToLower(file)] {
			p = dir
		}
		return strings.ToLower(u.Host) + p + "?" + u.RawQuery
	}
	return key(a) == key(b)
}

var indexFile = map[string]bool{"index.html": true, "index.htm": true, "index.shtml": true, "index.jsp": true,
	"index.php": true, "default.htm": true, "default.html": true, "default.aspx": true}
