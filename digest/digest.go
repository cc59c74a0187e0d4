// Package digest runs the weekly digests: it builds each owning unit's mail
// and the staff summary (package reports), delivers them (package mail) and
// records every (unit, week) send in the store, so a restart or a second run
// never sends a digest twice and a failure is retried on the next run.
package digest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/mail"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// Options configure one run.
type Options struct {
	Week      reports.Week
	Now       time.Time
	BaseURL   string            // the staff UI's full address, for links (Run sends nothing without one)
	Emails    map[string]string // owning unit → address
	Staff     []string          // addresses of the monitoring staff (the summary)
	SendEmpty bool
	SMTP      mail.Config
	DryRunDir string        // set: write .eml files here instead of sending
	Retries   int           // extra attempts for temporary failures (default 2)
	RetryWait time.Duration // first back-off (default 30 s, doubling)
}

// Result counts what a run did.
type Result struct {
	Sent, Skipped, Failed, Rejected int
	Written                         []string // dry run: the files
	NoAddress                       []string // units without an address
}

// ErrNoBaseURL is Run's refusal to send digests whose links would be
// relative (处理：/issues/70): no mail client can open them.
var ErrNoBaseURL = errors.New("digest: no full address of the staff UI (ui_base_url) for the digests' links: nothing sent")

// checkBaseURL reports whether links built on base open from a mail
// client (config.FullURL), else ErrNoBaseURL.
func checkBaseURL(base string) error {
	if !config.FullURL(base) {
		return ErrNoBaseURL
	}
	return nil
}

// summaryUnit is the staff summary's key in the send record.
const summaryUnit = "（巡检汇总）"

type outgoing struct {
	unit string
	msg  mail.Message
}

// Build renders the week's digests (one per owning unit) and the staff
// summary from the database, without sending anything: what Run delivers
// and what the staff UI previews.
func Build(ctx context.Context, st *store.Store, o Options) ([]reports.Digest, reports.Summary, error) {
	issues, err := st.Issues(ctx, store.Filter{})
	if err != nil {
		return nil, reports.Summary{}, err
	}
	verified, err := st.VerifiedAt(ctx, o.Week.Start, o.Week.End)
	if err != nil {
		return nil, reports.Summary{}, err
	}
	scans, err := st.LatestScans(ctx, store.KindCrawl)
	if err != nil {
		return nil, reports.Summary{}, err
	}
	ds, err := reports.BuildDigests(reports.DigestInput{Issues: issues, Verified: verified, Emails: o.Emails,
		BaseURL: o.BaseURL, Week: o.Week, Now: o.Now, SendEmpty: o.SendEmpty, Scans: scans})
	if err != nil {
		return nil, reports.Summary{}, err
	}
	sum, err := reports.BuildSummary(ds, o.Week, reports.ScanAlerts(scans, o.Now))
	return ds, sum, err
}

// Run builds and delivers (or, dry, writes) the week's digests. Without a
// full BaseURL it sends nothing (ErrNoBaseURL); a dry run writes them all
// the same, for review.
func Run(ctx context.Context, st *store.Store, o Options) (Result, error) {
	var res Result
	if o.DryRunDir == "" {
		if err := checkBaseURL(o.BaseURL); err != nil {
			return res, err
		}
	}
	ds, sum, err := Build(ctx, st, o)
	if err != nil {
		return res, err
	}
	res.NoAddress = sum.NoAddress
	var out []outgoing
	for _, d := range ds {
		if d.Email != "" {
			out = append(out, outgoing{d.Unit, mail.Message{To: d.Email, Subject: d.Subject, Text: d.Text, HTML: d.HTML}})
		}
	}
	for _, addr := range o.Staff {
		out = append(out, outgoing{summaryUnit + addr, mail.Message{To: addr, Subject: sum.Subject, Text: sum.Text, HTML: sum.HTML}})
	}
	if o.DryRunDir != "" {
		return dryRun(o, ds, sum, res)
	}
	week := o.Week.String()
	var pending []outgoing
	for _, og := range out {
		rec, ok, err := st.DigestState(ctx, og.unit, week)
		if err != nil {
			return res, err
		}
		if ok && (rec.Status == store.DigestSent || (rec.Status == store.DigestRejected && rec.Address == og.msg.To)) {
			res.Skipped++
			continue
		}
		pending = append(pending, og)
	}
	wait := o.RetryWait
	if wait <= 0 {
		wait = 30 * time.Second
	}
	retries := o.Retries
	if retries == 0 {
		retries = 2
	}
	for attempt := 0; len(pending) > 0; attempt++ {
		msgs := make([]mail.Message, len(pending))
		for i, og := range pending {
			msgs[i] = og.msg
		}
		results, err := mail.Send(ctx, o.SMTP, msgs, o.Now)
		if err != nil {
			return res, err
		}
		var again []outgoing
		for i, r := range results {
			og := pending[i]
			status, text := store.DigestSent, ""
			switch {
			case r.Err == nil:
				res.Sent++
			case r.Temporary && attempt < retries:
				again = append(again, og)
				continue
			case r.Temporary:
				status, text = store.DigestFailed, r.Err.Error()
				res.Failed++
			default:
				status, text = store.DigestRejected, r.Err.Error()
				res.Rejected++
			}
			if err := st.RecordDigest(context.WithoutCancel(ctx), og.unit, week, og.msg.To, status, text, time.Now()); err != nil {
				return res, err
			}
		}
		pending = again
		if len(pending) > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return res, ctx.Err()
			}
			wait *= 2
		}
	}
	return res, nil
}

func dryRun(o Options, ds []reports.Digest, sum reports.Summary, res Result) (Result, error) {
	if err := os.MkdirAll(o.DryRunDir, 0o755); err != nil {
		return res, fmt.Errorf("digest: %w", err)
	}
	write := func(name string, m mail.Message) error {
		path := filepath.Join(o.DryRunDir, name)
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("digest: %w", err)
		}
		if err := mail.WriteEML(f, o.SMTP, m, o.Now); err != nil {
			f.Close()
			return fmt.Errorf("digest: %s: %w", path, err)
		}
		res.Written = append(res.Written, path)
		return f.Close()
	}
	week := o.Week.String()
	for _, d := range ds {
		to := d.Email
		if to == "" {
			to = "no-address@invalid" // no address configured: written for review all the same
		}
		if err := write(week+"-"+safeName(d.Unit)+".eml", mail.Message{To: to, Subject: d.Subject, Text: d.Text, HTML: d.HTML}); err != nil {
			return res, err
		}
	}
	staff := "staff@localhost"
	if len(o.Staff) > 0 {
		staff = o.Staff[0]
	}
	if err := write(week+"-汇总.eml", mail.Message{To: staff, Subject: sum.Subject, Text: sum.Text, HTML: sum.HTML}); err != nil {
		return res, err
	}
	return res, nil
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|（）() `, r) {
			return '_'
		}
		return r
	}, s)
}
