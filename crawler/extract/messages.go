package extract

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Message is a consultation, complaint or suggestion message (留言) as a
// channel (留言咨询, 领导信箱, 投诉, 征集) shows it: a row of its list or a
// message's own page.
type Message struct {
	Title    string
	URL      string    // the message's own page; the page it was read on when the row links nowhere
	Asked    time.Time // 留言时间; zero when not shown
	Answered time.Time // 回复时间; zero when not answered or not shown
	// Status is the state as written (已回复, 未回复, 办理中 …), "" when
	// not shown; Replied reads it.
	Status string
}

// Replied reports whether the message was answered, as far as the page
// says: a reply time, or a status that says so.
func (m Message) Replied() bool {
	return !m.Answered.IsZero() || repliedStatus.MatchString(m.Status)
}

var (
	// The states channels write: answered …
	repliedStatus = regexp.MustCompile(`已回复|已答复|已办结|已处理|已反馈|已回应|办结|已完成`)
	// … and any state at all, for rows that show one.
	anyStatus = regexp.MustCompile(`已回复|已答复|已办结|已处理|已反馈|已回应|办结|已完成|未回复|未答复|待回复|待处理|办理中|处理中|已受理|受理中|未办结|已转办|转办中`)

	// Column headers of a channel's list.
	titleHeader    = regexp.MustCompile(`标题|主题|事项|留言内容|信件`)
	askedHeader    = regexp.MustCompile(`(留言|来信|提问|咨询|投诉|提交|写信|反映)(时间|日期)`)
	answeredHeader = regexp.MustCompile(`(回复|答复|办结|反馈|回应)(时间|日期)`)
	statusHeader   = regexp.MustCompile(`状态`)

	// The labelled fields of a message's own page.
	// (the colon may be a table cell boundary: 留言时间 | 2026-07-01).
	askedField    = regexp.MustCompile(`(?:留言|来信|提问|咨询|投诉|提交|写信|反映)(?:时间|日期)\s*[:：]?\s*`)
	answeredField = regexp.MustCompile(`(?:回复|答复|办结|反馈|回应)(?:时间|日期)\s*[:：]?\s*`)
	statusField   = regexp.MustCompile(`(?:办理|处理|回复|答复)?状态\s*[:：]?\s*(\S{2,6})`)
	titleField    = regexp.MustCompile(`(?:留言|来信|信件|咨询|投诉)(?:标题|主题)\s*[:：]?\s*([^\n]{2,80})`)
)

// messagesOf finds the messages a page shows: the rows of each table whose
// header names when a message was asked or answered, the items of a list
// whose rows say their state (［已回复］标题 2026-07-01), or, on a
// message's own page, its labelled fields (留言时间：… 回复时间：…).
func messagesOf(root *html.Node, title, text string, pageURL *url.URL, ref time.Time) []Message {
	if !mayShowMessages(text) || !askedField.MatchString(text) && !answeredField.MatchString(text) && !anyStatus.MatchString(text) {
		return nil // no page without one of these shows a message
	}
	doc := goquery.NewDocumentFromNode(root)
	out := tableMessages(doc, pageURL, ref)
	if len(out) == 0 {
		out = listMessages(doc, pageURL, ref)
	}
	if len(out) == 0 {
		if m, ok := pageMessage(title, text, pageURL, ref); ok {
			out = append(out, m)
		}
	}
	return out
}

// messageWords are words every page showing a message has one of: the
// cheap test before the patterns.
var messageWords = []string{"留言", "来信", "咨询", "投诉", "回复", "答复", "办结", "受理", "信件", "建议", "反映", "办理"}

func mayShowMessages(text string) bool {
	for _, w := range messageWords {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// tableMessages reads the rows of message tables.
func tableMessages(doc *goquery.Document, pageURL *url.URL, ref time.Time) []Message {
	var out []Message
	doc.Find("table").Each(func(_ int, table *goquery.Selection) {
		rows := table.Find("tr").FilterFunction(func(_ int, tr *goquery.Selection) bool {
			return tr.Closest("table").IsSelection(table)
		})
		col := map[string]int{}
		start := -1
		rows.EachWithBreak(func(i int, tr *goquery.Selection) bool {
			tr.ChildrenFiltered("th,td").Each(func(j int, c *goquery.Selection) {
				h := collapse(c.Text())
				if len([]rune(h)) > 12 {
					return
				}
				for key, re := range map[string]*regexp.Regexp{"title": titleHeader, "asked": askedHeader, "answered": answeredHeader, "status": statusHeader} {
					if _, seen := col[key]; !seen && re.MatchString(h) && (key != "title" || !askedHeader.MatchString(h) && !answeredHeader.MatchString(h)) {
						col[key] = j
					}
				}
			})
			if _, ok := col["asked"]; ok {
				start = i
				return false
			}
			if _, ok := col["answered"]; ok {
				start = i
				return false
			}
			col = map[string]int{}
			return i < 2
		})
		if start < 0 {
			return
		}
		rows.Each(func(i int, tr *goquery.Selection) {
			if i <= start {
				return
			}
			cells := tr.ChildrenFiltered("th,td")
			cell := func(key string) *goquery.Selection {
				j, ok := col[key]
				if !ok || j >= cells.Length() {
					return nil
				}
				return cells.Eq(j)
			}
			m := Message{URL: resolved(pageURL, "")}
			if c := cell("title"); c != nil {
				m.Title = collapse(c.Text())
				if href, ok := c.Find("a[href]").First().Attr("href"); ok {
					m.URL = resolved(pageURL, href)
				}
			}
			if c := cell("asked"); c != nil {
				m.Asked, _ = ParseDate(c.Text(), ref, false)
			}
			if c := cell("answered"); c != nil {
				m.Answered, _ = ParseDate(c.Text(), ref, false)
			}
			if c := cell("status"); c != nil {
				m.Status = collapse(c.Text())
			}
			if m.Title != "" && (!m.Asked.IsZero() || m.Status != "") {
				out = append(out, m)
			}
		})
	})
	return out
}

// listMessages reads list rows that each link a message and say its state
// and date.
func listMessages(doc *goquery.Document, pageURL *url.URL, ref time.Time) []Message {
	var out []Message
	doc.Find("li, dl, tr, div.item, div.row, div.list-item").Each(func(_ int, row *goquery.Selection) {
		links := row.Find("a[href]")
		if links.Length() != 1 || row.Find("li, dl, tr").Length() > 0 {
			return
		}
		text := collapse(row.Text())
		if len([]rune(text)) > 200 {
			return
		}
		status := anyStatus.FindString(text)
		asked, ok := ParseDate(text, ref, false)
		if status == "" || !ok {
			return
		}
		href, _ := links.Attr("href")
		title := strings.Trim(collapse(links.Text()), "[]［］【】")
		out = append(out, Message{Title: title, URL: resolved(pageURL, href), Asked: asked, Status: status})
	})
	return out
}

// pageMessage reads a message's own page: one that names the message (a
// 来信标题 field) or shows its reply or state, beside when it was asked. A
// notice of a consultation (意见提交时间：7月1日至7月31日) or an interview's
// question (提问时间) is no message.
func pageMessage(title, text string, pageURL *url.URL, ref time.Time) (Message, bool) {
	m := Message{Title: title, URL: resolved(pageURL, "")}
	named := titleField.FindStringSubmatch(text)
	stated := statusField.FindStringSubmatch(text)
	if stated != nil && !anyStatus.MatchString(stated[1]) {
		stated = nil
	}
	if named == nil && !answeredField.MatchString(text) && stated == nil {
		return m, false
	}
	if loc := askedField.FindStringIndex(text); loc != nil {
		after := text[loc[1]:min(len(text), loc[1]+40)]
		if line, _, _ := strings.Cut(after, "\n"); strings.ContainsAny(line, "至到~～") || strings.Contains(line, "—") {
			return m, false // a span: when opinions may be sent
		}
		m.Asked, _ = ParseDate(after, ref, false)
	}
	if loc := answeredField.FindStringIndex(text); loc != nil {
		m.Answered, _ = ParseDate(text[loc[1]:min(len(text), loc[1]+40)], ref, false)
	}
	if stated != nil {
		m.Status = anyStatus.FindString(stated[1])
	}
	if named != nil {
		m.Title = strings.TrimSpace(named[1])
	}
	return m, !m.Asked.IsZero()
}

// resolved is href against the page, as an absolute URL; href itself when
// it cannot be resolved.
func resolved(pageURL *url.URL, href string) string {
	if pageURL == nil {
		return href
	}
	u, err := pageURL.Parse(strings.TrimSpace(href))
	if err != nil {
		return href
	}
	return u.String()
}
