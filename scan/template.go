package scan

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/extract"
)

// A site's template — header, navigation, left-hand column menu, footer,
// 相关链接 — is learnt from the pages of the scan: a block (a div, list or
// table with the same text and links) that the site repeats on
// templatePages pages or more is template, wherever its classes say
// nothing. Template links are still checked; they are kept out of column
// items and a column's text (so a list page showing only the menu is an
// empty column), and what the text checks find in them is reported once.

// templatePages is how many pages must repeat a block for it to count as
// the site's template.
const templatePages = 3

// maxBlocks bounds the distinct blocks counted per scan (about 20 MB).
const maxBlocks = 1 << 20

// maxNavLinks bounds the links kept of one template block.
const maxNavLinks = 200

type navLink struct{ url, anchor string }

// template counts, per block signature, the pages that carry it, and keeps
// the links of blocks seen on two pages or more. Its methods are called with
// pageFacts.mu held.
type template struct {
	pages map[uint64]int32
	links map[uint64][]navLink
	// sections are the first two site sections (/zwgk/, /xwzx/ …) a block
	// is seen in, as numbers into sectionIDs (0: none yet): most blocks are
	// seen once, and a number keeps no page's address alive.
	sections   map[uint64][2]uint16
	sectionIDs map[string]uint16
}

// sectionID numbers a site section (1, 2 …; past 65,535 sections, the last).
func (t *template) sectionID(section string) uint16 {
	if id, ok := t.sectionIDs[section]; ok {
		return id
	}
	if len(t.sectionIDs) >= 1<<16-2 {
		return 1<<16 - 1
	}
	id := uint16(len(t.sectionIDs) + 1)
	t.sectionIDs[strings.Clone(section)] = id
	return id
}

// sectionOf is the first segment of a page's path: /zwgk/tzgg/x.html → zwgk.
func sectionOf(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil {
		return ""
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	return seg
}

// add counts the blocks of one page.
func (t *template) add(pageURL string, d *extract.Doc) {
	if t.pages == nil {
		t.pages, t.links, t.sections, t.sectionIDs = map[uint64]int32{}, map[uint64][]navLink{}, map[uint64][2]uint16{}, map[string]uint16{}
	}
	section := t.sectionID(sectionOf(pageURL))
	seen := map[uint64]bool{}
	for _, b := range d.Blocks {
		if b.Sig == 0 || seen[b.Sig] {
			continue
		}
		seen[b.Sig] = true
		n, known := t.pages[b.Sig]
		if !known && len(t.pages) >= maxBlocks {
			continue
		}
		t.pages[b.Sig] = n + 1
		if sec := t.sections[b.Sig]; n == 0 {
			t.sections[b.Sig] = [2]uint16{section, 0}
		} else if sec[1] == 0 && sec[0] != section {
			t.sections[b.Sig] = [2]uint16{sec[0], section}
		}
		if n+1 == 2 { // the second page with this block: keep its links once
			var links []navLink
			for _, l := range d.Links {
				if l.Block == b.Sig && l.Kind == extract.Page && len(links) < maxNavLinks {
					links = append(links, navLink{l.URL, l.Text})
				}
			}
			t.links[b.Sig] = links
		}
	}
}

func (t *template) is(sig uint64) bool {
	return sig != 0 && t.pages[sig] >= templatePages
}

// chromeItem reports a list item in the template. A dated item counts only
// when its block spans two sections of the site (a site-wide 最新动态
// widget): a column's own list repeated in its articles' 本栏目文章 sidebar
// is still the column's list.
func (t *template) chromeItem(it extract.Item) bool {
	if !t.is(it.Block) {
		return false
	}
	return !it.Dated || t.sections[it.Block][1] != 0
}

// listPage is a page that may be a column's list page, with what the
// template learning needs of it.
type listPage struct {
	checks.PageFacts
	blocks []extract.Block
	frames []string // the pages its iframes show
}

// apply takes the template out of the list pages' items and text, adds the
// lists shown in iframes to the page that frames them, and leaves the
// framed pages out of the register.
func (t *template) apply(pages []listPage) []checks.PageFacts {
	byURL := map[string]int{}
	for i, p := range pages {
		byURL[p.URL] = i
	}
	own := func(p checks.PageFacts, blocks []extract.Block) checks.PageFacts {
		var items []extract.Item
		for _, it := range p.List.Items {
			if !t.chromeItem(it) {
				items = append(items, it)
			}
		}
		p.List.Items = items
		chrome := 0
		for _, b := range blocks {
			if t.is(b.Sig) {
				chrome += b.Runes
			}
		}
		p.TextLen = max(0, p.TextLen-chrome)
		return p
	}
	framed := map[string]bool{}
	out := make([]checks.PageFacts, 0, len(pages))
	for _, lp := range pages {
		p := own(lp.PageFacts, lp.blocks)
		for _, f := range lp.frames {
			i, ok := byURL[f]
			if !ok || f == p.URL {
				continue
			}
			framed[f] = true
			inner := own(pages[i].PageFacts, pages[i].blocks)
			p.List.Items = append(p.List.Items, inner.List.Items...)
			p.List.Placeholder = p.List.Placeholder || inner.List.Placeholder
			p.List.Explained = p.List.Explained || inner.List.Explained
			p.TextLen += inner.TextLen
		}
		out = append(out, p)
	}
	return slices.DeleteFunc(out, func(p checks.PageFacts) bool { return framed[p.URL] && !p.IsHome })
}

// nav adds the internal links of template blocks to the navigation anchors:
// the pages a site's menu links to are its columns.
func (t *template) nav(into map[string]string, res *crawler.Result) {
	internal := map[string]bool{}
	for _, tg := range res.Targets {
		if tg.Internal && tg.Kind == extract.Page {
			internal[tg.URL] = true
		}
	}
	for sig, links := range t.links {
		if !t.is(sig) {
			continue
		}
		for _, l := range links {
			u, err := url.Parse(l.url)
			if err != nil {
				continue
			}
			key := crawler.Normalize(u)
			if !internal[key] {
				continue
			}
			if cur, seen := into[key]; !seen || cur == "" {
				into[key] = l.anchor
			}
		}
	}
}

// textCategories are the findings of the text checks: the ones a template
// repeats on every page.
// Personal data is never merged: the same masked number on three pages may
// be three people.
var textCategories = map[checks.Category]bool{
	checks.Typo: true, checks.SeriousError: true, checks.ObsoleteName: true, checks.SensitiveWord: true,
	checks.Punctuation: true,
}

// onceForTemplate reports a text finding that templatePages pages or more
// share word for word (a typo in the left-hand menu, the footer's old
// organ name, a sentence copied into several notices) once, on the home
// page when it carries it, else on the shortest URL, with every page as a
// reference: one fix, one issue.
func onceForTemplate(fs []checks.Finding, home string) []checks.Finding {
	type key struct{ rule, evidence string }
	groups := map[key][]int{}
	for i, f := range fs {
		if textCategories[f.Category] {
			k := key{f.Rule, f.Evidence}
			groups[k] = append(groups[k], i)
		}
	}
	drop := map[int]bool{}
	for _, idx := range groups {
		pages := map[string]bool{}
		for _, i := range idx {
			pages[fs[i].URL] = true
		}
		if len(pages) < templatePages {
			continue
		}
		var refs []checks.Ref
		for u := range pages {
			refs = append(refs, checks.Ref{Page: u, OnHome: u == home})
		}
		checks.SortRefs(refs)
		keep := idx[0]
		for _, i := range idx {
			if fs[i].URL == refs[0].Page {
				keep = i
				break
			}
		}
		f := &fs[keep]
		f.URL, f.Refs = refs[0].Page, refs
		f.Message += fmt.Sprintf("（相同内容出现在 %d 个页面，如为网站模板请修改模板）", len(refs))
		for _, i := range idx {
			if i != keep {
				drop[i] = true
			}
		}
	}
	if len(drop) == 0 {
		return fs
	}
	out := fs[:0]
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}

// reportAliases moves findings on a page seen under several URLs to the URL
// it is reported under.
func reportAliases(fs []checks.Finding, aliases map[string]string) {
	if len(aliases) == 0 {
		return
	}
	for i := range fs {
		if to, ok := aliases[fs[i].URL]; ok {
			fs[i].URL = to
		}
		for j := range fs[i].Refs {
			if to, ok := aliases[fs[i].Refs[j].Page]; ok {
				fs[i].Refs[j].Page = to
			}
		}
	}
}
