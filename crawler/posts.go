package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/xunjian/xunjian/charset"
	"github.com/xunjian/xunjian/crawler/extract"
)

// A new-media account is read from one source into posts. The kinds:
const (
	SourceFeed   = "feed"   // RSS 2.0, Atom or JSON Feed (a local RSSHub, a WeChat-to-RSS bridge)
	SourceWeChat = "wechat" // a list of mp.weixin.qq.com/s/… article URLs
	SourceWeibo  = "weibo"  // a Weibo uid, read through the mobile JSON API
	SourceHTML   = "html"   // a plain page listing dated items
)

// Source says where an account's posts are read.
type Source struct {
	Kind   string
	URL    string   // the feed or list page; for weibo, the API base (default https://m.weibo.cn)
	URLs   []string // wechat: article URLs
	UID    string   // weibo: the account's uid
	Cookie string   // weibo: sent when set (the API answers ok:-100 without one)
}

// Post is one publication of an account.
type Post struct {
	Title     string
	Text      string
	HTML      string // the post's markup, for its links (empty when none)
	Link      string
	Published time.Time // zero when unknown
	// DateText is a date the post carries but no reader understood
	// ("" when it carries none, or Published was read).
	DateText string
	Pinned   bool   // a pinned post does not count for freshness
	Problem  string // "deleted" for a WeChat article removed by its publisher
}

// Source errors: the account could not be read, and why.
var (
	ErrNeedsCookie = errors.New("crawler: the platform wants a logged-in cookie (微博接口返回 -100)")
	ErrBlocked     = errors.New("crawler: the platform blocked the request (HTTP 432 or a verification page)")
	// ErrNotFeed is a source whose answer is no feed, or no platform
	// answer, that can be read.
	ErrNotFeed = errors.New("crawler: not a readable feed or platform answer")
	// ErrTooLarge is a source's answer longer than max_body_bytes: what
	// was read is cut, so it is not judged.
	ErrTooLarge = errors.New("crawler: the answer is larger than max_body_bytes")
)

// ReadError is a source that could not be read, with the URL that failed.
type ReadError struct {
	URL    string
	Status LinkStatus
	Err    error
}

func (e *ReadError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.URL, e.Err)
	}
	return fmt.Sprintf("%s: %s %s", e.URL, e.Status.Problem, e.Status.Detail)
}

func (e *ReadError) Unwrap() error { return e.Err }

// Posts reads an account's source through the crawler's polite client
// (per-host limits apply across accounts of one platform). Dates without a
// time zone are in now's location; now also dates list items without a year.
func (c *Crawler) Posts(ctx context.Context, src Source, now time.Time) ([]Post, error) {
	loc := now.Location()
	switch src.Kind {
	case SourceFeed:
		return c.feedPosts(ctx, src.URL, loc)
	case SourceWeChat:
		return c.wechatPosts(ctx, src.URLs, loc)
	case SourceWeibo:
		return c.weiboPosts(ctx, src, loc)
	case SourceHTML:
		return c.htmlPosts(ctx, src.URL, now)
	}
	return nil, fmt.Errorf("crawler: unknown source kind %q", src.Kind)
}

// get fetches a URL's body (at most MaxBodyBytes); a failed fetch is a
// ReadError carrying the link status, a longer body its first
// MaxBodyBytes with a ReadError wrapping ErrTooLarge.
func (c *Crawler) get(ctx context.Context, rawURL string, header http.Header) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, "", &ReadError{URL: rawURL, Err: err}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, "", &ReadError{URL: rawURL, Status: statusOf(0, err), Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode == 432 {
		return nil, "", &ReadError{URL: rawURL, Status: statusOf(432, nil), Err: ErrBlocked}
	}
	if resp.StatusCode >= 400 {
		return nil, "", &ReadError{URL: rawURL, Status: statusOf(resp.StatusCode, nil)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(c.opts.MaxBodyBytes)+1))
	if err != nil {
		return nil, "", &ReadError{URL: rawURL, Status: statusOf(0, err), Err: err}
	}
	c.bytes.Add(int64(len(body)))
	if len(body) > c.opts.MaxBodyBytes {
		// The first max_body_bytes and ErrTooLarge: HTML cut short still
		// reads; a feed or an API answer cut short would read as a syntax
		// error, so their callers say what happened instead.
		return body[:c.opts.MaxBodyBytes], resp.Header.Get("Content-Type"), &ReadError{URL: rawURL, Err: fmt.Errorf("%w (%d bytes)", ErrTooLarge, c.opts.MaxBodyBytes)}
	}
	return body, resp.Header.Get("Content-Type"), nil
}

// chinaCST is a date whose zone is written CST.
var chinaCST = regexp.MustCompile(`\bCST\b`)

// zoneless are feed dates written without a time zone: gofeed reads them as
// UTC; they are local time.
var zoneless = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?$`)

func (c *Crawler) feedPosts(ctx context.Context, feedURL string, loc *time.Location) ([]Post, error) {
	body, ctype, err := c.get(ctx, feedURL, nil)
	if err != nil {
		return nil, err
	}
	// A feed declared GBK only in the HTTP header reaches the XML parser as
	// UTF-8 with its prolog saying so.
	text, _ := charset.Decode(body, ctype)
	feed, err := gofeed.NewParser().ParseString(string(charset.UTF8Prolog(text)))
	if err != nil {
		return nil, &ReadError{URL: feedURL, Err: fmt.Errorf("%w: RSS/Atom/JSON: %w", ErrNotFeed, err)}
	}
	var posts []Post
	for _, it := range feed.Items {
		p := Post{Title: strings.TrimSpace(it.Title), Link: it.Link}
		raw, when := it.Published, it.PublishedParsed
		if when == nil {
			raw, when = it.Updated, it.UpdatedParsed
		}
		if when == nil && strings.TrimSpace(raw) == "" {
			raw = strings.TrimSpace(it.Published + " " + it.Updated)
		}
		switch {
		case when != nil && chinaCST.MatchString(raw):
			// CST on a Chinese feed is China Standard Time (UTC+8), not US
			// Central: the clock as written, in the configured zone.
			p.Published = *when
			written := strings.TrimSpace(chinaCST.ReplaceAllString(raw, ""))
			for _, layout := range []string{"Mon, 02 Jan 2006 15:04:05", "Mon, 2 Jan 2006 15:04:05", "02 Jan 2006 15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
				if t, err := time.ParseInLocation(layout, written, loc); err == nil {
					p.Published = t
					break
				}
			}
		case when != nil && zoneless.MatchString(strings.TrimSpace(raw)):
			t := when.UTC()
			p.Published = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
		case when != nil:
			p.Published = *when
		case raw != "":
			// 2026/11/29 23:00, 2026年11月29日, 2026.11.29: what gofeed does
			// not read, the page's date reader does.
			if t, ok := extract.ParseDate(raw, time.Now().In(loc), false); ok {
				p.Published = t.In(loc)
			} else {
				p.DateText = raw
			}
		}
		p.HTML = it.Content
		if p.HTML == "" {
			p.HTML = it.Description
		}
		p.Text = htmlText(p.HTML)
		posts = append(posts, p)
	}
	return posts, nil
}

var wechatCT = regexp.MustCompile(`var\s+ct\s*=\s*"(\d{9,11})"`)

func (c *Crawler) wechatPosts(ctx context.Context, urls []string, loc *time.Location) ([]Post, error) {
	var posts []Post
	for _, u := range urls {
		body, ctype, err := c.get(ctx, u, nil)
		if err != nil && !errors.Is(err, ErrTooLarge) {
			return posts, err
		}
		html, _ := charset.Decode(body, ctype)
		page := string(html)
		if strings.Contains(page, "环境异常") && !strings.Contains(page, "js_content") {
			return posts, &ReadError{URL: u, Err: ErrBlocked}
		}
		if strings.Contains(page, "已被发布者删除") || strings.Contains(page, "该内容已被发布者删除") {
			posts = append(posts, Post{Link: u, Problem: "deleted"})
			continue
		}
		pu, _ := url.Parse(u)
		doc := extract.Parse(html, pu)
		p := Post{Link: u, Title: doc.MetaValue("og:title")}
		if p.Title == "" {
			p.Title = doc.Title
		}
		if m := wechatCT.FindSubmatch(html); m != nil {
			sec, _ := strconv.ParseInt(string(m[1]), 10, 64)
			p.Published = time.Unix(sec, 0).In(loc)
		}
		p.HTML = innerHTMLOf(page, `id="js_content"`)
		p.Text = htmlText(p.HTML)
		posts = append(posts, p)
	}
	return posts, nil
}

// innerHTMLOf cuts the markup of the element whose start tag holds marker,
// up to the end of the page's main container: enough for its text and links.
func innerHTMLOf(page, marker string) string {
	i := strings.Index(page, marker)
	if i < 0 {
		return ""
	}
	if j := strings.Index(page[i:], ">"); j >= 0 {
		i += j + 1
	}
	end := len(page)
	for _, stop := range []string{`id="js_pc_qr_code"`, `class="rich_media_tool`, "</body>"} {
		if k := strings.Index(page[i:], stop); k >= 0 && i+k < end {
			end = i + k
		}
	}
	return page[i:end]
}

func htmlText(fragment string) string {
	if strings.TrimSpace(fragment) == "" {
		return ""
	}
	if !strings.Contains(fragment, "<") {
		return strings.TrimSpace(fragment)
	}
	return extract.Parse([]byte("<html><body><div class=\"main\">"+fragment+"</div></body></html>"), nil).Text
}

// weiboCard is the part of the mobile API's answer that is read.
type weiboAnswer struct {
	OK   json.Number `json:"ok"`
	Msg  string      `json:"msg"`
	Data struct {
		TabsInfo struct {
			Tabs []struct {
				TabType     string `json:"tab_type"`
				ContainerID string `json:"containerid"`
			} `json:"tabs"`
		} `json:"tabsInfo"`
		Cards []struct {
			CardType int `json:"card_type"`
			Mblog    *struct {
				ID        string `json:"id"`
				CreatedAt string `json:"created_at"`
				Text      string `json:"text"`
				IsTop     int    `json:"isTop"`
			} `json:"mblog"`
		} `json:"cards"`
	} `json:"data"`
}

func (c *Crawler) weiboAPI(ctx context.Context, src Source, query string) (weiboAnswer, error) {
	base := strings.TrimSuffix(src.URL, "/")
	if base == "" {
		base = "https://m.weibo.cn"
	}
	u := base + "/api/container/getIndex?" + query
	h := http.Header{}
	if src.Cookie != "" {
		h.Set("Cookie", src.Cookie)
	}
	var ans weiboAnswer
	body, _, err := c.get(ctx, u, h)
	if err != nil {
		return ans, err
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return ans, &ReadError{URL: u, Err: fmt.Errorf("%w: the Weibo API's JSON: %w", ErrNotFeed, err)}
	}
	if ans.OK.String() == "-100" {
		return ans, &ReadError{URL: u, Err: ErrNeedsCookie}
	}
	if ans.OK.String() != "1" {
		return ans, &ReadError{URL: u, Err: fmt.Errorf("%w: the Weibo API answered ok=%s %s", ErrNotFeed, ans.OK, ans.Msg)}
	}
	return ans, nil
}

func (c *Crawler) weiboPosts(ctx context.Context, src Source, loc *time.Location) ([]Post, error) {
	profile, err := c.weiboAPI(ctx, src, "type=uid&value="+url.QueryEscape(src.UID))
	if err != nil {
		return nil, err
	}
	container := ""
	for _, t := range profile.Data.TabsInfo.Tabs {
		if t.TabType == "weibo" {
			container = t.ContainerID
		}
	}
	if container == "" {
		return nil, &ReadError{URL: src.URL, Err: fmt.Errorf("%w: the Weibo profile has no weibo tab", ErrNotFeed)}
	}
	list, err := c.weiboAPI(ctx, src, "type=uid&value="+url.QueryEscape(src.UID)+"&containerid="+url.QueryEscape(container))
	if err != nil {
		return nil, err
	}
	var posts []Post
	for _, card := range list.Data.Cards {
		m := card.Mblog
		if m == nil {
			continue
		}
		p := Post{HTML: m.Text, Text: htmlText(m.Text), Pinned: m.IsTop == 1, Link: "https://m.weibo.cn/detail/" + m.ID}
		if t, err := time.Parse("Mon Jan 02 15:04:05 -0700 2006", m.CreatedAt); err == nil {
			p.Published = t.In(loc)
		}
		p.Title = firstRunes(p.Text, 30)
		posts = append(posts, p)
	}
	return posts, nil
}

func (c *Crawler) htmlPosts(ctx context.Context, pageURL string, now time.Time) ([]Post, error) {
	body, ctype, err := c.get(ctx, pageURL, nil)
	if err != nil && !errors.Is(err, ErrTooLarge) {
		return nil, err
	}
	text, _ := charset.Decode(body, ctype)
	u, _ := url.Parse(pageURL)
	list := extract.ParseWith(text, u, extract.Options{Now: now}).List
	var posts []Post
	for _, it := range list.Items {
		p := Post{Title: it.Title, Text: it.Title, Link: it.URL}
		if it.Dated {
			p.Published = it.Date
		}
		posts = append(posts, p)
	}
	return posts, nil
}

func firstRunes(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}
