package crawler

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/xunjian/xunjian/charset"
	"github.com/xunjian/xunjian/crawler/extract"
)

// check finds whether a target that is not crawled (external links,
// attachments, images, resources) works (CheckURL), or downloads an
// attachment that is to be read.
func (c *Crawler) check(ctx context.Context, j job) {
	c.mu.Lock()
	t := c.targets[j.id]
	c.mu.Unlock()
	if t.Internal && t.Kind == extract.Attachment && c.opts.OnAttachment != nil &&
		(c.opts.WantAttachment == nil || c.opts.WantAttachment(t.FetchURL)) &&
		c.attachBudget.Add(1) <= int64(c.opts.MaxAttachments) {
		c.setStatus(j.id, c.download(ctx, t.FetchURL))
		c.linksDone.Add(1)
		return
	}
	st := c.CheckURL(ctx, t.FetchURL)
	if ctx.Err() != nil {
		st = LinkStatus{Problem: Unfinished}
	}
	c.linksDone.Add(1)
	c.setStatus(j.id, st)
}

func (c *Crawler) probe(ctx context.Context, method, rawURL string) LinkStatus {
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		return LinkStatus{Problem: BadURL, Detail: err.Error()}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "*/*")
	resp, err := c.client.Do(req)
	if err != nil {
		return statusOf(0, err)
	}
	defer resp.Body.Close()
	st := statusOf(resp.StatusCode, nil)
	final := resp.Request.URL
	st.Cert = c.certReason(rawURL, final)
	if Normalize(final) != Normalize(req.URL) {
		st.Final = final.String()
	}
	if st.Problem != NoProblem {
		return st
	}
	// A deep link that lands on the root of its host is a removed page the
	// server redirects home instead of answering 404.
	if st.Final != "" && (final.Path == "/" || final.Path == "") && !isHomeLike(Normalize(req.URL)) {
		st.Problem, st.Suspected, st.Detail = SoftNotFound, true, "redirected to the home page"
		return st
	}
	if method == http.MethodGet && isHTML(resp.Header.Get("Content-Type"), nil) {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 256<<10))
		c.bytes.Add(int64(len(body)))
		text, _ := charset.Decode(body, resp.Header.Get("Content-Type"))
		doc := extract.Parse(text, final)
		if looksNotFound(doc.Title, doc.Text) {
			st.Problem, st.Suspected, st.Detail = SoftNotFound, true, "the page says it does not exist"
		}
	}
	return st
}

// CheckURL checks one link: HEAD first, then GET when HEAD is refused or
// fails, since many servers answer HEAD wrongly (a DNS failure or a redirect
// loop would fail the same way). The crawl checks every link this way, and
// the account check the links in posts.
func (c *Crawler) CheckURL(ctx context.Context, rawURL string) LinkStatus {
	st := c.probe(ctx, http.MethodHead, rawURL)
	if st.Broken() && st.Problem != DNSFailure && st.Problem != RedirectLoop && st.Problem != TooManyRedirects && st.Problem != IntranetRedirect {
		st = c.probe(ctx, http.MethodGet, rawURL)
	}
	return st
}

// download GETs an attachment to read it: the check and the reading are one
// request.
func (c *Crawler) download(ctx context.Context, rawURL string) LinkStatus {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return LinkStatus{Problem: BadURL, Detail: err.Error()}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.client.Do(req)
	if err != nil {
		return statusOf(0, err)
	}
	defer resp.Body.Close()
	st := statusOf(resp.StatusCode, nil)
	st.Cert = c.certReason(rawURL, resp.Request.URL)
	if st.Problem != NoProblem {
		return st
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(c.opts.MaxAttachmentBytes)))
	if err != nil {
		return statusOf(0, err)
	}
	c.attachments.Add(1)
	c.bytes.Add(int64(len(data)))
	c.attachBytes.Add(int64(len(data)))
	c.opts.OnAttachment(rawURL, data)
	return st
}

// Probe fetches one URL once (no retry) with the options' timeout, as the
// availability indicator does: the home page either opens within 15 s or the
// probe failed. It returns what it found and how long it took.
func Probe(ctx context.Context, rawURL string, opts Options) (LinkStatus, time.Duration) {
	opts.Retries = 0
	c := New(opts)
	start := time.Now()
	st := c.probe(ctx, http.MethodGet, rawURL)
	return st, time.Since(start)
}
