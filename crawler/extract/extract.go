// Package extract turns one page of HTML (already decoded to UTF-8) into the
// facts the checks read: title, visible text with the site's boilerplate
// (header, navigation, footer) kept apart, meta tags, and every outgoing link
// with its anchor text and where on the page it sits.
//
// It is pure: no network, no clock. Malformed HTML is parsed the way a
// browser would (golang.org/x/net/html); Parse never fails.
package extract

import (
	"bytes"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

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
	// Resource is a stylesheet, script or icon the page loads.
	Resource
)

func (k LinkKind) String() string {
	return [...]string{"page", "attachment", "image", "resource"}[k]
}

// Link is one outgoing reference of a page.
type Link struct {
	URL         string   // absolute, resolved against the page (and <base>)
	Text        string   // anchor text, or alt/title when there is none
	Kind        LinkKind // what it points at
	Tag         string   // a, img, link, script, iframe, area
	Boilerplate bool     // inside header/navigation/footer repeated on every page
	Hidden      bool     // inside an element hidden by style or attribute
}

// Doc is what one page says.
type Doc struct {
	Title string
	// Meta holds <meta name|property=… content=…> with lower-cased names:
	// "columnname", "pubdate", "sitename", "og:title" …
	Meta map[string]string
	// Text is the visible text outside the boilerplate, one block per line.
	Text string
	// Boilerplate is the visible text of header, navigation and footer.
	Boilerplate string
	Links       []Link
	// Root is the parsed tree, for extractors that need structure (column
	// lists, metadata tables). It is not retained after a page is checked.
	Root *html.Node
}

// MetaValue returns the meta tag called name (case-insensitive), trimmed.
func (d *Doc) MetaValue(name string) string {
	return strings.TrimSpace(d.Meta[strings.ToLower(name)])
}

// Parse extracts the facts of body, the page found at pageURL.
func Parse(body []byte, pageURL *url.URL) *Doc {
	root, err := html.Parse(bytes.NewReader(body))
	if err != nil { // only reader errors; a bytes.Reader has none
		root = &html.Node{Type: html.DocumentNode}
	}
	w := walker{doc: &Doc{Meta: map[string]string{}, Root: root}, base: pageURL}
	w.findBase(root)
	w.walk(root, false, false)
	w.doc.Text = w.main.String()
	w.doc.Boilerplate = w.boiler.String()
	return w.doc
}

type walker struct {
	doc          *Doc
	base         *url.URL
	main, boiler textBuilder
}

func (w *walker) findBase(n *html.Node) {
	if w.base == nil {
		return
	}
	var visit func(*html.Node) bool
	visit = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Base {
			if h := attr(n, "href"); h != "" {
				if u, err := w.base.Parse(strings.TrimSpace(h)); err == nil {
					w.base = u
				}
			}
			return true
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if visit(c) {
				return true
			}
		}
		return false
	}
	visit(n)
}

func (w *walker) walk(n *html.Node, boiler, hidden bool) {
	switch n.Type {
	case html.TextNode:
		if !hidden {
			if boiler {
				w.boiler.text(n.Data)
			} else {
				w.main.text(n.Data)
			}
		}
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script:
			w.link(n, "src", Resource, boiler, hidden)
			return
		case atom.Style, atom.Noscript, atom.Template:
			return
		case atom.Title:
			if w.doc.Title == "" {
				w.doc.Title = collapse(textOf(n))
			}
			return
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
					w.addLink(n, strings.Trim(strings.TrimSpace(target), `'"`), Page, "", boiler, hidden)
				}
			}
			return
		case atom.Link:
			rel := strings.ToLower(attr(n, "rel"))
			if strings.Contains(rel, "stylesheet") || strings.Contains(rel, "icon") {
				w.link(n, "href", Resource, boiler, hidden)
			}
			return
		case atom.Img:
			w.link(n, "src", Image, boiler, hidden)
		case atom.A, atom.Area:
			w.link(n, "href", Page, boiler, hidden)
		case atom.Iframe, atom.Frame:
			w.link(n, "src", Page, boiler, hidden)
		}
		boiler = boiler || isBoilerplate(n)
		hidden = hidden || isHidden(n)
		block := isBlock(n.DataAtom)
		if block {
			w.newline(boiler)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c, boiler, hidden)
		}
		if block {
			w.newline(boiler)
		}
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, boiler, hidden)
	}
}

func (w *walker) newline(boiler bool) {
	if boiler {
		w.boiler.newline()
	} else {
		w.main.newline()
	}
}

func (w *walker) link(n *html.Node, key string, kind LinkKind, boiler, hidden bool) {
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
	case atom.Img:
		text = collapse(attr(n, "alt"))
	}
	w.addLink(n, attr(n, key), kind, text, boiler, hidden)
}

// addLink resolves raw against the page and records it, unless it is not a
// web link (mailto:, tel:, javascript:, a fragment …).
func (w *walker) addLink(n *html.Node, raw string, kind LinkKind, text string, boiler, hidden bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw[0] == '#' || w.base == nil {
		return
	}
	if i := strings.IndexByte(raw, ':'); i > 0 {
		switch strings.ToLower(raw[:i]) {
		case "javascript", "mailto", "tel", "sms", "data", "about", "blob", "file":
			return
		}
	}
	u, err := w.base.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return
	}
	u.Fragment = ""
	if kind == Page {
		kind = KindOf(u)
	}
	w.doc.Links = append(w.doc.Links, Link{
		URL: u.String(), Text: text, Kind: kind, Tag: n.Data,
		Boilerplate: boiler, Hidden: hidden || isHidden(n),
	})
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
}

func (t *textBuilder) text(s string) {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\f', '\u00a0', '\u3000':
			if t.b.Len() > 0 && !t.atLineStart() {
				t.pending = true
			}
		default:
			if t.pending {
				t.b.WriteByte(' ')
				t.pending = false
			}
			t.b.WriteRune(r)
		}
	}
}

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

// Published is the page's publication date: its PubDate meta tag, else
// the "发布时间：…" line under the title.
func (d *Doc) Published(ref time.Time) (time.Time, bool) {
	if t, ok := ParseDate(d.MetaValue("PubDate"), ref, false); ok {
		return t, true
	}
	head := d.head()
	if loc := articleInfo.FindStringIndex(head); loc != nil {
		return ParseDate(head[loc[0]:], ref, false)
	}
	return time.Time{}, false
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
