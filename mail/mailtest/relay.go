// Package mailtest is a real SMTP server on loopback for tests: it keeps
// every message it accepts, refuses addresses that start with "gone@" for
// good (550), and can answer "try again later" (451) to the next messages.
package mailtest

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Relay is the running server.
type Relay struct {
	Port int

	mu       sync.Mutex
	messages map[string][][]byte // by recipient
	failNext int
}

// Start runs a relay until the test ends.
func Start(t testing.TB) *Relay {
	r := &Relay{messages: map[string][][]byte{}}
	srv := smtp.NewServer(r)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	r.Port = ln.Addr().(*net.TCPAddr).Port
	return r
}

// FailNext makes the next n recipients get a temporary 451.
func (r *Relay) FailNext(n int) {
	r.mu.Lock()
	r.failNext = n
	r.mu.Unlock()
}

// Received returns the messages delivered to an address.
func (r *Relay) Received(to string) [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.messages[to]
}

// Count is the number of messages delivered, all recipients together.
func (r *Relay) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.messages {
		n += len(m)
	}
	return n
}

// NewSession implements smtp.Backend.
func (r *Relay) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{r: r}, nil }

type session struct {
	r  *Relay
	to []string
}

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "gone@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.r.failNext > 0 {
		s.r.failNext--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	for _, to := range s.to {
		s.r.messages[to] = append(s.r.messages[to], data)
	}
	return nil
}

func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }
