package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/digest"
	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/web"
)

// serveUI serves the staff UI on listen. On a database without users it
// creates the first administrator and prints its password, once.
func serveUI(ctx context.Context, cfg config.Config, st *store.Store, p *patrol.Patrol, rulesVersion, listen string, out io.Writer) (*web.Listening, error) {
	ps := patrol.SettingsOf(cfg)
	opts := web.Options{Store: st, Location: cfg.Location, Runner: uiRunner{p}, Register: patrol.Register{},
		Assessment: web.Assessment{Score: ps.Score, Notice: ps.Notice},
		Digests:    digestBuilder{cfg: cfg, st: st}, DigestLinkBase: cfg.LinkBase(), Secure: strings.HasPrefix(cfg.UIBaseURL, "https://"),
		Settings: settingsOf(cfg, rulesVersion), SettingsFile: cfg.Path,
		DeadlineDays: map[string]int{"high": cfg.Triage.DeadlineDays.High, "medium": cfg.Triage.DeadlineDays.Medium, "low": cfg.Triage.DeadlineDays.Low}}
	if cfg.RulesDir != "" {
		opts.Allow = &rules.Allowlist{Path: filepath.Join(cfg.RulesDir, rules.AllowFile)}
	}
	ui, err := web.New(opts)
	if err != nil {
		return nil, err
	}
	u, err := ui.Listen(listen)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "管理界面（staff UI）：%s\n", u.URL)
	if name, password, err := web.FirstAdmin(ctx, st, time.Now()); err != nil {
		u.Stop()
		return nil, err
	} else if password != "" {
		fmt.Fprintf(out, "首次启动，已创建管理员：用户名 %s，密码 %s（只显示这一次，请登录后修改）\n", name, password)
	}
	return u, nil
}

// settingsOf is the effective configuration for the settings page.
func settingsOf(cfg config.Config, rulesVersion string) []web.Setting {
	var out []web.Setting
	for _, s := range patrol.Describe(cfg, rulesVersion) {
		out = append(out, web.Setting(s))
	}
	return out
}

// uiRunner shows the patrol to the UI.
type uiRunner struct{ *patrol.Patrol }

func (r uiRunner) Running() []web.Running {
	var out []web.Running
	for _, x := range r.Patrol.Running() {
		out = append(out, web.Running(x))
	}
	return out
}

// digestBuilder renders digests for the UI's preview with the
// configuration's settings.
type digestBuilder struct {
	cfg config.Config
	st  *store.Store
}

func (d digestBuilder) Digests(ctx context.Context, week reports.Week) ([]reports.Digest, reports.Summary, error) {
	return digest.Build(ctx, d.st, digest.OptionsOf(d.cfg, week, time.Now().In(d.cfg.Location)))
}
