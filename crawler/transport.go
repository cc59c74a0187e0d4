package crawler

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// The HTTP stack is a column of small decorators, stacked in one place
// (crawler.New, in crawl.go): retry → throttle → per-attempt timeout →
// http.Transport.
// Page fetches (through colly) and link checks share it, so one host never
// sees more than the configured connections, however a URL is reached.

// throttle limits each host to a number of requests in flight and spaces the
// starts of its requests by a delay. A slot is held until the body is closed.
type throttle struct {
	next        http.RoundTripper
	concurrency int

	mu    sync.Mutex
	hosts map[string]*gate
	delay func(host string) time.Duration
}

type gate struct {
	slots chan struct{}
	mu    sync.Mutex
	next  time.Time
}

func (t *throttle) gate(host string) *gate {
	t.mu.Lock()
	defer t.mu.Unlock()
	g := t.hosts[host]
	if g == nil {
		g = &gate{slots: make(chan struct{}, t.concurrency)}
		t.hosts[host] = g
	}
	return g
}

func (t *throttle) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	g := t.gate(req.URL.Host)
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := sync.OnceFunc(func() { <-g.slots })
	if d := t.delay(req.URL.Host); d > 0 {
		g.mu.Lock()
		start := g.next
		if now := time.Now(); now.After(start) {
			start = now
		}
		g.next = start.Add(d)
		g.mu.Unlock()
		if wait := time.Until(start); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				release()
				return nil, ctx.Err()
			}
		}
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &onClose{ReadCloser: resp.Body, fn: release}
	return resp, nil
}

// attemptTimeout bounds one attempt, body included: a server that answers
// headers and then hangs is cut off too.
type attemptTimeout struct {
	next    http.RoundTripper
	timeout time.Duration
}

func (t *attemptTimeout) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeoutCause(req.Context(), t.timeout, errAttemptTimeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		if context.Cause(ctx) == errAttemptTimeout {
			return nil, errAttemptTimeout
		}
		return nil, err
	}
	resp.Body = &onClose{ReadCloser: resp.Body, fn: sync.OnceFunc(cancel), ctx: ctx}
	return resp, nil
}

var errAttemptTimeout = &timeoutError{}

type timeoutError struct{}

func (*timeoutError) Error() string   { return "crawler: request timed out" }
func (*timeoutError) Timeout() bool   { return true }
func (*timeoutError) Temporary() bool { return true }

// onClose runs fn once when the body is closed; a read that fails because
// the attempt's deadline passed reports a timeout.
type onClose struct {
	io.ReadCloser
	fn  func()
	ctx context.Context
}

func (b *onClose) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF && b.ctx != nil && context.Cause(b.ctx) == errAttemptTimeout {
		err = errAttemptTimeout
	}
	return n, err
}

func (b *onClose) Close() error {
	err := b.ReadCloser.Close()
	b.fn()
	return err
}

// retry repeats a request that timed out, whose connection was reset, or
// that was answered 429 (Too Many Requests, honouring Retry-After up to a
// bound). Nothing else is retried: a 404 is an answer.
type retry struct {
	next     http.RoundTripper
	attempts int           // retries after the first try
	wait     time.Duration // first back-off; doubles each time
	maxWait  time.Duration // cap on any single wait, Retry-After included
}

func (r *retry) RoundTrip(req *http.Request) (*http.Response, error) {
	wait := r.wait
	for attempt := 0; ; attempt++ {
		resp, err := r.next.RoundTrip(req)
		if attempt >= r.attempts || req.Context().Err() != nil {
			return resp, err
		}
		switch {
		case err != nil && transient(err):
		case err == nil && resp.StatusCode == http.StatusTooManyRequests:
			if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s >= 0 {
				wait = time.Duration(s) * time.Second
			} else if t, perr := http.ParseTime(resp.Header.Get("Retry-After")); perr == nil {
				wait = time.Until(t)
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
		default:
			return resp, err
		}
		wait = min(max(wait, 0), r.maxWait)
		select {
		case <-time.After(wait):
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
		wait *= 2
	}
}

// transient reports network failures worth another try.
func transient(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.EPIPE)
}
