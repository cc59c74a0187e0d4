package scan

import (
	"cmp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/extract"
	"github.com/xunjian/xunjian/store"
)

// channels gathers a site's consultation channels as the crawl reads
// them: each channel's messages, once each (a list's row and the message's
// own page are one message).
type channels struct {
	words []string
	by    map[string]*channel // by name
	order []string
}

type channel struct {
	url      string
	listed   bool                        // url is a list (a page of several messages)
	messages map[string]*extract.Message // by the message's page (or page and title)
	keys     []string
}

// channelOf names the channel a page belongs to: the first of its column
// name, breadcrumb (innermost first) and title that has a channel's word;
// "" when none.
func channelOf(d *extract.Doc, words []string) string {
	names := []string{d.MetaValue("ColumnName")}
	for i := len(d.Breadcrumb) - 1; i >= 0; i-- {
		names = append(names, d.Breadcrumb[i])
	}
	names = append(names, d.Title)
	for _, n := range names {
		if n != "" && hasWord(n, words) {
			return n
		}
	}
	return ""
}

func hasWord(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// add takes the messages of a page of the channel name; the caller holds
// the lock.
func (cs *channels) add(name, pageURL string, msgs []extract.Message) {
	if cs.by == nil {
		cs.by = map[string]*channel{}
	}
	ch := cs.by[name]
	if ch == nil {
		ch = &channel{url: pageURL, messages: map[string]*extract.Message{}}
		cs.by[name] = ch
		cs.order = append(cs.order, name)
	}
	if len(msgs) > 1 && !ch.listed {
		ch.url, ch.listed = pageURL, true
	}
	for _, m := range msgs {
		key := m.URL
		if m.URL == pageURL && len(msgs) > 1 { // rows that link nowhere
			key += "#" + m.Title
		}
		cur := ch.messages[key]
		if cur == nil {
			m := m
			ch.messages[key] = &m
			ch.keys = append(ch.keys, key)
			continue
		}
		// The same message on its list and its own page: what either says.
		if cur.Answered.IsZero() {
			cur.Answered = m.Answered
		}
		cur.Status = cmp.Or(cur.Status, m.Status)
		if cur.Asked.IsZero() {
			cur.Asked = m.Asked
		}
		if len([]rune(m.Title)) > len([]rune(cur.Title)) {
			cur.Title = m.Title
		}
	}
}

// judge lists the channels for checks.Interaction: those read, and those a
// link names but that could not be read.
func (cs *channels) judge(res *crawler.Result, timeout time.Duration) []checks.Channel {
	var out []checks.Channel
	for _, name := range cs.order {
		ch := cs.by[name]
		c := checks.Channel{Name: name, URL: ch.url}
		for _, k := range ch.keys {
			c.Messages = append(c.Messages, *ch.messages[k])
		}
		out = append(out, c)
	}
	seen := map[string]bool{}
	for e := range res.Edges.All() {
		t := res.Targets[e.To]
		anchor := strings.TrimSpace(e.Anchor)
		if !t.Internal || t.Kind != extract.Page || !t.Status.Broken() || seen[t.URL] || !namesChannel(anchor, cs.words) {
			continue
		}
		seen[t.URL] = true
		out = append(out, checks.Channel{Name: anchor, URL: t.URL, Unreadable: checks.Cause(t.Status, timeout)})
	}
	return out
}

// namesChannel reports whether a link's text names a channel (在线投诉,
// 区长信箱, 我要咨询): a few characters with a channel's word — not a news
// title that mentions 建议 or a column such as 互动交流.
func namesChannel(anchor string, words []string) bool {
	if n := utf8.RuneCountInString(anchor); n == 0 || n > 8 {
		return false
	}
	for _, w := range words {
		if w != "互动" && w != "建议" && strings.Contains(anchor, w) {
			return true
		}
	}
	return false
}

// carried are the open 互动回应 issues of pages this scan did not read (the
// channel failed tonight, a letter moved beyond the crawl): seen again, not
// verified fixed by a scan that never looked.
func carried(open []store.Issue, read map[string]pageAbout) []checks.Finding {
	var out []checks.Finding
	for _, is := range open {
		if _, ok := read[is.URL]; ok || is.Rule == checks.RuleChannelUnreadable {
			continue
		}
		out = append(out, checks.Finding{Category: is.Category, Severity: is.Severity, URL: is.URL, Evidence: is.Evidence,
			Message: is.Message, Rule: is.Rule, Owner: is.Owner, Suspected: is.Suspected})
	}
	return out
}
