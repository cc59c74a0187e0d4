// Package extract turns one page of HTML (already decoded to UTF-8) into the
// facts the checks read, all in one plain value, a Doc: title, visible text
// with the site's boilerplate (header, navigation, footer) kept apart, meta
// tags, the publication date, every URL a browser would load or follow with
// its anchor text and where on the page it sits, hrefs too malformed to
// follow, the signature of each block of the page (so a scan can learn which
// blocks are the site's template), the page read as a column's list (dated
// items), its disclosure metadata as a policy document's page, and its
// breadcrumb.
//
// It is pure: no network, and no clock but the reference time a parse is
// given (Parse reads dates against time.Now). Malformed HTML is parsed the
// way a browser would (golang.org/x/net/html); Parse never fails. The
// parsed tree never leaves this package: every fact is read from it during
// the parse, and it is dropped when Parse returns.
//
// Real government CMSs hide part of a page from an HTML parser, and Parse
// reads those parts too: 大汉 JCMS lists written as XML records inside
// <script type="text/xml"><datastore>, TRS pagination written by
// createPageHTML(…), home pages that redirect by window.location or a
// <meta> refresh, and <noscript> fallbacks.
package extract

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// LinkKind says what a link points at, which decides how it is checked.
type LinkKind uint8

const (
	// Page is an HTML page (crawled when it is on the site).
	Page LinkKind = iota
	// Attachment is a downloadable document (.pdf, .docx, .xls …).
	Attachment
	// Image is an <img> or a link to a picture.
	Image
	// Resource is a stylesheet, script, icon or media file the page loads.
	Resource
)

var linkKinds = [...]string{"page", "attachment", "image", "resource"}

func (k LinkKind) String() string { return linkKinds[k] }

// ParseLinkKind reads a kind back from its String (as the store keeps it);
// an unknown name is a page.
func ParseLinkKind(s string) LinkKind {
	for k, name := range linkKinds {
		if name == s {
			return LinkKind(k)
		}
	}
	return Page
}

// Link is one outgoing reference of a page.
type Link struct {
	URL         string   // absolute, resolved against the page (and <base>)
	Text        string   // anchor text, or alt/title when there is none
	Kind        LinkKind // what it points at
	Tag         string   // a, img, link, script, iframe, area, video …
	Boilerplate bool     // inside header/navigation/footer repeated on every page
	Hidden      bool     // inside an element hidden by style or attribute
	// Block is the signature of the innermost block (div, ul, table …)
	// holding the link; blocks with the same signature on many pages of a
	// site are its template. 0 outside any block.
	Block uint64
}

// BadLink is an href too malformed for a browser to follow to the place it
// meant: a typo in the scheme (https;//), an invisible character before the
// address, a port or host that cannot be.
type BadLink struct {
	Raw         string // the attribute as written
	Text        string // anchor text
	Tag         string
	Reason      string // 协议格式错误, 地址含不可见字符 … (shown to staff)
	Boilerplate bool
}

// Block is one block of the page's main text: its signature and the
// characters of visible text directly inside it (not in a nested block).
type Block struct {
	Sig   uint64
	Runes int
}

// Doc is what one page says: every fact of it, read in one parse. It holds
// no parsed tree; it is a plain value.
type Doc struct {
	Title string
	// Meta holds <meta name|property=… content=…> with lower-cased names:
	// "columnname", "pubdate", "sitename", "og:title" …
	Meta map[string]string
	// Text is the visible text outside the boilerplate, one segment a line:
	// block elements, table cells, list items and <br> end a segment, so
	// words and numbers never join across cells.
	Text string
	// Boilerplate is the visible text of header, navigation and footer.
	Boilerplate string
	Links       []Link
	BadLinks    []BadLink
	// Blocks are the blocks of the main text, for template learning.
	Blocks []Block
	// Redirect is where the page sends a browser by <meta
	// http-equiv=refresh> or, failing that, by script; "" when nowhere.
	Redirect string
	// ScriptRedirects are the literal targets of window.location … in the
	// page's scripts, in order, each once. They are no links: a script may
	// redirect only phones, or only on a click. The crawler follows them
	// from a page that has nothing else on it.
	ScriptRedirects []string
	// Canonical is the page's <link rel=canonical>, resolved; "" when none.
	Canonical string
	// Frames are the pages shown in the main content's iframes and frames:
	// a column whose list sits in an iframe.
	Frames []string
	// Continuation marks a page that only continues a list: a JCMS
	// dataproxy answer (more records of a column), not a page of its own.
	Continuation bool
	// HeaderLabels map each long number (15+ letters and digits) in a
	// table's data cells to its column's header: 统一社会信用代码, 身份证号 …
	HeaderLabels map[string]string
	// Published is the page's publication date: its PubDate meta tag, else
	// the "发布时间：…" line under the title, in the location of the parse's
	// reference time; zero when the page shows none.
	Published time.Time
	// List is the page read as a column's list page: its dated items and
	// whether it says it is empty. It has no items when the parse had no
	// page URL, nor on an article page when the parse skipped them
	// (Options.SkipArticleItems).
	List List
	// Policy is the page's disclosure metadata (政府信息公开); IsPolicy
	// reports that it shows enough of it to be a policy document's page.
	Policy   Policy
	IsPolicy bool
	// Breadcrumb are the parts of the page's "当前位置：首页 > 政务公开 >
	// 通知公告" trail, without the label; nil when the page has none.
	Breadcrumb []string
	// Messages are the consultation messages (留言) the page shows: the
	// rows of a channel's list, or a message's own page.
	Messages []Message
}

// MetaValue returns the meta tag called name (case-insensitive), trimmed.
func (d *Doc) MetaValue(name string) string {
	return strings.TrimSpace(d.Meta[strings.ToLower(name)])
}

// Template is an operator's correction for a site whose template defeats
// the heuristics: CSS selectors of blocks that are the site's chrome (its
// menus, banners, footers), read as boilerplate on every page.
type Template struct {
	chrome []cascadia.Sel
}

// CompileTemplate compiles the chrome selectors of a site; an error names
// the selector that does not parse.
func CompileTemplate(chrome []string) (*Template, error) {
	if len(chrome) == 0 {
		return nil, nil
	}
	t := &Template{}
	for _, c := range chrome {
		sel, err := cascadia.Parse(strings.TrimSpace(c))
		if err != nil {
			return nil, fmt.Errorf("extract: selector %q: %w", c, err)
		}
		t.chrome = append(t.chrome, sel)
	}
	return t, nil
}

func (t *Template) isChrome(n *html.Node) bool {
	if t == nil {
		return false
	}
	for _, s := range t.chrome {
		if s.Match(n) {
			return true
		}
	}
	return false
}

// Options are what a parse needs besides the page. The zero value is
// Parse's: no template corrections, dates read against the time of the
// parse.
type Options struct {
	// Template are the site's template corrections; nil for none.
	Template *Template
	// Now is the reference time of the page's dates: a list date without a
	// year (11-20) is the latest such day not after it, and Published is in
	// its location. Zero: time.Now at the parse.
	Now time.Time
	// ListURL is the page the list is read for: its items are resolved
	// against it, and a link to it is no item. Nil: the page's URL. The
	// crawler passes the URL it reports the page under.
	ListURL *url.URL
	// SkipArticleItems leaves the list items of an article page (IsArticle)
	// unread: an article's links are no column's items, and reading them
	// is most of the list's cost. The crawler sets it for every page but
	// the home page.
	SkipArticleItems bool
}

// Parse extracts the facts of body, the page found at pageURL, reading its
// dates against the time of the parse.
func Parse(body []byte, pageURL *url.URL) *Doc {
	return ParseWith(body, pageURL, Options{})
}

// ParseWith is Parse with a site's template corrections and a reference
// time. pageURL may be nil: the page then has no links and no list items.
func ParseWith(body []byte, pageURL *url.URL, opts Options) *Doc {
	body, continuation := expandDatastores(body, pageURL)
	// Scripting off: <noscript> is read as markup, so its fallback links
	// (the only way into some sites without JavaScript) are seen.
	root, err := html.ParseWithOptions(bytes.NewReader(body), html.ParseOptionEnableScripting(false))
	if err != nil { // only reader errors; a bytes.Reader has none
		root = &html.Node{Type: html.DocumentNode}
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	w := walker{doc: &Doc{Meta: map[string]string{}, Continuation: continuation}, base: pageURL, tpl: opts.Template,
		listURL: cmp.Or(opts.ListURL, pageURL), ref: opts.Now, skipArticleItems: opts.SkipArticleItems, policy: newPolicyReader()}
	w.head(root)
	w.walk(root, scope{})
	w.finish(root)
	return w.doc
}

// finish reads what needs the whole walk: the text, the blocks' signatures,
// the facts read from the text. The tree is not needed after it.
func (w *walker) finish(root *html.Node) {
	d := w.doc
	d.Text = w.main.String()
	d.Boilerplate = w.boiler.String()
	if longNumber.MatchString(d.Text) {
		d.HeaderLabels = headerLabels(root)
	}
	for _, b := range w.blocks {
		if b.sig != 0 && (b.runes > 0 || b.links > 0) {
			d.Blocks = append(d.Blocks, Block{Sig: b.sig, Runes: b.runes})
		}
	}
	for i := range d.Links {
		if j := w.linkBlock[i]; j >= 0 {
			d.Links[i].Block = w.blocks[j].sig
		}
	}
	w.list()
	d.Policy, d.IsPolicy = w.policy.result(d.Text)
	d.Breadcrumb = crumbParts(cmp.Or(w.crumb, w.labelled))
	d.Messages = messagesOf(root, d.Title, d.Text, w.base, w.ref)
	d.Published = d.published(w.ref)
}

type walker struct {
	doc          *Doc
	base         *url.URL
	tpl          *Template
	paged        bool            // a createPageHTML call was read
	seen         map[linkKey]int // links of the page, each once
	main, boiler textBuilder

	// open blocks, innermost last; each one's hash sees all text and links
	// inside it.
	open      []int
	blocks    []blockAcc
	linkBlock []int // per doc.Links: index into blocks, -1 when none

	// The list, read for listURL (nil: no list) with dates against ref.
	listURL          *url.URL
	ref              time.Time
	skipArticleItems bool
	anchors          []anchor               // links that may be items, in page order
	rows             map[*html.Node]rowText // long list rows' text, read once

	policy   policyReader
	crumb    *html.Node // the first element marked as the breadcrumb
	labelled *html.Node // the first one found by its label (当前位置：)
}

// scope is what an element's ancestors make of its content.
type scope struct {
	boiler bool // header, navigation, footer, chrome or <noscript>
	hidden bool // hidden by style or attribute
	// noItems: no list item here: in the header, navigation, footer or
	// chrome (a <noscript> fallback lists), hidden, or in an item's link.
	noItems bool
}

type blockAcc struct {
	h     hash64
	sig   uint64
	runes int
	links int
}

// hash64 is FNV-1a, written out so a block costs no allocation.
type hash64 uint64

func (h *hash64) write(s string) {
	x := uint64(*h)
	if x == 0 {
		x = 14695981039346656037
	}
	for i := 0; i < len(s); i++ {
		x ^= uint64(s[i])
		x *= 1099511628211
	}
	*h = hash64(x)
}

// Selectors compiled once (goquery's engine, cascadia): compiling one per
// page tripled the cost of a parse.
var (
	baseSel      = cascadia.MustCompile("base[href]")
	canonicalSel = cascadia.MustCompile("link[rel~=canonical i][href]")
)

// head reads the <base> and canonical URLs.
func (w *walker) head(root *html.Node) {
	if w.base == nil {
		return
	}
	if n := baseSel.MatchFirst(root); n != nil {
		if u, err := w.base.Parse(strings.TrimSpace(attr(n, "href"))); err == nil {
			w.base = u
		}
	}
	if n := canonicalSel.MatchFirst(root); n != nil {
		if u, err := w.base.Parse(strings.TrimSpace(attr(n, "href"))); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			u.Fragment = ""
			w.doc.Canonical = u.String()
		}
	}
}

func (w *walker) walk(n *html.Node, s scope) {
	switch n.Type {
	case html.TextNode:
		w.crumbText(n)
		if s.hidden {
			return
		}
		if s.boiler {
			w.boiler.text(n.Data)
			return
		}
		w.main.text(n.Data)
		w.blockText(n.Data)
		return
	case html.ElementNode:
		w.facts(n)
		if !w.element(n, s.boiler, s.hidden) {
			if n.FirstChild != nil && n.DataAtom != atom.Script && n.DataAtom != atom.Style {
				w.inert(n, w.enter(n, s).noItems) // a <template>, a <title>
			}
			return
		}
		s = w.enter(n, s)
		if n.DataAtom == atom.A && !s.noItems {
			w.anchors = append(w.anchors, anchor{n, w.innermost()})
			s.noItems = true
		}
		w.content(n, s)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, s)
	}
}

// enter is the scope of an element's content.
func (w *walker) enter(n *html.Node, s scope) scope {
	if s.boiler && s.noItems { // only hiding can still change
		s.hidden = s.hidden || isHidden(n)
		return s
	}
	own := isBoilerplate(n) || w.tpl.isChrome(n)
	hidden := isHidden(n)
	s.boiler = s.boiler || own || n.DataAtom == atom.Noscript
	s.hidden = s.hidden || hidden
	s.noItems = s.noItems || own || hidden
	return s
}

// innermost is the index of the innermost open block, -1 when none.
func (w *walker) innermost() int {
	if len(w.open) == 0 {
		return -1
	}
	return w.open[len(w.open)-1]
}

// content reads the text and blocks inside an element.
func (w *walker) content(n *html.Node, s scope) {
	block := isBlock(n.DataAtom)
	if block {
		w.newline(s.boiler)
	} else {
		w.main.boundary()
	}
	opened := !s.boiler && !s.hidden && isContainer(n.DataAtom)
	if opened {
		w.open = append(w.open, len(w.blocks))
		w.blocks = append(w.blocks, blockAcc{})
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, s)
	}
	if opened {
		i := w.open[len(w.open)-1]
		w.open = w.open[:len(w.open)-1]
		w.blocks[i].sig = uint64(w.blocks[i].h)
	}
	if block {
		w.newline(s.boiler)
	} else {
		w.main.boundary()
	}
}

// facts reads what any element of the page may hold, shown or not: policy
// metadata rows and the breadcrumb.
func (w *walker) facts(n *html.Node) {
	switch n.DataAtom {
	case atom.Tr:
		w.policy.row(n)
	case atom.Dt:
		w.policy.term(n)
	}
	w.crumbElement(n)
}

// inert reads the children of an element whose content is no text of the
// page (a <template>, a <title>) for the facts any element may hold and
// for list items, as the walk reads the rest of the page.
func (w *walker) inert(n *html.Node, noItems bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			w.crumbText(c)
		case html.ElementNode:
			w.facts(c)
			if c.DataAtom == atom.Script || c.DataAtom == atom.Style {
				continue
			}
			skip := noItems || isBoilerplate(c) || isHidden(c) || w.tpl.isChrome(c)
			if !skip && c.DataAtom == atom.A {
				w.anchors = append(w.anchors, anchor{c, -1})
				skip = true
			}
			w.inert(c, skip)
		}
	}
}

// element records what an element links to; it returns false when its
// children are not visible text (scripts, styles, the head's elements).
func (w *walker) element(n *html.Node, boiler, hidden bool) bool {
	switch n.DataAtom {
	case atom.Script:
		w.link(n, "src", Resource, boiler, hidden)
		if c := n.FirstChild; c != nil && c.Type == html.TextNode {
			w.script(n, c.Data, boiler, hidden)
		}
		return false
	case atom.Style, atom.Template:
		return false
	case atom.Title:
		if w.doc.Title == "" {
			w.doc.Title = collapse(textOf(n))
		}
		return false
	case atom.Meta:
		name := attr(n, "name")
		if name == "" {
			name = attr(n, "property")
		}
		if name != "" {
			w.doc.Meta[strings.ToLower(strings.TrimSpace(name))] = attr(n, "content")
		}
		// <meta http-equiv="refresh" content="0;url=/portal/">: many
		// district home pages are only this, so it is a link.
		if strings.EqualFold(attr(n, "http-equiv"), "refresh") {
			if _, target, ok := cutFold(attr(n, "content"), "url="); ok {
				w.redirect(n, strings.Trim(strings.TrimSpace(target), `'"`), boiler, hidden)
			}
		}
		return false
	case atom.Link:
		rel := strings.ToLower(attr(n, "rel"))
		if strings.Contains(rel, "stylesheet") || strings.Contains(rel, "icon") {
			w.link(n, "href", Resource, boiler, hidden)
		}
		return false
	case atom.Img:
		w.link(n, "src", Image, boiler, hidden)
		w.srcset(n, Image, boiler, hidden)
	case atom.A, atom.Area:
		w.link(n, "href", Page, boiler, hidden)
	case atom.Iframe, atom.Frame:
		before := len(w.doc.Links)
		w.link(n, "src", Page, boiler, hidden)
		if len(w.doc.Links) > before && !boiler && !hidden {
			w.doc.Frames = append(w.doc.Frames, w.doc.Links[before].URL)
		}
	case atom.Video:
		w.link(n, "src", Resource, boiler, hidden)
		w.link(n, "poster", Image, boiler, hidden)
	case atom.Audio, atom.Track, atom.Embed:
		w.link(n, "src", Resource, boiler, hidden)
	case atom.Source:
		w.link(n, "src", Resource, boiler, hidden)
		w.srcset(n, Image, boiler, hidden)
	case atom.Object:
		w.link(n, "data", Resource, boiler, hidden)
	case atom.Input:
		if strings.EqualFold(attr(n, "type"), "image") {
			w.link(n, "src", Image, boiler, hidden)
		}
	case atom.Body, atom.Table, atom.Td, atom.Th, atom.Tr:
		// The old presentational background="…" is still loaded.
		w.link(n, "background", Image, boiler, hidden)
	}
	return true
}

func (w *walker) newline(boiler bool) {
	if boiler {
		w.boiler.newline()
	} else {
		w.main.newline()
	}
}

// blockText counts text for the open blocks: every open block's signature
// sees it, the innermost one counts its characters.
func (w *walker) blockText(s string) {
	if len(w.open) == 0 {
		return
	}
	s = collapse(s)
	if s == "" {
		return
	}
	for _, i := range w.open {
		w.blocks[i].h.write(s)
	}
	w.blocks[w.open[len(w.open)-1]].runes += utf8.RuneCountInString(s)
}

func (w *walker) link(n *html.Node, key string, kind LinkKind, boiler, hidden bool) {
	raw, ok := attrOK(n, key)
	if !ok {
		return
	}
	text := ""
	switch n.DataAtom {
	case atom.A, atom.Area:
		text = collapse(textOf(n))
		if text == "" {
			text = collapse(attr(n, "title"))
		}
		if text == "" {
			text = collapse(firstImgAlt(n))
		}
	case atom.Img, atom.Input:
		text = collapse(attr(n, "alt"))
	case atom.Iframe, atom.Frame, atom.Video, atom.Embed, atom.Object:
		text = collapse(attr(n, "title"))
	}
	w.addLink(n, raw, kind, text, boiler, hidden)
}

// maxSrcset bounds the candidates read from one srcset.
const maxSrcset = 16

// srcset adds every candidate of a srcset attribute ("a.jpg 1x, b.jpg 2x"),
// read as the HTML standard reads it: a URL runs to the next whitespace (a
// data: URL keeps its commas), descriptors to the next comma.
func (w *walker) srcset(n *html.Node, kind LinkKind, boiler, hidden bool) {
	for i, u := range srcsetURLs(attr(n, "srcset")) {
		if i == maxSrcset {
			break
		}
		w.addLink(n, u, kind, collapse(attr(n, "alt")), boiler, hidden)
	}
}

func srcsetURLs(s string) []string {
	var out []string
	for len(s) > 0 && len(out) <= maxSrcset {
		s = strings.TrimLeft(s, " \t\n\r\f,")
		if s == "" {
			break
		}
		end := strings.IndexAny(s, " \t\n\r\f")
		if end < 0 {
			end = len(s)
		}
		u := s[:end]
		s = s[end:]
		if trimmed := strings.TrimRight(u, ","); len(trimmed) < len(u) {
			out = append(out, trimmed) // "a.jpg," ends the candidate
			continue
		}
		out = append(out, u)
		if i := strings.IndexByte(s, ','); i >= 0 { // skip the descriptors
			s = s[i+1:]
		} else {
			s = ""
		}
	}
	return out
}

// redirect records a <meta> refresh: a browser follows it unconditionally,
// so it is a link.
func (w *walker) redirect(n *html.Node, raw string, boiler, hidden bool) {
	before := len(w.doc.Links)
	w.addLink(n, raw, Page, "", boiler, hidden)
	if len(w.doc.Links) > before {
		w.doc.Redirect = w.doc.Links[before].URL
	}
}

// scriptTarget records a script redirect's literal target.
func (w *walker) scriptTarget(raw string) {
	if w.base == nil {
		return
	}
	u, reason := resolve(w.base, raw)
	if u == nil || reason != "" {
		return
	}
	t := u.String()
	if !slices.Contains(w.doc.ScriptRedirects, t) && len(w.doc.ScriptRedirects) < 8 {
		w.doc.ScriptRedirects = append(w.doc.ScriptRedirects, t)
	}
}

// scriptRedirect finds window.location.href = "…", location = '…',
// location.replace("…") and location.assign("…") with a literal address
// (not one built from variables).
var scriptRedirect = regexp.MustCompile(`(?:\blocation(?:\.href)?\s*=\s*|\blocation\.(?:replace|assign)\(\s*)["']([^"'\s+]+)["']\s*(?:[;)}\n\r]|$)`)

// createPageHTML is TRS WCM's pagination: createPageHTML(5, 0, "index",
// "shtml") writes links to index_1.shtml … index_4.shtml; newer templates
// put an element id first and a record count last.
var createPageHTML = regexp.MustCompile(`createPageHTML\(([^()]*)\)`)

// maxScriptPages bounds the pages one pagination script can add.
const maxScriptPages = 1000

func (w *walker) script(n *html.Node, code string, boiler, hidden bool) {
	if len(code) > 256<<10 {
		return // a library, not a page's own script
	}
	for _, m := range scriptRedirect.FindAllStringSubmatch(code, 8) {
		w.scriptTarget(m[1])
	}
	for _, m := range createPageHTML.FindAllStringSubmatch(code, 2) {
		count, name, ext, ok := pageArgs(m[1])
		if !ok {
			continue
		}
		// One pagination per page: the same call in several scripts (or a
		// hostile page of thousands) adds its pages once.
		if w.paged {
			continue
		}
		w.paged = true
		for i := 1; i < min(count, maxScriptPages); i++ {
			w.addLink(n, name+"_"+itoa(i)+"."+ext, Page, "第"+itoa(i+1)+"页", boiler, hidden)
		}
	}
}

// pageArgs reads createPageHTML's arguments: the page count is the first
// number, the file name and extension the last two strings.
func pageArgs(args string) (count int, name, ext string, ok bool) {
	var nums []int
	var strs []string
	for _, a := range strings.Split(args, ",") {
		a = strings.TrimSpace(a)
		if u := strings.Trim(a, `'"`); len(u) < len(a) {
			strs = append(strs, u)
		} else if v, err := atoi(a); err == nil {
			nums = append(nums, v)
		}
	}
	if len(nums) == 0 || nums[0] < 2 {
		return 0, "", "", false
	}
	name, ext = "index", "html"
	switch {
	case len(strs) >= 2:
		name, ext = strs[len(strs)-2], strs[len(strs)-1]
	case len(strs) == 1:
		name = strs[0]
	}
	if name == "" || ext == "" || strings.ContainsAny(name+ext, "/\\?#:") {
		return 0, "", "", false
	}
	return nums[0], name, ext, true
}

// addLink resolves raw against the page and records it, unless it is not a
// web link (mailto:, tel:, javascript:, a fragment …); an href too
// malformed to follow is recorded as a BadLink.
func (w *walker) addLink(n *html.Node, raw string, kind LinkKind, text string, boiler, hidden bool) {
	if w.base == nil {
		return
	}
	if len(raw) > MaxURLBytes {
		// Stored, listed and mailed in a bounded form: the first characters
		// and the length.
		cut := raw[:200]
		for !utf8.ValidString(cut) {
			cut = cut[:len(cut)-1]
		}
		w.doc.BadLinks = append(w.doc.BadLinks, BadLink{Raw: cut + "…", Text: text, Tag: n.Data, Boilerplate: boiler,
			Reason: fmt.Sprintf("地址过长（共 %d 个字符）", utf8.RuneCountInString(raw))})
		return
	}
	u, reason := resolve(w.base, raw)
	if reason != "" {
		w.doc.BadLinks = append(w.doc.BadLinks, BadLink{Raw: raw, Text: text, Tag: n.Data, Reason: reason, Boilerplate: boiler})
		return
	}
	if u == nil {
		return
	}
	if kind == Page {
		kind = KindOf(u)
	}
	// Each URL once per page (its first anchor text), and a bound on a
	// page's links: a hostile page cannot make millions.
	key := linkKey{u.String(), kind}
	if w.seen == nil {
		w.seen = map[linkKey]int{}
	}
	if _, dup := w.seen[key]; dup || len(w.doc.Links) >= MaxLinks {
		return
	}
	w.seen[key] = len(w.doc.Links)
	w.doc.Links = append(w.doc.Links, Link{
		URL: u.String(), Text: text, Kind: kind, Tag: n.Data,
		Boilerplate: boiler, Hidden: hidden || isHidden(n),
	})
	blk := -1
	if len(w.open) > 0 && !boiler && !hidden {
		blk = w.open[len(w.open)-1]
		for _, i := range w.open {
			w.blocks[i].h.write(u.String())
		}
		w.blocks[blk].links++
	}
	w.linkBlock = append(w.linkBlock, blk)
}

// MaxLinks bounds the links read from one page.
const MaxLinks = 10000

// MaxURLBytes bounds an address: a longer href is a malformed link, kept in
// a short form (a page of million-character links must not make megabyte
// issues, exports and mails).
const MaxURLBytes = 4096

type linkKey struct {
	url  string
	kind LinkKind
}

// Reasons an href is malformed, as staff read them.
const (
	ReasonInvisible = "地址含不可见字符"
	ReasonSpace     = "地址含空格"
	ReasonScheme    = "协议格式错误"
	ReasonHost      = "域名或端口格式错误"
	ReasonSyntax    = "地址格式错误"
	ReasonLocal     = "链接指向本机文件" // file:///C:/…, C:\… pasted from Word
)

// localPath is a Windows path or a UNC share written as an address.
var localPath = regexp.MustCompile(`^(?:[A-Za-z]:[\\/]|\\\\)`)

var (
	goodScheme = regexp.MustCompile(`(?i)^https?://[^/\\]`)
	// badScheme is an address that meant to be absolute: https;//, http:/,
	// http//, htp://, http：// (a full-width colon) …
	badScheme = regexp.MustCompile(`(?i)^(?:h?t{1,2}ps?|hhttps?|https?s)\s*(?:[:;；：]\s*[/\\]*|[/\\]{2})`)
)

// validHostname reports a host name of labels of letters (any script),
// digits, underscores (browsers accept them) and inner hyphens, an optional
// final dot.
func validHostname(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if r != '-' && r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

// resolve turns an href into an absolute http(s) URL. It returns nil and no
// reason for what is no web link (mailto:, javascript:, #top, ""), and a
// reason when the href is malformed.
func resolve(base *url.URL, raw string) (*url.URL, string) {
	// Browsers strip leading and trailing spaces and controls, and drop
	// tabs and newlines anywhere.
	raw = strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(raw, "\t\n\r") {
		raw = dropTabsNewlines.Replace(raw)
	}
	if raw == "" || raw[0] == '#' {
		return nil, ""
	}
	if strings.IndexFunc(raw, invisible) >= 0 {
		return nil, ReasonInvisible
	}
	if strings.ContainsAny(raw, "\u3000\u00a0") {
		return nil, ReasonSpace
	}
	if localPath.MatchString(raw) {
		return nil, ReasonLocal
	}
	if i := strings.IndexByte(raw, ':'); i > 0 && !strings.ContainsAny(raw[:i], "/?#") {
		switch strings.ToLower(raw[:i]) {
		case "http", "https":
		case "file":
			return nil, ReasonLocal
		case "javascript", "mailto", "tel", "sms", "data", "about", "blob", "weixin", "ftp", "callto", "vbscript":
			return nil, ""
		default:
			if !badScheme.MatchString(raw) {
				return nil, "" // some other scheme: not a web link
			}
		}
	}
	if c := raw[0] | 0x20; (c == 'h' || c == 't') && !goodScheme.MatchString(raw) && badScheme.MatchString(raw) {
		return nil, ReasonScheme
	}
	raw = strings.ReplaceAll(raw, "\\", "/") // browsers read \ as / in web addresses
	raw, _, _ = strings.Cut(raw, "#")        // the fragment stays in the browser
	u, err := base.Parse(raw)
	if err != nil {
		if strings.Contains(err.Error(), "port") {
			return nil, ReasonHost
		}
		return nil, ReasonSyntax
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, ""
	}
	host := u.Hostname()
	if host == "" {
		return nil, ReasonHost
	}
	if !strings.HasPrefix(u.Host, "[") && !validHostname(host) {
		return nil, ReasonHost
	}
	u.Fragment, u.RawFragment = "", ""
	return u, ""
}

var dropTabsNewlines = strings.NewReplacer("\t", "", "\n", "", "\r", "")

// invisible are characters a reader cannot see but a browser keeps in an
// address: zero-width spaces and joiners, direction marks, the BOM, and
// control characters.
func invisible(r rune) bool {
	switch {
	case r < ' ', r == 0x7f:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x2064, r == 0xfeff, r == 0x2028, r == 0x2029, r == 0xad:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

var attachmentExt = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true,
	".pptx": true, ".wps": true, ".et": true, ".dps": true, ".ofd": true, ".ceb": true,
	".zip": true, ".rar": true, ".7z": true, ".txt": true, ".csv": true, ".rtf": true,
	".mp4": true, ".mp3": true, ".flv": true, ".apk": true, ".exe": true,
}

var imageExt = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".bmp": true, ".webp": true, ".svg": true, ".tif": true,
}

// KindOf guesses what a link points at from its path's extension.
func KindOf(u *url.URL) LinkKind {
	ext := strings.ToLower(path.Ext(u.Path))
	switch {
	case attachmentExt[ext]:
		return Attachment
	case imageExt[ext]:
		return Image
	case ext == ".css" || ext == ".js" || ext == ".ico":
		return Resource
	}
	return Page
}

// cutFold is strings.Cut ignoring ASCII case in sep.
func cutFold(s, sep string) (before, after string, found bool) {
	if i := strings.Index(strings.ToLower(s), sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// attrOK is an attribute's value and whether the element has it.
func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}

func firstImgAlt(n *html.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Img {
			return attr(c, "alt")
		}
		if s := firstImgAlt(c); s != "" {
			return s
		}
	}
	return ""
}

// boilerWords are ids and classes that government CMS templates give to
// their header, navigation, breadcrumbs and footer (pinyin ones included).
var boilerWords = map[string]bool{
	"header": true, "head": true, "top": true, "topbar": true, "banner": true,
	"nav": true, "navbar": true, "navigation": true, "menu": true, "mainnav": true,
	"breadcrumb": true, "crumb": true, "crumbs": true, "position": true, "location": true,
	"footer": true, "foot": true, "bottom": true, "copyright": true,
	"dh": true, "daohang": true, "dibu": true, "toubu": true, "wzdt": true,
}

func isBoilerplate(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Header, atom.Nav, atom.Footer:
		return true
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "banner", "contentinfo":
		return true
	}
	for _, v := range []string{attr(n, "id"), attr(n, "class")} {
		for _, tok := range strings.Fields(strings.ToLower(v)) {
			if boilerWords[tok] {
				return true
			}
			if i := strings.IndexAny(tok, "-_"); i > 0 && boilerWords[tok[:i]] && tok[:i] != "top" && tok[:i] != "head" {
				return true
			}
		}
	}
	return false
}

func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "style":
			s := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") ||
				strings.Contains(s, "font-size:0;") || strings.HasSuffix(s, "font-size:0") {
				return true
			}
		}
	}
	return false
}

// isContainer is an element that groups a block of content: the unit whose
// repetition across pages marks a site's template.
func isContainer(a atom.Atom) bool {
	switch a {
	case atom.Div, atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Nav, atom.Aside, atom.Section, atom.Header,
		atom.Footer, atom.Form, atom.Article, atom.Main, atom.Center:
		return true
	}
	return false
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.Li, atom.Ul, atom.Ol, atom.Tr, atom.Table, atom.H1, atom.H2,
		atom.H3, atom.H4, atom.H5, atom.H6, atom.Section, atom.Article, atom.Header, atom.Footer,
		atom.Nav, atom.Dd, atom.Dt, atom.Dl, atom.Blockquote, atom.Pre, atom.Hr, atom.Td, atom.Th,
		atom.Form, atom.Aside, atom.Main, atom.Body:
		return true
	}
	return false
}

// textBuilder accumulates visible text: whitespace runs become one space,
// blocks become lines, empty lines vanish.
type textBuilder struct {
	b       strings.Builder
	pending bool // a space is owed before the next word
	edge    bool // an element began or ended since the last character
}

func (t *textBuilder) text(s string) {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\f', '\u00a0', '\u3000':
			if t.b.Len() > 0 && !t.atLineStart() {
				t.pending = true
			}
		default:
			// Two numbers in neighbouring elements (<span>…</span><span>…</span>,
			// cells of a grid built from divs) stay two numbers.
			if t.edge && !t.pending && isDigit(r) && t.b.Len() > 0 && isDigit(rune(t.b.String()[t.b.Len()-1])) {
				t.pending = true
			}
			if t.pending {
				t.b.WriteByte(' ')
				t.pending = false
			}
			t.edge = false
			t.b.WriteRune(r)
		}
	}
}

// boundary notes the start or end of an inline element.
func (t *textBuilder) boundary() { t.edge = true }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func (t *textBuilder) atLineStart() bool {
	s := t.b.String()
	return s == "" || s[len(s)-1] == '\n'
}

func (t *textBuilder) newline() {
	t.pending = false
	if t.b.Len() > 0 && !t.atLineStart() {
		t.b.WriteByte('\n')
	}
}

func (t *textBuilder) String() string { return strings.TrimRight(t.b.String(), "\n") }

// collapse trims s and folds its whitespace runs into single spaces.
func collapse(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// articleInfo is the line under an article's title: 发布时间：2026-11-20.
var articleInfo = regexp.MustCompile(`(发布时间|发布日期|发文日期|时间|日期)\s*[:：]\s*[0-9０-９]{4}`)

// published is the page's publication date: its PubDate meta tag, else
// the "发布时间：…" line under the title; zero when it shows none.
func (d *Doc) published(ref time.Time) time.Time {
	if t, ok := ParseDate(d.MetaValue("PubDate"), ref, false); ok {
		return t
	}
	head := d.head()
	if loc := articleInfo.FindStringIndex(head); loc != nil {
		t, _ := ParseDate(head[loc[0]:], ref, false)
		return t
	}
	return time.Time{}
}

// head is the first 300 characters of the main text.
func (d *Doc) head() string {
	head, n := d.Text, 0
	for i := range head {
		if n++; n > 300 {
			return head[:i]
		}
	}
	return head
}

// IsArticle reports a detail page rather than a list: it carries the
// ArticleTitle or PubDate meta tag of 《政府网站发展指引》, or its text
// starts with a publication line under the title.
func (d *Doc) IsArticle() bool {
	if d.MetaValue("ArticleTitle") != "" || d.MetaValue("PubDate") != "" {
		return true
	}
	return articleInfo.MatchString(d.head())
}
