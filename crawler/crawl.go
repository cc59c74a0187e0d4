// Package crawler walks one website politely and checks every link it finds.
// It is the only user of colly. For each page it emits a Page (decoded to
// UTF-8 and extracted into facts by crawler/extract); at the end it returns
// the link graph with the status of every distinct target, so each dead
// target can be reported for every page that links to it.
package crawler

import (
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gocolly/colly/v2"

	"github.com/xunjian/xunjian/charset"
	"github.com/xunjian/xunjian/crawler/extract"
)

// Options configure one crawl. Zero values take the polite defaults.
type Options struct {
	UserAgent        string
	Concurrency      int           // connections per host (default 2)
	Delay            time.Duration // between request starts on one host (robots Crawl-delay wins when longer)
	Timeout          time.Duration // one attempt, body included (default 15 s)
	Retries          int           // extra attempts after a timeout, reset or 429
	RetryWait        time.Duration // first back-off (default 1 s, doubling)
	MaxRetryWait     time.Duration // cap on one back-off or Retry-After (default 30 s)
	RecheckAfter     time.Duration // pause before transient failures are checked again (default 10 s)
	MaxBodyBytes     int           // larger bodies are cut (default 10 MiB)
	MaxPages         int           // pages fetched at most (default 20000)
	MaxDepth         int           // clicks from the start page (0: unlimited)
	MaxQueryVariants int           // distinct query strings per path (crawler-trap cap, default 30)
	CheckExternal    bool          // check links that leave the site
	AllowedHosts     []string      // hosts besides the start URL's that belong to the site
	Workers          int           // goroutines fetching (default 4 × Concurrency)
	// OnAttachment, when set, receives the body of every attachment on the
	// site that WantAttachment accepts (at most MaxAttachments per crawl,
	// each cut at MaxAttachmentBytes); it is called from several goroutines.
	OnAttachment       func(url string, data []byte)
	WantAttachment     func(url string) bool
	MaxAttachments     int // default 500
	MaxAttachmentBytes int // default 10 MiB
	// Template are the site's template corrections (chrome selectors) for
	// the extractor; nil for none.
	Template *extract.Template
	// Now is the crawl's "now", the reference time of the pages' dates: a
	// list date without a year is the latest such day not after it. Zero:
	// the time each page is parsed.
	Now time.Time
	// Dial replaces the network dialer; tests and the demo use it to keep
	// every connection on loopback.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// RootCAs are the roots certificates are verified against (nil: the
	// system's, as a browser on this machine); tests bring their own.
	RootCAs *x509.CertPool
	// Known, when set, makes the crawl incremental (a nightly patrol): it
	// is what earlier scans learnt of a URL (normalised). A URL it knows
	// and does not ask to visit is not requested; its last status stands
	// (Target.Carried). A page it asks to visit is requested with its
	// validators, and one that answers 304 Not Modified — or the same
	// bytes as before — is neither parsed nor followed (PageRecord.Unchanged).
	Known func(url string) (Known, bool)
	// Seeds are visited besides what links reach: the nightly's due pages
	// and the dead links it checks again.
	Seeds []Seed
}

// Known is what earlier scans learnt of a URL.
type Known struct {
	Visit  bool       // request it tonight
	Status LinkStatus // as last checked: stands when not visited
	// The validators of a page, for a conditional request, and its last
	// content hash.
	ETag, LastModified, Hash string
	// Reread: a page read in full even when unchanged (the home page and
	// column lists: their dates are judged against tonight).
	Reread bool
}

// Seed is a URL to visit though no page fetched tonight may link to it.
type Seed struct {
	URL   string
	Kind  extract.LinkKind
	Depth int
}

// DefaultOptions are the options a zero Options crawls with. The
// configuration's defaults (config.Default) agree with them; a test holds
// them to it.
func DefaultOptions() Options {
	var o Options
	o.defaults()
	return o
}

func (o *Options) defaults() {
	if o.UserAgent == "" {
		o.UserAgent = "xunjian/0.1"
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 2
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	if o.RetryWait <= 0 {
		o.RetryWait = time.Second
	}
	if o.MaxRetryWait <= 0 {
		o.MaxRetryWait = 30 * time.Second
	}
	if o.RecheckAfter < 0 {
		o.RecheckAfter = 0
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 10 << 20
	}
	if o.MaxPages <= 0 {
		o.MaxPages = 20000
	}
	if o.MaxQueryVariants <= 0 {
		o.MaxQueryVariants = 30
	}
	if o.MaxAttachments <= 0 {
		o.MaxAttachments = 500
	}
	if o.MaxAttachmentBytes <= 0 {
		o.MaxAttachmentBytes = 10 << 20
	}
	if o.Workers <= 0 {
		o.Workers = max(4, 4*o.Concurrency)
	}
}

// Page is one fetched page of the site, handed to the page callback.
type Page struct {
	PageRecord
	IsHome bool
	// Doc is every fact of the page, read when it was fetched: its list
	// read for URL (no items on an article page but the home page), its
	// dates against Options.Now. Nil when the answer was not HTML or failed.
	Doc *extract.Doc
}

// PageRecord is what is kept of a page after the crawl (the store saves it).
type PageRecord struct {
	URL          string // normalised identity
	FetchURL     string // the URL as linked and fetched
	Status       int
	ContentType  string
	Encoding     string // charset the body was decoded from
	Hash         string // sha256 of the body, hex (first 16 bytes)
	ETag         string
	LastModified string
	Title        string
	Depth        int
	Truncated    bool // the body hit MaxBodyBytes
	// Unchanged: an incremental crawl's page that answered 304 Not Modified
	// or the same bytes as before; not parsed, its links not followed.
	Unchanged bool
}

// Target is one distinct link target seen during the crawl.
type Target struct {
	URL      string // normalised identity
	FetchURL string // as first linked
	Internal bool
	Kind     extract.LinkKind
	Status   LinkStatus
	// Carried: an incremental crawl did not request it; Status is what an
	// earlier scan found.
	Carried bool
	exact   bool // URL is the exact address, not the folded one
}

// Edge is one link from a page to a target, both indexes into Result.Targets.
type Edge struct {
	From, To    int32
	Anchor      string
	Boilerplate bool // in the page's header/navigation/footer
	Hidden      bool
}

// BadLink is an href on a page too malformed to follow.
type BadLink struct {
	From        int32 // the page, an index into Result.Targets
	Raw         string
	Anchor      string
	Reason      string // Chinese, as staff read it
	Boilerplate bool
}

// Stats count what a crawl did.
type Stats struct {
	Pages         int // pages fetched
	Links         int // distinct link targets checked (pages included)
	Requests      int64
	Bytes         int64
	RobotsSkipped int // URLs robots.txt kept us from
	DepthSkipped  int
	PagesCapped   int // pages not fetched because MaxPages was reached
	TrapSkipped   int // URLs dropped by the query-variant cap
	TrapPaths     []string
	Rechecked     int // transient failures checked a second time
	Carried       int // known targets an incremental crawl did not request
	Unchanged     int // pages that answered unchanged
	Attachments   int // attachments downloaded for reading
	AttachBytes   int64
	Elapsed       time.Duration
	Notes         []string
}

// Result is the outcome of one crawl.
type Result struct {
	Start   int32 // index of the start page in Targets
	Targets []Target
	// Edges are the links of the fetched pages (Close gives their scratch
	// file back).
	Edges Edges
	Pages []PageRecord
	// BadLinks are the malformed hrefs of the pages.
	BadLinks []BadLink
	// Aliases map each URL of a page served with the same content under
	// several (a static URL and its dynamic alias) to the one URL it is
	// reported under: the page is checked once and reported once.
	Aliases map[string]string
	Stats   Stats
	// Complete is true when every reachable page within the configured scope
	// was fetched: the start page answered, the crawl was not interrupted and
	// the page budget was not exhausted. Only a complete crawl may declare an
	// issue fixed.
	Complete    bool
	Interrupted bool
	// Certificates are the hosts whose certificate a browser would refuse
	// (expired, for another host, untrusted), by host. Their links still
	// work: a certificate problem is not a dead link.
	Certificates []CertProblem
}

// Close gives back what the result holds on disk (its edges' scratch
// file). A result is still whole until then.
func (r *Result) Close() error { return r.Edges.Close() }

// Progress is a live snapshot for the terminal and the UI.
type Progress struct {
	Pages, Queued, Links int
	Elapsed              time.Duration
}

// Crawler crawls one site. Use New, then Run once.
type Crawler struct {
	opts      Options
	client    *http.Client
	collector *colly.Collector
	robots    *robots
	certs     *verifier
	hosts     map[string]bool // the site's hosts (normalised)
	started   time.Time       // set by New; Progress and Stats measure from it

	mu          sync.Mutex
	cond        *sync.Cond
	queue       []job
	inflight    int
	ids         map[string]int32
	targets     []Target
	edges       Edges
	strs        map[string]string // header values kept once (intern)
	transports  []*http.Transport // closed when Run ends
	pages       []PageRecord
	badLinks    []BadLink
	hashes      map[string]int32 // content hash → the page checked for it
	aliases     map[string]string
	canonical   map[string]string // page URL → its <link rel=canonical>, when another
	variants    map[string]int
	trapPaths   map[string]bool
	stats       Stats
	pagesBudget int // pages queued or fetched
	home        int32
	homeKey     string // the home page's normalised URL
	offsiteHome string // where a home page that only redirects sends browsers off the site

	pagesDone, linksDone, requests, bytes  atomic.Int64
	attachments, attachBytes, attachBudget atomic.Int64
}

type jobKind uint8

const (
	crawlJob jobKind = iota // GET through colly, extract, follow links
	checkJob                // HEAD/GET the target, keep only its status
)

type job struct {
	id    int32
	kind  jobKind
	depth int
}

// New prepares a crawler; nothing is fetched yet.
func New(opts Options) *Crawler {
	opts.defaults()
	c := &Crawler{opts: opts, ids: map[string]int32{}, variants: map[string]int{}, trapPaths: map[string]bool{}, home: -1, started: time.Now(),
		hashes: map[string]int32{}, aliases: map[string]string{}, canonical: map[string]string{}}
	c.cond = sync.NewCond(&c.mu)
	dial := opts.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: opts.Timeout, KeepAlive: 30 * time.Second}).DialContext
	}
	// The intermediates a certificate names by AIA are fetched apart from
	// the crawl's queue and throttle (a handshake waits for them), each URL
	// once, by a small bounded client.
	aiaTransport := &http.Transport{
		Proxy: http.ProxyFromEnvironment, DialContext: dial, MaxIdleConnsPerHost: 1, IdleConnTimeout: 5 * time.Second,
	}
	aia := &aiaCache{entries: map[string]*aiaEntry{}, userAgent: opts.UserAgent, client: &http.Client{
		Timeout:   min(opts.Timeout, 10*time.Second),
		Transport: &counting{c: c, next: aiaTransport},
	}}
	c.certs = newVerifier(opts.RootCAs, opts.Timeout, aia)
	base := &http.Transport{
		Proxy:       http.ProxyFromEnvironment,
		DialContext: dial,
		// Certificates are verified by c.certs: a certificate a browser
		// refuses is a finding, and the request goes on.
		DialTLSContext:        c.certs.dialTLS(dial),
		TLSClientConfig:       c.certs.proxyConfig(),
		MaxIdleConnsPerHost:   opts.Concurrency,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   opts.Timeout,
		ExpectContinueTimeout: time.Second,
	}
	c.robots = &robots{userAgent: opts.UserAgent, hosts: map[string]*robotsEntry{}}
	rt := &retry{
		next: &throttle{
			next:        &counting{next: &attemptTimeout{next: base, timeout: opts.Timeout}, c: c},
			concurrency: opts.Concurrency,
			hosts:       map[string]*gate{},
			delay: func(host string) time.Duration {
				return max(opts.Delay, c.robots.crawlDelay(host))
			},
		},
		attempts: opts.Retries, wait: opts.RetryWait, maxWait: opts.MaxRetryWait,
	}
	c.transports = []*http.Transport{base, aiaTransport}
	jar, _ := cookiejar.New(nil)
	c.client = &http.Client{Transport: rt, Jar: jar, CheckRedirect: c.checkRedirect}
	c.robots.client = c.client

	col := colly.NewCollector(
		colly.UserAgent(opts.UserAgent),
		colly.MaxBodySize(opts.MaxBodyBytes),
		colly.ParseHTTPErrorResponse(),
		// Our own frontier de-duplicates on normalised URLs before a fetch
		// (colly's visited check is not atomic and turns a redirect to a
		// visited page into an error), and robots.txt is applied by
		// c.robots for pages and link checks alike.
		colly.AllowURLRevisit(),
		colly.IgnoreRobotsTxt(),
	)
	col.SetClient(c.client)
	// The one decoding path is charset.Decode. colly converts a body itself
	// when the Content-Type header names a charset, and the page would then
	// be decoded twice (GBK declared in the header came out as mojibake). So
	// the header's charset is taken away before colly reads the body and
	// kept in the request context for Decode.
	col.OnResponseHeaders(func(r *colly.Response) {
		ct := r.Headers.Get("Content-Type")
		r.Ctx.Put("content-type", ct)
		// Keep the media type only, even of a malformed header
		// (text/html;;charset=gbk, text/html,charset=gbk) that
		// mime.ParseMediaType refuses but colly would still decode.
		mt, _, _ := strings.Cut(ct, ";")
		mt, _, _ = strings.Cut(mt, ",")
		r.Headers.Set("Content-Type", strings.TrimSpace(mt))
	})
	col.OnResponse(func(r *colly.Response) { r.Ctx.Put("response", r) })
	col.OnError(func(r *colly.Response, err error) { r.Ctx.Put("error", err) })
	c.collector = col
	return c
}

// counting counts the requests that go out, retries included.
type counting struct {
	next http.RoundTripper
	c    *Crawler
}

func (t *counting) RoundTrip(req *http.Request) (*http.Response, error) {
	t.c.requests.Add(1)
	resp, err := t.next.RoundTrip(req)
	if t.c.certs != nil {
		t.c.certs.seen(req.URL) // the first URL of a host whose certificate is bad
	}
	return resp, err
}

// checkRedirect follows a redirect unless it loops, or leads from a host
// outside the site into this machine or the intranet (loopback,
// link-local, private addresses): a linked page must not make the checker
// probe 169.254.169.254 or a neighbour's admin page. The site's own hosts
// may live on the intranet.
func (c *Crawler) checkRedirect(req *http.Request, via []*http.Request) error {
	// A page's validators are its own: the page it now redirects to must
	// answer in full (a 304 of the home page is no news of this page).
	req.Header.Del("If-None-Match")
	req.Header.Del("If-Modified-Since")
	if len(via) > 0 && !c.hosts[hostOf(via[0].URL)] && !c.hosts[hostOf(req.URL)] && !internalHost(via[0].URL.Hostname()) && internalHost(req.URL.Hostname()) {
		return fmt.Errorf("%w: %s", errIntranetRedirect, req.URL.Host)
	}
	return checkRedirect(req, via)
}

// internalHost is a host name or address of this machine or a private
// network.
func internalHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified())
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errTooManyRedirects
	}
	// A loop is the exact same address coming back. /x/ → /x/index.html is
	// the commonest redirect on government sites, not a loop, although the
	// frontier folds the two together.
	key := exactKey(req.URL)
	repeats := 0
	for _, v := range via {
		if exactKey(v.URL) == key {
			repeats++
		}
	}
	// A server that sets a cookie and sends the browser back to the same
	// address (a WAF's or a session's handshake) is answered once more.
	if repeats == 0 || repeats == 1 && req.Response != nil && len(req.Response.Header.Values("Set-Cookie")) > 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", errRedirectLoop, req.URL)
}

// exactKey is a URL as a server sees it: without the fragment, with the
// host's case and default port folded.
func exactKey(u *url.URL) string {
	n := *u
	n.Fragment, n.RawFragment = "", ""
	n.Scheme = strings.ToLower(n.Scheme)
	n.Host = hostOf(u)
	if n.Path == "" {
		n.Path = "/"
	}
	return n.String()
}

// Progress returns a snapshot; safe to call while Run works.
func (c *Crawler) Progress() Progress {
	c.mu.Lock()
	queued := len(c.queue) + c.inflight
	c.mu.Unlock()
	return Progress{
		Pages:   int(c.pagesDone.Load()),
		Queued:  queued,
		Links:   int(c.linksDone.Load()),
		Elapsed: time.Since(c.started),
	}
}

// Run crawls the site from start. onPage, when not nil, is called for every
// fetched page from several goroutines at once. Run returns an error only
// when the crawl could not start (a bad start URL); a start page that cannot
// be fetched is a result, not an error. Cancelling ctx stops the crawl: the
// result is then marked Interrupted and not Complete.
func (c *Crawler) Run(ctx context.Context, start string, onPage func(*Page)) (*Result, error) {
	su, err := url.Parse(strings.TrimSpace(start))
	if err != nil || (su.Scheme != "http" && su.Scheme != "https") || su.Host == "" {
		return nil, fmt.Errorf("crawler: start URL %q is not an absolute http(s) URL", start)
	}
	c.hosts = map[string]bool{hostOf(su): true}
	for _, h := range c.opts.AllowedHosts {
		c.hosts[strings.ToLower(strings.TrimSpace(h))] = true
	}
	c.collector.Context = ctx

	c.mu.Lock()
	c.homeKey = Normalize(su)
	c.home = c.discoverLocked(ctx, su, extract.Page, 0)
	for _, sd := range c.opts.Seeds {
		u, err := url.Parse(sd.URL)
		if err != nil || u.Host == "" {
			continue
		}
		if sd.URL == exactKey(u) && sd.URL != Normalize(u) {
			// A page known by its exact address (/x/index.html that /x/
			// sends browsers to by script) is visited as itself.
			c.discoverKeyLocked(ctx, sd.URL, true, u, sd.Kind, sd.Depth)
			continue
		}
		c.discoverLocked(ctx, u, sd.Kind, sd.Depth)
	}
	c.mu.Unlock()
	if c.targets[c.home].Status.Problem == RobotsBlocked {
		c.stats.Notes = append(c.stats.Notes, "robots.txt 禁止抓取首页，未抓取任何页面")
	}

	c.work(ctx, onPage)
	if ctx.Err() == nil {
		c.recheck(ctx, onPage)
	}

	res := &Result{Start: c.home, Targets: c.targets, Edges: c.edges, Pages: c.pages, BadLinks: c.badLinks, Aliases: c.preferred(), Stats: c.stats,
		Certificates: c.certificates()}
	res.Interrupted = ctx.Err() != nil
	res.Complete = !res.Interrupted && c.stats.PagesCapped == 0 && c.targets[c.home].Status.Problem == NoProblem && c.offsiteHome == ""
	if c.offsiteHome != "" {
		res.Stats.Notes = append(res.Stats.Notes, "首页跳转到其他域名 "+c.offsiteHome+"，未复查关闭任何问题；如该域名属于本网站，请加入 allowed_hosts")
	}
	for p := range c.trapPaths {
		res.Stats.TrapPaths = append(res.Stats.TrapPaths, p)
	}
	slices.Sort(res.Stats.TrapPaths)
	res.Stats.Pages = int(c.pagesDone.Load())
	res.Stats.Links = int(c.linksDone.Load())
	res.Stats.Requests = c.requests.Load()
	res.Stats.Bytes = c.bytes.Load()
	res.Stats.Attachments = int(c.attachments.Load())
	res.Stats.AttachBytes = c.attachBytes.Load()
	res.Stats.Elapsed = time.Since(c.started)
	// The result owns what the crawl learnt. Idle keep-alive connections
	// would keep the crawler, and all it indexed, alive for their timeout.
	for _, t := range c.transports {
		t.CloseIdleConnections()
	}
	c.mu.Lock()
	c.targets, c.pages, c.edges, c.badLinks, c.ids, c.hashes, c.aliases, c.canonical, c.variants = nil, nil, Edges{}, nil, nil, nil, nil, nil, nil
	c.mu.Unlock()
	for _, h := range slices.Sorted(maps.Keys(c.hosts)) {
		c.robots.mu.Lock()
		e := c.robots.hosts[h]
		c.robots.mu.Unlock()
		if e != nil && e.note != "" {
			res.Stats.Notes = append(res.Stats.Notes, h+": "+e.note)
		}
	}
	return res, nil
}

// certificates are the certificate problems seen, each with the targets on
// its host (as linked, or after redirects).
func (c *Crawler) certificates() []CertProblem {
	out := c.certs.problems()
	if len(out) == 0 {
		return nil
	}
	at := map[string]int{}
	for i, p := range out {
		at[p.Host] = i
	}
	for id, t := range c.targets {
		var keys []string
		for _, raw := range []string{t.FetchURL, t.Status.Final} {
			if u, err := url.Parse(raw); raw != "" && err == nil {
				keys = append(keys, certKeyOf(u))
			}
		}
		for _, k := range slices.Compact(keys) {
			if i, ok := at[k]; ok && k != "" {
				out[i].Targets = append(out[i].Targets, int32(id))
			}
		}
	}
	return out
}

// Certificates are the hosts whose certificate a browser would refuse, seen
// so far by this crawler's requests (a crawl, or CheckURL on its own).
func (c *Crawler) Certificates() []CertProblem { return c.certs.problems() }

// certReason is the certificate problem behind a fetch of rawURL that ended
// at final (nil when it did not get an answer), if any.
func (c *Crawler) certReason(rawURL string, final *url.URL) CertReason {
	if u, err := url.Parse(rawURL); err == nil {
		if r := c.certs.reason(u); r != "" {
			return r
		}
	}
	return c.certs.reason(final)
}

// work runs the workers until the queue is empty and nothing is in flight,
// or ctx is cancelled.
func (c *Crawler) work(ctx context.Context, onPage func(*Page)) {
	stop := context.AfterFunc(ctx, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer stop()
	var wg sync.WaitGroup
	for range c.opts.Workers {
		wg.Go(func() {
			for {
				c.mu.Lock()
				for len(c.queue) == 0 && c.inflight > 0 && ctx.Err() == nil {
					c.cond.Wait()
				}
				if len(c.queue) == 0 || ctx.Err() != nil {
					c.cond.Broadcast()
					c.mu.Unlock()
					return
				}
				j := c.queue[0]
				c.queue = c.queue[1:]
				c.inflight++
				c.mu.Unlock()

				if j.kind == crawlJob {
					c.crawl(ctx, j, onPage)
				} else {
					c.check(ctx, j)
				}

				c.mu.Lock()
				c.inflight--
				c.cond.Broadcast()
				c.mu.Unlock()
			}
		})
	}
	wg.Wait()
	c.mu.Lock()
	for _, j := range c.queue { // left when interrupted
		c.targets[j.id].Status = LinkStatus{Problem: Unfinished}
	}
	c.queue = nil
	c.mu.Unlock()
}

// recheck fetches transient failures once more after a pause: a server that
// was briefly down is not reported as a dead link.
func (c *Crawler) recheck(ctx context.Context, onPage func(*Page)) {
	c.mu.Lock()
	for i, t := range c.targets {
		if t.Status.transientStatus() {
			kind := checkJob
			if t.Internal && t.Kind == extract.Page {
				kind = crawlJob
			}
			c.queue = append(c.queue, job{id: int32(i), kind: kind})
		}
	}
	n := len(c.queue)
	c.stats.Rechecked = n
	c.mu.Unlock()
	if n == 0 {
		return
	}
	select {
	case <-time.After(c.opts.RecheckAfter):
	case <-ctx.Done():
		c.mu.Lock()
		c.queue = nil
		c.mu.Unlock()
		return
	}
	c.linksDone.Add(-int64(n))
	c.work(ctx, onPage)
}

// discoverLocked registers a link target and schedules it. It returns the
// target's index. c.mu must be held.
func (c *Crawler) discoverLocked(ctx context.Context, u *url.URL, kind extract.LinkKind, depth int) int32 {
	return c.discoverKeyLocked(ctx, Normalize(u), false, u, kind, depth)
}

// discoverRedirectLocked registers where a page sends the browser by script
// or <meta> refresh. / that redirects to /index.shtml names a page of its
// own, although the frontier folds the two addresses together: it is
// registered under its exact address.
func (c *Crawler) discoverRedirectLocked(ctx context.Context, from int32, u *url.URL, depth int) int32 {
	if Normalize(u) == c.targets[from].URL {
		return c.discoverKeyLocked(ctx, exactKey(u), true, u, extract.Page, depth)
	}
	return c.discoverLocked(ctx, u, extract.Page, depth)
}

func (c *Crawler) discoverKeyLocked(ctx context.Context, key string, exact bool, u *url.URL, kind extract.LinkKind, depth int) int32 {
	if id, ok := c.ids[key]; ok {
		return id
	}
	id := int32(len(c.targets))
	c.ids[key] = id
	fetch := u.String()
	if fetch == key {
		fetch = key // one copy of the address when it is already normal
	}
	t := Target{URL: key, FetchURL: fetch, Internal: c.hosts[hostOf(u)], Kind: kind, exact: exact}
	c.targets = append(c.targets, t)
	st := &c.targets[id].Status
	if k, ok := c.known(key); ok && !k.Visit {
		*st = k.Status
		c.targets[id].Carried = true
		c.stats.Carried++
		return id
	}

	if !t.Internal {
		if !c.opts.CheckExternal {
			st.Problem = OffSite
			return id
		}
		c.queue = append(c.queue, job{id: id, kind: checkJob})
		c.cond.Signal()
		return id
	}
	if kind == extract.Page {
		if p, hasQuery := pathKey(key); hasQuery {
			if c.variants[p] >= c.opts.MaxQueryVariants {
				st.Problem = NotChecked
				st.Detail = "query-variant cap"
				c.stats.TrapSkipped++
				c.trapPaths[p] = true
				return id
			}
			c.variants[p]++
		}
		if c.opts.MaxDepth > 0 && depth > c.opts.MaxDepth {
			st.Problem, st.Detail = NotChecked, "max depth"
			c.stats.DepthSkipped++
			return id
		}
		if c.pagesBudget >= c.opts.MaxPages {
			st.Problem, st.Detail = NotChecked, "max pages"
			c.stats.PagesCapped++
			return id
		}
		c.pagesBudget++
	}
	// robots.txt is read outside the lock: it may need a fetch.
	c.mu.Unlock()
	ok := c.robots.allowed(ctx, u)
	c.mu.Lock()
	if !ok {
		c.targets[id].Status.Problem = RobotsBlocked
		c.stats.RobotsSkipped++
		if kind == extract.Page {
			c.pagesBudget--
		}
		return id
	}
	jk := checkJob
	if kind == extract.Page {
		jk = crawlJob
	}
	c.queue = append(c.queue, job{id: id, kind: jk, depth: depth})
	c.cond.Signal()
	return id
}

// known is what the options' Known says of a URL.
func (c *Crawler) known(key string) (Known, bool) {
	if c.opts.Known == nil {
		return Known{}, false
	}
	return c.opts.Known(key)
}

// crawl fetches one page through colly, extracts it and follows its links.
func (c *Crawler) crawl(ctx context.Context, j job, onPage func(*Page)) {
	c.mu.Lock()
	t := c.targets[j.id]
	isHome, homeKey := j.id == c.home, c.homeKey
	c.mu.Unlock()

	prior, hasPrior := c.known(t.URL)
	var hdr http.Header
	if hasPrior && !prior.Reread && (prior.ETag != "" || prior.LastModified != "") {
		hdr = http.Header{}
		if prior.ETag != "" {
			hdr.Set("If-None-Match", prior.ETag)
		}
		if prior.LastModified != "" {
			hdr.Set("If-Modified-Since", prior.LastModified)
		}
	}
	cctx := colly.NewContext()
	err := c.collector.Request(http.MethodGet, t.FetchURL, nil, cctx, hdr)
	resp, _ := cctx.GetAny("response").(*colly.Response)
	if e, ok := cctx.GetAny("error").(error); ok && err == nil {
		err = e
	}
	c.pagesDone.Add(1)
	c.linksDone.Add(1)
	if resp == nil || err != nil {
		if err == nil {
			err = errors.New("crawler: no response")
		}
		if ctx.Err() != nil {
			c.setStatus(j.id, LinkStatus{Problem: Unfinished})
			return
		}
		c.setStatus(j.id, statusOf(0, err))
		return
	}
	c.bytes.Add(int64(len(resp.Body)))
	final := resp.Request.URL
	st := statusOf(resp.StatusCode, nil)
	st.Cert = c.certReason(t.FetchURL, final)
	// alias: the page redirected to a URL the crawl knows under another
	// target; that one is (or will be) extracted, not this one.
	alias := false
	finalKey := Normalize(final)
	if t.exact {
		finalKey = exactKey(final)
	}
	if finalKey != t.URL {
		st.Final = final.String()
		if !isHome && Normalize(final) == homeKey && !isHomeLike(t.URL) {
			st.Problem, st.Suspected = SoftNotFound, true
			st.Detail = "redirected to the home page"
		}
		c.mu.Lock()
		if other, known := c.ids[finalKey]; known {
			alias = other != j.id
		} else {
			c.ids[finalKey] = j.id // later links to the final URL are this target
		}
		c.mu.Unlock()
	}
	ctype := c.intern(resp.Ctx.Get("content-type"))
	rec := PageRecord{
		URL: t.URL, FetchURL: t.FetchURL, Status: resp.StatusCode, ContentType: ctype,
		ETag: resp.Headers.Get("ETag"), LastModified: resp.Headers.Get("Last-Modified"),
		Depth: j.depth, Truncated: len(resp.Body) >= c.opts.MaxBodyBytes,
	}
	sum := sha256.Sum256(resp.Body)
	rec.Hash = hex.EncodeToString(sum[:16])
	if hasPrior && !prior.Reread && st.Final == "" && (resp.StatusCode == http.StatusNotModified || resp.StatusCode < 300 && prior.Hash == rec.Hash && !alias) {
		// What it was: its findings stand, its links were followed before.
		rec.Unchanged, rec.Hash = true, prior.Hash
		rec.Status = prior.Status.Status
		rec.ETag, rec.LastModified = cmp.Or(rec.ETag, prior.ETag), cmp.Or(rec.LastModified, prior.LastModified)
		ps := prior.Status
		ps.Cert = st.Cert // the host's certificate as seen tonight
		c.setStatus(j.id, ps)
		c.mu.Lock()
		c.pages = append(c.pages, rec)
		c.stats.Unchanged++
		c.mu.Unlock()
		return
	}

	var doc *extract.Doc
	if resp.StatusCode < 400 && c.hosts[hostOf(final)] && isHTML(ctype, resp.Body) {
		body, enc := charset.Decode(resp.Body, ctype)
		rec.Encoding = enc
		doc = extract.ParseWith(body, final, c.parseOptions(t.URL, isHome))
		rec.Title = doc.Title
		if st.Problem == NoProblem && !isHome && looksNotFound(doc.Title, doc.Text) {
			st.Problem, st.Suspected = SoftNotFound, true
			st.Detail = "the page says it does not exist"
		}
	}
	c.setStatus(j.id, st)

	c.mu.Lock()
	c.pages = append(c.pages, rec)
	if doc != nil && !alias && st.Problem != SoftNotFound {
		// The same content under another URL (a static page and its
		// dynamic alias) is one page: checked and reported once.
		if cu, err := url.Parse(doc.Canonical); doc.Canonical != "" && err == nil && Normalize(cu) != t.URL {
			c.canonical[t.URL] = Normalize(cu)
		}
		if first, seen := c.hashes[rec.Hash]; seen && first != j.id {
			if other := c.targets[first].URL; sameDocument(doc, t.URL, other, c.canonical) {
				c.aliases[t.URL] = other
				alias = true
			}
		} else if !seen {
			c.hashes[rec.Hash] = j.id
		}
	}
	c.mu.Unlock()
	if doc == nil || alias || st.Problem == SoftNotFound {
		return
	}
	if isHome && c.moveHome(ctx, j, doc) {
		c.follow(ctx, j, doc) // the stub's own links (a <noscript> fallback)
		return
	}
	if onPage != nil {
		onPage(&Page{PageRecord: rec, IsHome: isHome, Doc: doc})
	}
	c.follow(ctx, j, doc)
}

// parseOptions are the extractor's options for the page reported as
// pageURL: its list is read for that URL, whatever it was fetched as, and
// only the home page's list is read when the page is an article.
func (c *Crawler) parseOptions(pageURL string, isHome bool) extract.Options {
	o := extract.Options{Template: c.opts.Template, Now: c.opts.Now, SkipArticleItems: !isHome}
	if u, err := url.Parse(pageURL); err == nil {
		o.ListURL = u
	}
	return o
}

// preferred maps every URL of a page seen under several to the one that
// names it, whatever order the crawl met them in: the URL a member's
// <link rel=canonical> names, else one without a query, else the shortest.
// Issues are keyed by URL, so the choice must not change between scans.
func (c *Crawler) preferred() map[string]string {
	groups := map[string][]string{}
	for alias, first := range c.aliases {
		groups[first] = append(groups[first], alias)
	}
	out := map[string]string{}
	for first, members := range groups {
		members = append(members, first)
		named := map[string]bool{}
		for _, m := range members {
			if cu := c.canonical[m]; cu != "" {
				named[cu] = true
			}
		}
		best := slices.MinFunc(members, func(a, b string) int {
			ka, kb := named[a], named[b]
			if ka != kb {
				if ka {
					return -1
				}
				return 1
			}
			qa, qb := strings.Contains(a, "?"), strings.Contains(b, "?")
			if qa != qb {
				if !qa {
					return -1
				}
				return 1
			}
			if len(a) != len(b) {
				return len(a) - len(b)
			}
			return strings.Compare(a, b)
		})
		for _, m := range members {
			if m != best {
				out[m] = best
			}
		}
	}
	return out
}

// sameDocument reports whether two URLs serving the same bytes are one
// page: an article (a static URL and its content.jsp?id= alias), two
// addresses of one path, or one naming the other canonical. Two columns
// that show the same “暂无信息” page are still two columns.
func sameDocument(doc *extract.Doc, a, b string, canonical map[string]string) bool {
	if doc.IsArticle() || canonical[a] == b || canonical[b] == a {
		return true
	}
	pa, _ := pathKey(a)
	pb, _ := pathKey(b)
	return strings.TrimSuffix(pa, "/") == strings.TrimSuffix(pb, "/")
}

// moveHome makes the target of a home page that only redirects by script
// or <meta> refresh the home page: window.location.href="/index.shtml" is
// how many district portals open. A stub that sends phones one way and
// other browsers another moves to the other; one that leaves the site
// (a bare domain sending browsers to www.…) makes the crawl incomplete, with
// a note. It reports whether the home moved.
func (c *Crawler) moveHome(ctx context.Context, j job, doc *extract.Doc) bool {
	if !isStub(doc) {
		return false
	}
	var targets []*url.URL
	for _, raw := range redirectTargets(doc) {
		if u, err := url.Parse(raw); err == nil && !slices.ContainsFunc(targets, func(v *url.URL) bool { return v.String() == u.String() }) {
			targets = append(targets, u)
		}
	}
	if len(targets) > 1 {
		targets = slices.DeleteFunc(targets, isMobile)
	}
	if len(targets) != 1 {
		return false
	}
	u := targets[0]
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.hosts[hostOf(u)] {
		c.offsiteHome = u.String()
		return false
	}
	to := c.discoverRedirectLocked(ctx, j.id, u, j.depth)
	if to == j.id || c.targets[to].Kind != extract.Page || !c.targets[to].Internal {
		return false
	}
	c.home, c.homeKey = to, Normalize(u)
	c.stats.Notes = append(c.stats.Notes, "首页通过脚本或 <meta> 刷新跳转到 "+u.String()+"，已将其作为首页抓取")
	return true
}

// redirectTargets are where a page sends browsers: its <meta> refresh, else
// its scripts' literal targets.
func redirectTargets(doc *extract.Doc) []string {
	if doc.Redirect != "" {
		return []string{doc.Redirect}
	}
	return doc.ScriptRedirects
}

// isMobile is the address of a site's version for phones.
func isMobile(u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	p := strings.ToLower(u.Path)
	return strings.HasPrefix(host, "m.") || strings.HasPrefix(host, "wap.") || strings.HasPrefix(host, "3g.") ||
		strings.HasPrefix(p, "/m/") || strings.HasPrefix(p, "/wap/") || strings.HasPrefix(p, "/mobile/") || strings.HasPrefix(p, "/h5/")
}

// isStub is a page with next to nothing on it but its redirect.
func isStub(doc *extract.Doc) bool {
	pages := 0
	for _, l := range doc.Links {
		if l.Kind == extract.Page {
			pages++
		}
	}
	return pages <= 5 && utf8.RuneCountInString(doc.Text) < 200
}

// isHomeLike is a URL that may rightly redirect to the home page.
func isHomeLike(key string) bool {
	u, err := url.Parse(key)
	return err == nil && (u.Path == "/" || u.Path == "")
}

func isHTML(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "html") {
		return true
	}
	if ct != "" && !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "application/octet-stream") && !strings.Contains(ct, "xml") {
		return false
	}
	head := strings.ToLower(string(body[:min(len(body), 512)]))
	// A JCMS dataproxy answer is XML records of a list: read as a page.
	return strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html") || strings.Contains(head, "<body") ||
		strings.Contains(head, "<datastore")
}

// follow registers a page's links as edges and schedules new targets.
func (c *Crawler) follow(ctx context.Context, j job, doc *extract.Doc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range doc.BadLinks {
		c.badLinks = append(c.badLinks, BadLink{From: j.id, Raw: b.Raw, Anchor: b.Text, Reason: b.Reason, Boilerplate: b.Boilerplate})
	}
	// A page with nothing on it but a script redirect (互动交流 moving on by
	// location.replace) leads where its script sends browsers; a script on
	// a page with content may only redirect phones, or on a click.
	if len(doc.ScriptRedirects) > 0 && isStub(doc) {
		for _, raw := range doc.ScriptRedirects {
			if u, err := url.Parse(raw); err == nil {
				to := c.discoverRedirectLocked(ctx, j.id, u, j.depth+1)
				c.edges.Add(Edge{From: j.id, To: to, Anchor: "脚本跳转"})
			}
		}
	}
	for _, l := range doc.Links {
		u, err := url.Parse(l.URL)
		if err != nil {
			continue
		}
		var to int32
		if (l.Tag == "script" || l.Tag == "meta") && l.Kind == extract.Page {
			to = c.discoverRedirectLocked(ctx, j.id, u, j.depth+1)
		} else {
			to = c.discoverLocked(ctx, u, l.Kind, j.depth+1)
		}
		c.edges.Add(Edge{From: j.id, To: to, Anchor: l.Text, Boilerplate: l.Boilerplate, Hidden: l.Hidden})
	}
}

// intern is s, one copy for all the pages that say it (their Content-Type:
// a handful of distinct values over a site).
func (c *Crawler) intern(s string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.strs[s]; ok {
		return v
	}
	if c.strs == nil {
		c.strs = map[string]string{}
	}
	if len(c.strs) < 256 {
		c.strs[s] = s
	}
	return s
}

func (c *Crawler) setStatus(id int32, s LinkStatus) {
	c.mu.Lock()
	c.targets[id].Status = s
	c.mu.Unlock()
}

// LoopbackOnly is a dialer that connects to loopback addresses only; any
// other host fails as if its name did not resolve. The demo and the tests use
// it so that a sample site's links can never reach a real website.
func LoopbackOnly(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, &net.DNSError{Err: "no such host (only loopback may be contacted here)", Name: host, IsNotFound: true}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}
