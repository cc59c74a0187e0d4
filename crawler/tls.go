package crawler

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Certificates are judged the way a browser judges them, by the crawler
// itself (crypto/tls only hands over what the server sent): the chain is
// verified against the roots with the intermediates the server sent, and
// when an intermediate is missing but the certificate names it by AIA
// (caIssuers), it is fetched and the chain verified again, as browsers do.
// A certificate a browser would refuse (expired, for another host,
// untrusted) does not stop the request: the link works, and the problem is
// kept per host for a finding of its own. A handshake that fails outright
// (no common protocol or cipher, the connection reset) is a dead link.

// CertReason says why a browser would refuse a certificate. The values are
// stable (stored with findings).
type CertReason string

const (
	CertUntrusted   CertReason = "untrusted"     // no chain to a trusted root: a private CA, or an intermediate missing and not fetchable
	CertSelfSigned  CertReason = "self_signed"   // the certificate signs itself
	CertHostname    CertReason = "host_mismatch" // issued for other host names
	CertExpired     CertReason = "expired"       // past its NotAfter (or an intermediate's)
	CertNotYetValid CertReason = "not_yet_valid" // before its NotBefore
	CertInvalid     CertReason = "invalid"       // anything else: usage, signature algorithm, constraints
)

// Label is the reason in Chinese, as staff read it.
func (r CertReason) Label() string {
	switch r {
	case CertUntrusted:
		return "证书颁发机构不受信任（自签名或缺少中间证书）"
	case CertSelfSigned:
		return "证书为自签名证书，浏览器不信任"
	case CertHostname:
		return "证书域名不匹配"
	case CertExpired:
		return "证书已过期"
	case CertNotYetValid:
		return "证书尚未生效"
	case CertInvalid:
		return "证书无效（用途、签名算法或约束不符合要求）"
	}
	return "证书存在问题"
}

// CertProblem is a host whose certificate a browser would refuse.
type CertProblem struct {
	Host      string       // as in URLs: host, or host:port when the port is not 443
	URL       string       // the first URL fetched from the host
	Reason    CertReason   // the first of Reasons: what a browser would say
	Reasons   []CertReason // every problem found
	Subject   string       // the certificate's common name, else its first DNS name
	Issuer    string       // the issuer's common name
	Names     []string     // the host names and addresses it is valid for
	NotBefore time.Time
	NotAfter  time.Time
	Detail    string  // the verifier's error, for the log
	Targets   []int32 // in a Result: the link targets on the host (indexes into Result.Targets)
}

// handshakeError is a TLS handshake that failed outright: a dead link.
type handshakeError struct{ err error }

func (e *handshakeError) Error() string { return "tls handshake: " + e.err.Error() }
func (e *handshakeError) Unwrap() error { return e.err }

// certKey is the host of an https address as certificates are kept:
// host:port, the port left out when it is 443.
func certKey(host, port string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if port == "" || port == "443" {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, port)
}

func certKeyOf(u *url.URL) string {
	if u == nil || !strings.EqualFold(u.Scheme, "https") {
		return ""
	}
	return certKey(u.Hostname(), u.Port())
}

// verifier checks server certificates and keeps the problems per host.
type verifier struct {
	roots   *x509.CertPool // nil: the system's
	timeout time.Duration  // one handshake
	aia     *aiaCache
	now     func() time.Time

	mu    sync.Mutex
	hosts map[string]*CertProblem
}

func newVerifier(roots *x509.CertPool, timeout time.Duration, aia *aiaCache) *verifier {
	return &verifier{roots: roots, timeout: timeout, aia: aia, now: time.Now, hosts: map[string]*CertProblem{}}
}

// dialTLS is the transport's DialTLSContext: it connects with dial and
// shakes hands, the certificate verified by the crawler.
func (v *verifier) dialTLS(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		hctx, cancel := context.WithTimeout(ctx, v.timeout)
		defer cancel()
		tc := tls.Client(conn, v.config(hctx, host, certKey(host, port)))
		if err := tc.HandshakeContext(hctx); err != nil {
			conn.Close()
			if hctx.Err() != nil {
				return nil, err // a timeout or a cancelled request, not the server's TLS
			}
			return nil, &handshakeError{err}
		}
		return tc, nil
	}
}

// config is the client configuration for one connection to host (name or
// address), kept under key.
func (v *verifier) config(ctx context.Context, host, key string) *tls.Config {
	return &tls.Config{
		ServerName:         host,
		InsecureSkipVerify: true, // the verification is VerifyConnection's: a bad certificate is a finding, not a failure
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("crawler: the server sent no certificate")
			}
			if p := v.check(ctx, host, cs.PeerCertificates); p != nil {
				v.record(key, p)
			}
			return nil
		},
	}
}

// proxyConfig verifies the connections the transport makes itself, through
// an HTTP proxy: the host is the server name the transport sets (none for
// an address, whose name is then not checked).
func (v *verifier) proxyConfig() *tls.Config {
	return &tls.Config{
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("crawler: the server sent no certificate")
			}
			ctx, cancel := context.WithTimeout(context.Background(), v.timeout)
			defer cancel()
			if p := v.check(ctx, cs.ServerName, cs.PeerCertificates); p != nil && cs.ServerName != "" {
				v.record(certKey(cs.ServerName, ""), p)
			}
			return nil
		},
	}
}

func (v *verifier) record(key string, p *CertProblem) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.hosts[key] == nil {
		p.Host = key
		v.hosts[key] = p
	}
}

// seen notes the first URL fetched from a host with a certificate problem.
func (v *verifier) seen(u *url.URL) {
	key := certKeyOf(u)
	if key == "" || u.Path == "/robots.txt" { // read first on every host, not a link
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if p := v.hosts[key]; p != nil && p.URL == "" {
		p.URL = u.String()
	}
}

// reason is the certificate problem of u's host, if any.
func (v *verifier) reason(u *url.URL) CertReason {
	key := certKeyOf(u)
	if key == "" {
		return ""
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if p := v.hosts[key]; p != nil {
		return p.Reason
	}
	return ""
}

// problems are the hosts with a certificate problem, by host.
func (v *verifier) problems() []CertProblem {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]CertProblem, 0, len(v.hosts))
	for _, k := range slices.Sorted(maps.Keys(v.hosts)) {
		p := *v.hosts[k]
		p.Reasons = slices.Clone(p.Reasons)
		p.Names = slices.Clone(p.Names)
		out = append(out, p)
	}
	return out
}

// check verifies the certificates a server sent for host as a browser
// would, and returns what a browser would refuse, or nil.
func (v *verifier) check(ctx context.Context, host string, certs []*x509.Certificate) *CertProblem {
	leaf := certs[0]
	now := v.now()
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{Roots: v.roots, Intermediates: inter, CurrentTime: now, DNSName: host}
	_, err := leaf.Verify(opts)
	if err == nil {
		return nil
	}

	// The chain on its own, at a time the leaf is valid: is there a path to
	// a root, if need be with the intermediates the leaf names by AIA?
	chain := opts
	chain.DNSName = ""
	chain.CurrentTime = now
	if now.After(leaf.NotAfter) {
		chain.CurrentTime = leaf.NotAfter
	} else if now.Before(leaf.NotBefore) {
		chain.CurrentTime = leaf.NotBefore
	}
	_, chainErr := leaf.Verify(chain)
	var unknown x509.UnknownAuthorityError
	if errors.As(chainErr, &unknown) && len(leaf.IssuingCertificateURL) > 0 {
		chainErr = v.completeChain(ctx, leaf, inter, chain)
		if chainErr == nil {
			if _, err = leaf.Verify(opts); err == nil {
				return nil // what a browser accepts: an intermediate fetched by AIA
			}
		}
	}

	p := &CertProblem{Subject: leaf.Subject.CommonName, Issuer: leaf.Issuer.CommonName,
		NotBefore: leaf.NotBefore, NotAfter: leaf.NotAfter, Detail: err.Error()}
	p.Names = slices.Clone(leaf.DNSNames)
	for _, ip := range leaf.IPAddresses {
		p.Names = append(p.Names, ip.String())
	}
	if p.Subject == "" && len(p.Names) > 0 {
		p.Subject = p.Names[0]
	}
	if chainErr != nil {
		p.Reasons = append(p.Reasons, chainReason(leaf, chainErr))
		p.Detail = chainErr.Error()
	}
	if host != "" && leaf.VerifyHostname(host) != nil {
		p.Reasons = append(p.Reasons, CertHostname)
	}
	switch {
	case now.After(leaf.NotAfter):
		p.Reasons = append(p.Reasons, CertExpired)
	case now.Before(leaf.NotBefore):
		p.Reasons = append(p.Reasons, CertNotYetValid)
	}
	if len(p.Reasons) == 0 { // the chain is fine at another time: an intermediate expired
		p.Reasons = append(p.Reasons, chainReason(leaf, err))
	}
	p.Reasons = slices.Compact(p.Reasons)
	p.Reason = p.Reasons[0]
	return p
}

// chainReason names why a chain does not verify.
func chainReason(leaf *x509.Certificate, err error) CertReason {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostErr x509.HostnameError
	var sys x509.SystemRootsError
	switch {
	case errors.As(err, &unknown), errors.As(err, &sys):
		if bytes.Equal(leaf.RawIssuer, leaf.RawSubject) && leaf.CheckSignatureFrom(leaf) == nil {
			return CertSelfSigned
		}
		return CertUntrusted
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return CertExpired
	case errors.As(err, &hostErr):
		return CertHostname
	}
	return CertInvalid
}

// maxAIAHops bounds the intermediates fetched for one chain.
const maxAIAHops = 3

// completeChain fetches the intermediates the certificates name by AIA,
// adds them to inter and verifies again, a few levels up at most.
func (v *verifier) completeChain(ctx context.Context, leaf *x509.Certificate, inter *x509.CertPool, opts x509.VerifyOptions) error {
	var err error
	frontier := []*x509.Certificate{leaf}
	for hop := 0; hop < maxAIAHops && len(frontier) > 0; hop++ {
		var next []*x509.Certificate
		for _, c := range frontier {
			for _, u := range c.IssuingCertificateURL[:min(len(c.IssuingCertificateURL), 2)] {
				got, ferr := v.aia.get(ctx, u)
				if ferr != nil {
					continue
				}
				for _, g := range got {
					inter.AddCert(g)
					next = append(next, g)
				}
			}
		}
		_, err = leaf.Verify(opts)
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &unknown) {
			return err
		}
		frontier = next
	}
	return err
}

// maxAIABytes bounds one AIA answer: a certificate is a few KB, a PKCS #7
// bundle of several some tens.
const maxAIABytes = 1 << 20

// aiaCache fetches the intermediates named by AIA, each URL once per crawl.
type aiaCache struct {
	client    *http.Client
	userAgent string

	mu      sync.Mutex
	entries map[string]*aiaEntry
}

type aiaEntry struct {
	done  chan struct{}
	certs []*x509.Certificate
	err   error
}

func (a *aiaCache) get(ctx context.Context, rawURL string) ([]*x509.Certificate, error) {
	a.mu.Lock()
	e := a.entries[rawURL]
	if e == nil {
		e = &aiaEntry{done: make(chan struct{})}
		a.entries[rawURL] = e
		a.mu.Unlock()
		// Fetched for every handshake waiting on it, whichever gives up.
		e.certs, e.err = a.fetch(context.WithoutCancel(ctx), rawURL)
		close(e.done)
	} else {
		a.mu.Unlock()
	}
	select {
	case <-e.done:
		return e.certs, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (a *aiaCache) fetch(ctx context.Context, rawURL string) ([]*x509.Certificate, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" { // as browsers: https would need a certificate to check a certificate
		return nil, fmt.Errorf("crawler: AIA address %q is not http", rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	if a.userAgent != "" {
		req.Header.Set("User-Agent", a.userAgent)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("crawler: AIA %s: HTTP %d", rawURL, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAIABytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxAIABytes {
		return nil, fmt.Errorf("crawler: AIA %s: more than %d bytes", rawURL, maxAIABytes)
	}
	return parseIssuers(data)
}

// parseIssuers reads what an AIA address serves: a DER certificate (the
// rule), PEM, or a PKCS #7 certs-only bundle (.p7c).
func parseIssuers(data []byte) ([]*x509.Certificate, error) {
	if bytes.Contains(data[:min(len(data), 64)], []byte("-----BEGIN")) {
		var out []*x509.Certificate
		for rest := data; ; {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if b.Type == "CERTIFICATE" {
				if c, err := x509.ParseCertificate(b.Bytes); err == nil {
					out = append(out, c)
				}
			}
		}
		if len(out) == 0 {
			return nil, errors.New("crawler: no certificate in the PEM answer")
		}
		return out, nil
	}
	if c, err := x509.ParseCertificate(data); err == nil {
		return []*x509.Certificate{c}, nil
	}
	return parsePKCS7(data)
}

// parsePKCS7 reads the certificates of a PKCS #7 SignedData (RFC 2315).
func parsePKCS7(data []byte) ([]*x509.Certificate, error) {
	var ci struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
	}
	if _, err := asn1.Unmarshal(data, &ci); err != nil || !ci.ContentType.Equal(oidSignedData) {
		return nil, errors.New("crawler: the AIA answer is no certificate")
	}
	var sd struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		ContentInfo      asn1.RawValue
		Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	}
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("crawler: PKCS #7: %w", err)
	}
	certs, err := x509.ParseCertificates(sd.Certificates.Bytes)
	if err != nil || len(certs) == 0 {
		return nil, errors.New("crawler: PKCS #7 without certificates")
	}
	return certs, nil
}

var oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
