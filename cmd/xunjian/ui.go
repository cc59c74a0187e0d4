package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
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

// runningUI is the staff UI being served.
type runningUI struct {
	srv  *http.Server
	url  string
	done chan struct{}
}

// stop shuts the UI down, letting requests in flight finish (10 s at most).
func (u *runningUI) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u.srv.Shutdown(ctx)
	<-u.done
}

// serveUI serves the staff UI on listen. On a database without users it
// creates the first administrator and prints its password, once.
func serveUI(ctx context.Context, cfg config.Config, st *store.Store, p *patrol.Patrol, rulesVersion, listen string, out io.Writer) (*runningUI, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("cannot serve the UI on %s (listen in the configuration): %w", listen, err)
	}
	opts := web.Options{Store: st, Location: cfg.Location, Runner: uiRunner{p}, Register: patrol.Register{},
		Digests: digestBuilder{cfg: cfg, st: st}, DigestLinkBase: cfg.LinkBase(), Secure: strings.HasPrefix(cfg.UIBaseURL, "https://"),
		Settings: settingsOf(cfg, rulesVersion), SettingsFile: cfg.Path,
		DeadlineDays: map[string]int{"high": cfg.Triage.DeadlineDays.High, "medium": cfg.Triage.DeadlineDays.Medium, "low": cfg.Triage.DeadlineDays.Low}}
	if cfg.RulesDir != "" {
		opts.Allow = &rules.Allowlist{Path: filepath.Join(cfg.RulesDir, rules.AllowFile)}
	}
	ui, err := web.New(opts)
	if err != nil {
		ln.Close()
		return nil, err
	}
	u := &runningUI{url: "http://" + ln.Addr().String() + "/", done: make(chan struct{}),
		srv: &http.Server{Handler: ui.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
			WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn)}}
	go func() {
		defer close(u.done)
		if err := u.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("the UI stopped", "err", err)
		}
	}()
	fmt.Fprintf(out, "管理界面（staff UI）：%s\n", u.url)
	if name, password, err := web.FirstAdmin(ctx, st, time.Now()); err != nil {
		u.stop()
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
