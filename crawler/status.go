package crawler

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// Problem names why a link does not work. The checks turn it into a Chinese
// message; the values are stable (stored with issues).
type Problem string

const (
	NoProblem        Problem = ""
	HTTPError        Problem = "http_status"   // answered with a 4xx/5xx status
	Timeout          Problem = "timeout"       // no complete answer within the timeout
	ConnReset        Problem = "reset"         // the connection was reset
	ConnRefused      Problem = "refused"       // nothing listens on the port
	DNSFailure       Problem = "dns"           // the host name does not resolve
	RedirectLoop     Problem = "redirect_loop" // redirects come back to a URL already visited
	TooManyRedirects Problem = "redirects"     // more than 10 redirects
	TLSFailure       Problem = "tls"           // the TLS handshake failed (a bad certificate alone is no failure)
	SoftNotFound     Problem = "soft404"       // 200, but the page says it does not exist
	OtherFailure     Problem = "error"         // anything else, see Detail
	RobotsBlocked    Problem = "robots"        // not fetched: robots.txt disallows it
	NotChecked       Problem = "not_checked"   // not fetched: budget, depth or trap cap
	OffSite          Problem = "off_site"      // not fetched: external links are not checked
	BadURL           Problem = "bad_url"       // the link is not a valid URL
	BadResponse      Problem = "bad_response"  // the server's answer is not HTTP
	IntranetRedirect Problem = "intranet"      // an outside link redirected into this machine or the intranet: not followed
	Unfinished       Problem = "unfinished"    // the scan stopped before it was fetched
)

// LinkStatus is what fetching one link target found.
type LinkStatus struct {
	Status  int     // HTTP status of the final answer, 0 when there was none
	Problem Problem // NoProblem when the link works
	Detail  string  // the underlying error, for the log and the evidence
	Final   string  // the URL after redirects, when it differs
	// Suspected marks findings that need a human look (疑似): soft 404s and
	// failures that may be transient (timeouts, resets, 5xx) even after a
	// re-check.
	Suspected bool
	// Cert is the certificate problem of the link's host (or of where it
	// redirects), when a browser would refuse its certificate. The link
	// still works: this alone does not make it broken.
	Cert CertReason
}

// Broken reports whether the link counts as dead.
func (s LinkStatus) Broken() bool {
	switch s.Problem {
	case NoProblem, RobotsBlocked, NotChecked, OffSite, Unfinished:
		return false
	}
	return true
}

// transientStatus reports failures worth re-checking later in the scan.
func (s LinkStatus) transientStatus() bool {
	switch s.Problem {
	case Timeout, ConnReset, ConnRefused:
		return true
	case HTTPError:
		return s.Status >= 500 || s.Status == http.StatusTooManyRequests
	}
	return false
}

var (
	errRedirectLoop     = errors.New("crawler: redirect loop")
	errIntranetRedirect = errors.New("crawler: redirect into the intranet refused")
	errTooManyRedirects = errors.New("crawler: more than 10 redirects")
)

// statusOf classifies a fetch: either a transport error or an HTTP status.
func statusOf(code int, err error) LinkStatus {
	if err != nil {
		s := LinkStatus{Problem: classify(err), Detail: err.Error()}
		s.Suspected = s.transientStatus()
		return s
	}
	if code >= 400 {
		s := LinkStatus{Status: code, Problem: HTTPError, Detail: fmt.Sprintf("HTTP %d", code)}
		s.Suspected = s.transientStatus()
		return s
	}
	return LinkStatus{Status: code}
}

func classify(err error) Problem {
	var dnsErr *net.DNSError
	var hsErr *handshakeError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var ne net.Error
	switch {
	case errors.Is(err, errRedirectLoop):
		return RedirectLoop
	case errors.Is(err, errIntranetRedirect):
		return IntranetRedirect
	case errors.Is(err, errTooManyRedirects):
		return TooManyRedirects
	case errors.As(err, &dnsErr):
		return DNSFailure
	case errors.As(err, &hsErr):
		return TLSFailure
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr),
		strings.Contains(err.Error(), "tls: "):
		return TLSFailure
	case errors.As(err, &ne) && ne.Timeout():
		return Timeout
	case errors.Is(err, syscall.ECONNREFUSED):
		return ConnRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), strings.Contains(err.Error(), "EOF"):
		return ConnReset
	}
	msg := err.Error()
	for _, s := range []string{"in address", "invalid port", "invalid URL", "unsupported protocol scheme", "missing address", "no Host in request URL", "invalid character"} {
		if strings.Contains(msg, s) {
			return BadURL
		}
	}
	if strings.Contains(msg, "malformed HTTP") || strings.Contains(msg, "server gave HTTP response to HTTPS client") {
		return BadResponse
	}
	return OtherFailure
}

// softNotFoundPhrases are what government CMS error pages say while
// answering 200 OK.
var softNotFoundPhrases = []string{
	"页面不存在", "页面未找到", "找不到页面", "找不到该页面", "您访问的页面不存在", "已被删除", "信息不存在",
	"文章不存在", "内容不存在", "页面已删除", "无法找到该页", "404 not found", "page not found",
	"the page you requested", "页面走丢了",
}

// looksNotFound reports a page that answered 200 but is an error page: titled
// as one with little text, or with almost nothing but such a phrase (error
// pages say one line). A news brief that reports something "已被删除" is not
// one.
func looksNotFound(title, text string) bool {
	n := len([]rune(text))
	if n > 400 {
		return false
	}
	t := strings.ToLower(title)
	if strings.Contains(t, "404") || strings.Contains(t, "not found") || strings.Contains(t, "页面不存在") || strings.Contains(t, "错误页") {
		return true
	}
	if n > 50 {
		return false
	}
	lower := strings.ToLower(text)
	for _, p := range softNotFoundPhrases {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}
