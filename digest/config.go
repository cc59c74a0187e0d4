package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/mail"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// OptionsOf maps the configuration onto a run for week.
func OptionsOf(cfg config.Config, week reports.Week, now time.Time) Options {
	o := Options{Week: week, Now: now, BaseURL: cfg.LinkBase(), Emails: cfg.UnitEmails(), Staff: cfg.Digest.Staff,
		SendEmpty: cfg.Digest.SendEmpty, SMTP: mail.Config{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Security: cfg.SMTP.Security,
			Username: cfg.SMTP.Username, Password: cfg.SMTP.Password, From: cfg.SMTP.From, ReplyTo: cfg.SMTP.ReplyTo}}
	if o.SMTP.From == "" {
		o.SMTP.From = "xunjian@localhost"
	}
	return o
}

// NoLinkBase says, for staff, why digests are not sent without the UI's
// full address.
const NoLinkBase = "注意：未配置 ui_base_url（管理界面地址），周报中的“处理”链接将是 /issues/70 这样的相对地址，收件人无法打开，因此不发送周报；" +
	"请在配置文件中设置 ui_base_url（例如 http://xunjian.qxq.gov.cn:8080）"

// Weekly is the scheduled job: last week's digests, sent when mail is
// configured; the ones that failed are an error (and retried next time).
func Weekly(ctx context.Context, st *store.Store, cfg config.Config) error {
	if cfg.SMTP.Host == "" {
		slog.Info("digest skipped: no smtp host configured")
		return nil
	}
	now := time.Now().In(cfg.Location)
	res, err := Run(ctx, st, OptionsOf(cfg, reports.WeekOf(now.AddDate(0, 0, -7)), now))
	if errors.Is(err, ErrNoBaseURL) {
		slog.Error("digests not sent: their links would not open from a mail client", "fix", "set ui_base_url in "+cfg.Path)
	}
	if err == nil && res.Failed > 0 {
		err = fmt.Errorf("%d digests failed and will be retried", res.Failed)
	}
	return err
}
