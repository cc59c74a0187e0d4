package crawler

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xunjian/xunjian/crawler/certtest"
)

// tlsWorld is a root, an intermediate under it, an HTTP server that serves
// the intermediate for AIA (counting its fetches), and HTTPS servers whose
// certificates are good, fetchable-incomplete, incomplete, expired, for
// another host, self-signed, or that reset the handshake.
type tlsWorld struct {
	root, inter *certtest.CA
	aiaHits     atomic.Int64
	handshakes  atomic.Int64 // new connections to the AIA-completed server
	aia         *httptest.Server

	full, viaAIA, noAIA, expired, wrongHost, selfSigned, reset string
}

func newTLSWorld(t *testing.T) *tlsWorld {
	t.Helper()
	w := &tlsWorld{root: certtest.NewRoot(t, "Test Root CA")}
	w.inter = w.root.Intermediate(t, "Test Intermediate CA")
	w.aia = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/inter.crt" {
			http.NotFound(rw, r)
			return
		}
		w.aiaHits.Add(1)
		if ua := r.UserAgent(); !strings.HasPrefix(ua, "xunjian-test/") {
			t.Errorf("AIA fetched as %q", ua)
		}
		rw.Header().Set("Content-Type", "application/pkix-cert")
		rw.Write(w.inter.Cert.Raw)
	}))
	t.Cleanup(w.aia.Close)

	page := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(rw, "<html><head><title>外部页面</title></head><body><p>这是一个正常的外部页面，内容足够长。</p></body></html>")
	})
	serve := func(l certtest.Leaf) string { return certtest.ServeTLS(t, w.inter.Issue(t, l), page).URL }
	w.full = serve(certtest.Leaf{Chain: true})
	// Every answer closes its connection: each request shakes hands anew,
	// and the AIA fetch must still happen once.
	closing := certtest.ServeTLS(t, w.inter.Issue(t, certtest.Leaf{AIA: []string{w.aia.URL + "/inter.crt"}}),
		http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Connection", "close")
			page(rw, r)
		}), func(s *http.Server) {
			s.ConnState = func(_ net.Conn, st http.ConnState) {
				if st == http.StateNew {
					w.handshakes.Add(1)
				}
			}
		})
	w.viaAIA = closing.URL
	w.noAIA = serve(certtest.Leaf{AIA: []string{w.aia.URL + "/missing.crt"}})
	w.expired = serve(certtest.Leaf{Chain: true, NotBefore: time.Now().Add(-400 * 24 * time.Hour), NotAfter: time.Now().Add(-48 * time.Hour)})
	w.wrongHost = serve(certtest.Leaf{Chain: true, DNSNames: []string{"www.example.gov.cn"}})
	ss := httptest.NewTLSServer(page) // Go's own self-signed certificate for 127.0.0.1
	t.Cleanup(ss.Close)
	w.selfSigned = ss.URL
	w.reset = certtest.ResetServer(t)
	return w
}

func (w *tlsWorld) options() Options {
	o := testOptions()
	o.RootCAs = certtest.Pool(w.root)
	return o
}

func certOf(res *Result, host string) *CertProblem {
	for i := range res.Certificates {
		if res.Certificates[i].Host == host {
			return &res.Certificates[i]
		}
	}
	return nil
}

func hostPort(rawURL string) string { return strings.TrimPrefix(rawURL, "https://") }

// Links to HTTPS servers are judged as a browser judges them: a chain
// completed by AIA is fine, a certificate a browser refuses is a problem of
// its host and not a dead link, a failed handshake is a dead link.
func TestCrawl_CertificatesAsABrowserSeesThem(t *testing.T) {
	t.Parallel()
	w := newTLSWorld(t)
	links := []string{
		w.full + "/a.html", w.viaAIA + "/a.html", w.viaAIA + "/b.html", w.viaAIA + "/c.html",
		w.noAIA + "/a.html", w.expired + "/a.html", w.wrongHost + "/a.html", w.selfSigned + "/a.html", w.reset + "/a.html",
	}
	var body strings.Builder
	for i, l := range links {
		fmt.Fprintf(&body, `<a href="%s">外部链接%d</a>`, l, i)
	}
	site := serve(t, map[string]string{"/": page("首页", body.String())})
	res, err := New(w.options()).Run(context.Background(), site.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		url     string
		problem Problem
		cert    CertReason
		reasons []CertReason
	}{
		{"(a) full chain", w.full + "/a.html", NoProblem, "", nil},
		{"(b) intermediate fetched by AIA", w.viaAIA + "/b.html", NoProblem, "", nil},
		{"(c) intermediate missing, AIA 404", w.noAIA + "/a.html", NoProblem, CertUntrusted, []CertReason{CertUntrusted}},
		{"(d) expired", w.expired + "/a.html", NoProblem, CertExpired, []CertReason{CertExpired}},
		{"(e) wrong host name", w.wrongHost + "/a.html", NoProblem, CertHostname, []CertReason{CertHostname}},
		{"self-signed", w.selfSigned + "/a.html", NoProblem, CertSelfSigned, []CertReason{CertSelfSigned}},
		{"(f) reset during the handshake", w.reset + "/a.html", TLSFailure, "", nil},
	}
	for _, tt := range tests {
		tg := target(t, res, tt.url)
		st := tg.Status
		if st.Problem != tt.problem || st.Cert != tt.cert {
			t.Errorf("%s: status %q %d cert %q (%s), want %q cert %q", tt.name, st.Problem, st.Status, st.Cert, st.Detail, tt.problem, tt.cert)
		}
		if tt.problem == NoProblem && (st.Broken() || st.Status != 200) {
			t.Errorf("%s: the link is %q %d, want a working link", tt.name, st.Problem, st.Status)
		}
		p := certOf(res, hostPort(tt.url[:strings.LastIndex(tt.url, "/")]))
		switch {
		case tt.reasons == nil && p != nil:
			t.Errorf("%s: certificate problem %+v, want none", tt.name, *p)
		case tt.reasons != nil && p == nil:
			t.Errorf("%s: no certificate problem recorded", tt.name)
		case p != nil:
			if fmt.Sprint(p.Reasons) != fmt.Sprint(tt.reasons) || p.Reason != tt.reasons[0] {
				t.Errorf("%s: reasons %v (%s), want %v", tt.name, p.Reasons, p.Detail, tt.reasons)
			}
			if p.URL == "" || !strings.HasPrefix(p.URL, "https://"+p.Host+"/") {
				t.Errorf("%s: first URL %q", tt.name, p.URL)
			}
			if len(p.Targets) != 1 || res.Targets[p.Targets[0]].FetchURL != tt.url {
				t.Errorf("%s: targets %v", tt.name, p.Targets)
			}
			if p.NotAfter.IsZero() || p.Subject == "" {
				t.Errorf("%s: certificate details missing: %+v", tt.name, *p)
			}
		}
	}
	if len(res.Certificates) != 4 {
		t.Errorf("%d certificate problems, want 4: %+v", len(res.Certificates), res.Certificates)
	}
	if p := certOf(res, hostPort(w.expired)); p != nil && !p.NotAfter.Before(time.Now()) {
		t.Errorf("expired certificate's NotAfter %v", p.NotAfter)
	}
	if n := w.aiaHits.Load(); n != 1 {
		t.Errorf("the intermediate was fetched by AIA %d times, want once per crawl", n)
	}
	if n := w.handshakes.Load(); n < 3 {
		t.Errorf("%d connections to the AIA server's host: the cache was not exercised", n)
	}
	if d := target(t, res, w.reset+"/a.html").Status.Detail; !strings.Contains(d, "tls handshake") {
		t.Errorf("reset handshake detail %q", d)
	}
}

// A site whose own certificate a browser refuses is crawled all the same;
// the problem is kept under its host.
func TestCrawl_SiteWithExpiredCertificateIsCrawled(t *testing.T) {
	t.Parallel()
	root := certtest.NewRoot(t, "Test Root CA")
	inter := root.Intermediate(t, "Test Intermediate CA")
	cert := inter.Issue(t, certtest.Leaf{Chain: true, NotBefore: time.Now().Add(-400 * 24 * time.Hour), NotAfter: time.Now().Add(-time.Hour)})
	srv := certtest.ServeTLS(t, cert, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprint(rw, page("首页", `<a href="/news.html">新闻</a>`))
		case "/news.html":
			fmt.Fprint(rw, page("新闻", `<p>新闻内容</p>`))
		default:
			http.NotFound(rw, r)
		}
	}))
	opts := testOptions()
	opts.RootCAs = certtest.Pool(root)
	res, err := New(opts).Run(context.Background(), srv.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete {
		t.Fatal("the crawl is not complete")
	}
	if st := target(t, res, srv.URL+"/news.html").Status; st.Problem != NoProblem || st.Status != 200 || st.Cert != CertExpired {
		t.Errorf("news page %+v", st)
	}
	if st := res.Targets[res.Start].Status; st.Broken() || st.Cert != CertExpired {
		t.Errorf("start page %+v", st)
	}
	p := certOf(res, hostPort(srv.URL))
	if len(res.Certificates) != 1 || p == nil || p.Reason != CertExpired || p.URL != srv.URL+"/" || len(p.Targets) < 2 {
		t.Fatalf("certificate problems %+v", res.Certificates)
	}
}

// The link check of posts (CheckURL) judges certificates the same way.
func TestCheckURL_Certificates(t *testing.T) {
	t.Parallel()
	w := newTLSWorld(t)
	c := New(w.options())
	ctx := context.Background()
	if st := c.CheckURL(ctx, w.expired+"/x.html"); st.Broken() || st.Cert != CertExpired {
		t.Errorf("expired: %+v", st)
	}
	if st := c.CheckURL(ctx, w.viaAIA+"/x.html"); st.Broken() || st.Cert != "" {
		t.Errorf("via AIA: %+v", st)
	}
	if st := c.CheckURL(ctx, w.reset+"/x.html"); st.Problem != TLSFailure {
		t.Errorf("reset: %+v", st)
	}
	got := c.Certificates()
	if len(got) != 1 || got[0].Host != hostPort(w.expired) || got[0].URL != w.expired+"/x.html" {
		t.Errorf("certificates %+v", got)
	}
}

func TestCertReason_Label(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		r    CertReason
		want string
	}{
		{CertExpired, "证书已过期"},
		{CertNotYetValid, "证书尚未生效"},
		{CertHostname, "证书域名不匹配"},
		{CertUntrusted, "证书颁发机构不受信任（自签名或缺少中间证书）"},
		{CertSelfSigned, "证书为自签名证书，浏览器不信任"},
		{CertInvalid, "证书无效（用途、签名算法或约束不符合要求）"},
		{"something_new", "证书存在问题"},
	} {
		if got := tt.r.Label(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.r, got, tt.want)
		}
	}
}

// The reasons of one certificate, with the time and the host name varied.
func TestVerifier_Reasons(t *testing.T) {
	t.Parallel()
	root := certtest.NewRoot(t, "Test Root CA")
	inter := root.Intermediate(t, "Test Intermediate CA")
	other := certtest.NewRoot(t, "Other Root CA")
	now := time.Now()
	chain := func(c []byte, more ...*certtest.CA) []*x509.Certificate {
		out := []*x509.Certificate{mustParse(t, c)}
		for _, m := range more {
			out = append(out, m.Cert)
		}
		return out
	}
	good := inter.Issue(t, certtest.Leaf{DNSNames: []string{"www.example.gov.cn"}})
	future := inter.Issue(t, certtest.Leaf{DNSNames: []string{"www.example.gov.cn"}, NotBefore: now.Add(24 * time.Hour), NotAfter: now.Add(48 * time.Hour)})
	stale := other.Issue(t, certtest.Leaf{DNSNames: []string{"www.example.gov.cn"}, NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)})
	v := newVerifier(certtest.Pool(root), time.Second, &aiaCache{entries: map[string]*aiaEntry{}, client: http.DefaultClient})
	for _, tt := range []struct {
		name  string
		host  string
		certs []*x509.Certificate
		want  []CertReason
	}{
		{"good", "www.example.gov.cn", chain(good.Certificate[0], inter), nil},
		{"good, other host", "example.gov.cn", chain(good.Certificate[0], inter), []CertReason{CertHostname}},
		{"no intermediate, no AIA", "www.example.gov.cn", chain(good.Certificate[0]), []CertReason{CertUntrusted}},
		{"not yet valid", "www.example.gov.cn", chain(future.Certificate[0], inter), []CertReason{CertNotYetValid}},
		{"unknown root, other host, expired", "x.example.gov.cn", chain(stale.Certificate[0]), []CertReason{CertUntrusted, CertHostname, CertExpired}},
	} {
		p := v.check(context.Background(), tt.host, tt.certs)
		var got []CertReason
		if p != nil {
			got = p.Reasons
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// AIA addresses serve DER (the rule), PEM or a PKCS #7 bundle.
func TestParseIssuers(t *testing.T) {
	t.Parallel()
	root := certtest.NewRoot(t, "Test Root CA")
	inter := root.Intermediate(t, "Test Intermediate CA")
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: inter.Cert.Raw})
	contentData, _ := asn1.Marshal(struct{ ContentType asn1.ObjectIdentifier }{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}})
	sd, err := asn1.Marshal(struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		ContentInfo      asn1.RawValue
		Certificates     asn1.RawValue
	}{1, asn1.RawValue{Tag: asn1.TagSet, IsCompound: true}, asn1.RawValue{FullBytes: contentData},
		asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: append(append([]byte(nil), inter.Cert.Raw...), root.Cert.Raw...)}})
	if err != nil {
		t.Fatal(err)
	}
	p7, err := asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue // [0] EXPLICIT SignedData
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"der": inter.Cert.Raw, "pem": pemData, "p7c": p7} {
		got, err := parseIssuers(data)
		if err != nil || len(got) == 0 || !got[0].Equal(inter.Cert) {
			t.Errorf("%s: %v %v", name, got, err)
		}
	}
	if _, err := parseIssuers([]byte("<html>not found</html>")); err == nil {
		t.Error("an HTML page read as a certificate")
	}
}
