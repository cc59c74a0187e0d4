package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/temoto/robotstxt"
)

// robots keeps one robots.txt per host of the site. It is fetched once,
// through the same throttled client as everything else, and applied to page
// fetches and link checks alike; its Crawl-delay stretches the host's delay.
//
// colly can honour robots.txt itself, but it keeps the parsed file private,
// so its Crawl-delay could not be applied and our link checks (which do not
// go through colly) could not obey the same rules. One reader serves both.
type robots struct {
	client    *http.Client
	userAgent string

	mu    sync.Mutex
	hosts map[string]*robotsEntry
}

type robotsEntry struct {
	once  sync.Once
	data  *robotstxt.RobotsData
	delay atomic.Int64 // time.Duration; read by the throttle while the file loads
	note  string       // why everything is disallowed, when it is
}

func (r *robots) entry(ctx context.Context, u *url.URL) *robotsEntry {
	r.mu.Lock()
	e := r.hosts[u.Host]
	if e == nil {
		e = &robotsEntry{}
		r.hosts[u.Host] = e
	}
	r.mu.Unlock()
	e.once.Do(func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.Scheme+"://"+u.Host+"/robots.txt", nil)
		if err != nil {
			return
		}
		req.Header.Set("User-Agent", r.userAgent)
		resp, err := r.client.Do(req)
		if err != nil {
			return // unreachable robots.txt: crawl as if there were none
		}
		defer resp.Body.Close()
		data, err := robotstxt.FromResponse(resp)
		if err != nil {
			return
		}
		if resp.StatusCode >= 500 {
			e.note = fmt.Sprintf("robots.txt 返回 HTTP %d，按 robots 协议跳过该主机", resp.StatusCode)
		}
		e.data = data
		if g := data.FindGroup(r.userAgent); g != nil {
			e.delay.Store(int64(g.CrawlDelay))
		}
	})
	return e
}

// allowed reports whether robots.txt lets us fetch u.
func (r *robots) allowed(ctx context.Context, u *url.URL) bool {
	e := r.entry(ctx, u)
	if e.data == nil {
		return true
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return e.data.TestAgent(p, r.userAgent)
}

// crawlDelay is the host's Crawl-delay, zero when not fetched or not set.
func (r *robots) crawlDelay(host string) time.Duration {
	r.mu.Lock()
	e := r.hosts[host]
	r.mu.Unlock()
	if e == nil {
		return 0
	}
	return time.Duration(e.delay.Load())
}
