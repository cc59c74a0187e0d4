// Package mail delivers the weekly digests by SMTP (go-mail): STARTTLS,
// implicit TLS (465) or plain for an internal relay, authentication when
// configured, Chinese subjects and names encoded. Messages can also be
// written as .eml files for review instead of being sent.
package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Config is the SMTP relay.
type Config struct {
	Host     string
	Port     int    // 25, 587 or 465
	Security string // "starttls" (default), "tls" (implicit, 465) or "none" (an internal relay)
	Username string // empty: no authentication
	Password string
	From     string // "区政府办公室网站巡检 <xunjian@qxq.gov.cn>"
	ReplyTo  string
	Timeout  time.Duration
}

// Message is one mail: a plain-text part and an HTML alternative.
type Message struct {
	To, Subject, Text, HTML string
}

// build turns a Message into go-mail's form.
func build(cfg Config, m Message, at time.Time) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(cfg.From); err != nil {
		return nil, fmt.Errorf("mail: from %q: %w", cfg.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail: to %q: %w", m.To, err)
	}
	if cfg.ReplyTo != "" {
		if err := msg.ReplyTo(cfg.ReplyTo); err != nil {
			return nil, fmt.Errorf("mail: reply-to %q: %w", cfg.ReplyTo, err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(at)
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// WriteEML writes the message as an .eml file's content.
func WriteEML(w io.Writer, cfg Config, m Message, at time.Time) error {
	msg, err := build(cfg, m, at)
	if err != nil {
		return err
	}
	_, err = msg.WriteTo(w)
	return err
}

// Result is what happened to one message.
type Result struct {
	Err       error
	Temporary bool // worth another try later (4xx, connection trouble)
}

// Send delivers the messages over one connection and reports each one's
// fate: a rejected address does not stop the others.
func Send(ctx context.Context, cfg Config, msgs []Message, at time.Time) ([]Result, error) {
	opts := []gomail.Option{gomail.WithPort(cmpPort(cfg)), gomail.WithTimeout(cmpTimeout(cfg.Timeout))}
	switch cfg.Security {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	results := make([]Result, len(msgs))
	built := make([]*gomail.Msg, 0, len(msgs))
	index := make([]int, 0, len(msgs))
	for i, m := range msgs {
		msg, err := build(cfg, m, at)
		if err != nil {
			results[i] = Result{Err: err}
			continue
		}
		built = append(built, msg)
		index = append(index, i)
	}
	if len(built) == 0 {
		return results, nil
	}
	sendErr := client.DialAndSendWithContext(ctx, built...)
	for k, msg := range built {
		i := index[k]
		if msg.HasSendError() {
			var se *gomail.SendError
			err := msg.SendError()
			results[i] = Result{Err: err, Temporary: errors.As(err, &se) && se.IsTemp()}
			continue
		}
		if sendErr != nil && !errors.As(sendErr, new(*gomail.SendError)) {
			// The connection itself failed: every message may go next time.
			results[i] = Result{Err: sendErr, Temporary: true}
		}
	}
	return results, nil
}

func cmpPort(cfg Config) int {
	if cfg.Port != 0 {
		return cfg.Port
	}
	if cfg.Security == "tls" {
		return 465
	}
	return 587
}

func cmpTimeout(d time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return 30 * time.Second
}
