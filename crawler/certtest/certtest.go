// Package certtest makes certificate authorities, certificates and TLS
// servers on loopback for the tests of the crawler and the checks: a root,
// intermediates, leaves that are expired, for another host or name their
// issuer by AIA, and a server that resets the handshake.
package certtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// CA is a certificate authority: a root or an intermediate.
type CA struct {
	Cert   *x509.Certificate
	Key    *ecdsa.PrivateKey
	parent *CA
}

var serial atomic.Int64

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func sign(t testing.TB, tmpl *x509.Certificate, pub *ecdsa.PublicKey, parent *x509.Certificate, key *ecdsa.PrivateKey) *x509.Certificate {
	t.Helper()
	tmpl.SerialNumber = big.NewInt(serial.Add(1) + 1000)
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// NewRoot makes a self-signed root.
func NewRoot(t testing.TB, name string) *CA {
	t.Helper()
	k := newKey(t)
	now := time.Now()
	c := sign(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: name}, NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(10 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, &k.PublicKey, nil, k)
	return &CA{Cert: c, Key: k}
}

// Intermediate makes a CA signed by ca; aia, when given, is where its own
// issuer (ca) can be fetched.
func (ca *CA) Intermediate(t testing.TB, name string, aia ...string) *CA {
	t.Helper()
	k := newKey(t)
	now := time.Now()
	c := sign(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: name}, NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(5 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		IssuingCertificateURL: aia,
	}, &k.PublicKey, ca.Cert, ca.Key)
	return &CA{Cert: c, Key: k, parent: ca}
}

// Pool is a pool of the given roots.
func Pool(roots ...*CA) *x509.CertPool {
	p := x509.NewCertPool()
	for _, r := range roots {
		p.AddCert(r.Cert)
	}
	return p
}

// Leaf describes a server certificate.
type Leaf struct {
	DNSNames []string
	IPs      []net.IP // 127.0.0.1 when neither names nor addresses are given
	// NotBefore and NotAfter default to yesterday and a year from now.
	NotBefore, NotAfter time.Time
	AIA                 []string // caIssuers: where the issuer can be fetched
	// Chain sends the issuing intermediates with the leaf, as a well
	// configured server does; without it the server sends the leaf alone.
	Chain bool
}

// Issue makes a server certificate signed by ca.
func (ca *CA) Issue(t testing.TB, l Leaf) tls.Certificate {
	t.Helper()
	k := newKey(t)
	now := time.Now()
	if l.NotBefore.IsZero() {
		l.NotBefore = now.Add(-24 * time.Hour)
	}
	if l.NotAfter.IsZero() {
		l.NotAfter = now.Add(365 * 24 * time.Hour)
	}
	if len(l.DNSNames) == 0 && len(l.IPs) == 0 {
		l.IPs = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	name := "127.0.0.1"
	if len(l.DNSNames) > 0 {
		name = l.DNSNames[0]
	}
	c := sign(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: name}, NotBefore: l.NotBefore, NotAfter: l.NotAfter,
		DNSNames: l.DNSNames, IPAddresses: l.IPs, IssuingCertificateURL: l.AIA,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, &k.PublicKey, ca.Cert, ca.Key)
	out := tls.Certificate{Certificate: [][]byte{c.Raw}, PrivateKey: k, Leaf: c}
	if l.Chain {
		for p := ca; p != nil && p.parent != nil; p = p.parent { // roots are not sent
			out.Certificate = append(out.Certificate, p.Cert.Raw)
		}
	}
	return out
}

// ServeTLS serves h over TLS on loopback with cert; the server is closed
// when the test ends. configure, when given, adjusts the server before it
// starts (a ConnState hook set later would race with the server).
func ServeTLS(t testing.TB, cert tls.Certificate, h http.Handler, configure ...func(*http.Server)) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	for _, c := range configure {
		c(srv.Config)
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// ResetServer accepts connections on loopback, reads the client's hello and
// resets the connection: a handshake that fails outright. It returns the
// server's https:// URL.
func ResetServer(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
				_, _ = io.ReadAtLeast(conn, make([]byte, 64), 5) // the ClientHello's record header and more
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // close with RST
				}
				conn.Close()
			}()
		}
	}()
	return "https://" + ln.Addr().String()
}
