package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Policy is the disclosure metadata of a policy document (政府信息公开), one
// field per canonical label. Present records which labels the page shows at
// all: a label shown with an empty value is a missing value, not an absent
// label.
type Policy struct {
	Index, Topic, Issuer, Written, Published, Number, Title, Keywords, Validity, Type string
	Present                                                                           map[string]bool
}

// policyLabels maps every label variant seen on disclosure pages to its field.
var policyLabels = map[string]string{
	"索引号": "index", "索 引 号": "index",
	"主题分类": "topic", "分类": "topic", "信息分类": "topic", "主题": "topic",
	"发文机关": "issuer", "发布机构": "issuer", "发文单位": "issuer", "发布单位": "issuer", "制发机关": "issuer",
	"成文日期": "written", "发文日期": "written", "印发日期": "written",
	"发布日期": "published", "公开日期": "published", "发布时间": "published",
	"文号": "number", "发文字号": "number", "文件编号": "number", "发文文号": "number",
	"标题": "title", "名称": "title", "文件名称": "title",
	"主题词": "keywords", "关键词": "keywords",
	"有效性": "validity", "时效": "validity", "效力状态": "validity", "时效性": "validity",
	"文件类型": "type", "文种": "type",
}

// labelColon is a metadata label followed by a colon, in running text.
var labelColon = regexp.MustCompile(`(索\s?引\s?号|主题分类|信息分类|发文机关|发布机构|发文单位|发布单位|制发机关|成文日期|发文日期|印发日期|发布日期|公开日期|发文字号|文件编号|发文文号|文号|主题词|关键词|有效性|时效性|时效|效力状态|文件类型|文种|分类)\s*[:：]`)

// labelPairs splits "索引号：A  主题分类：B" into label/value pairs: each
// value runs to the next label.
func labelPairs(s string) [][2]string {
	if !strings.ContainsAny(s, ":：") { // most lines: spare the regexp
		return nil
	}
	locs := labelColon.FindAllStringSubmatchIndex(s, -1)
	var out [][2]string
	for i, m := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		out = append(out, [2]string{s[m[2]:m[3]], strings.TrimSpace(s[m[1]:end])})
	}
	return out
}

// policyReader reads a page's disclosure metadata as the walk meets it:
// from tables (th/td or td/td pairs), definition lists (dt/dd) and, at the
// end, "label：value" text. The first value of a field wins.
type policyReader struct{ p Policy }

func newPolicyReader() policyReader {
	return policyReader{Policy{Present: map[string]bool{}}}
}

func (r *policyReader) set(label, value string) {
	label = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(label), ":："))
	field, ok := policyLabels[strings.Join(strings.Fields(label), "")]
	if !ok {
		field, ok = policyLabels[label]
	}
	if !ok || r.p.Present[field] {
		return
	}
	r.p.Present[field] = true
	*r.p.Field(field) = collapse(value)
}

// row reads a table row: label and value cells in pairs, and
// "索引号：xxx" inside one cell.
func (r *policyReader) row(tr *html.Node) {
	cells := childCells(tr)
	for i := 0; i+1 < len(cells); i += 2 {
		r.set(textOf(cells[i]), textOf(cells[i+1]))
	}
	for _, c := range cells {
		for _, kv := range labelPairs(collapse(textOf(c))) {
			r.set(kv[0], kv[1])
		}
	}
}

// term reads a definition list's term and the description after it.
func (r *policyReader) term(dt *html.Node) {
	if dd := nextElement(dt); dd != nil && dd.DataAtom == atom.Dd {
		r.set(textOf(dt), textOf(dd))
	}
}

// result reads the page's text, one line at a time, and returns the
// metadata. ok is false when the page shows fewer than three of the labels:
// it is then no policy document's page.
func (r *policyReader) result(text string) (p Policy, ok bool) {
	for _, line := range strings.Split(text, "\n") {
		for _, kv := range labelPairs(line) {
			r.set(kv[0], kv[1])
		}
	}
	p = r.p
	return p, len(p.Present) >= 3 && (p.Present["index"] || p.Present["number"] || p.Present["issuer"])
}

// Field returns the field called name (index, topic, issuer, written,
// published, number, title, keywords, validity, type), nil for another name.
func (p *Policy) Field(name string) *string {
	switch name {
	case "index":
		return &p.Index
	case "topic":
		return &p.Topic
	case "issuer":
		return &p.Issuer
	case "written":
		return &p.Written
	case "published":
		return &p.Published
	case "number":
		return &p.Number
	case "title":
		return &p.Title
	case "keywords":
		return &p.Keywords
	case "validity":
		return &p.Validity
	case "type":
		return &p.Type
	}
	return nil
}

func childCells(tr *html.Node) []*html.Node {
	var cells []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
			cells = append(cells, c)
		}
	}
	return cells
}

func nextElement(n *html.Node) *html.Node {
	for c := n.NextSibling; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}
