package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/digest"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/scan"
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
func serveUI(ctx context.Context, cfg config.Config, st *store.Store, p *patrol, rulesVersion, listen string, out io.Writer) (*runningUI, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("cannot serve the UI on %s (listen in the configuration): %w", listen, err)
	}
	addr := "http://" + ln.Addr().String() + "/"
	managed := map[string]bool{}
	for _, s := range cfg.Sites {
		managed[s.Name] = true
	}
	for _, a := range cfg.Accounts {
		managed[a.Name] = true
	}
	opts := web.Options{Store: st, Location: cfg.Location, Runner: p, Digests: digestBuilder{cfg: cfg, st: st}, DigestLinkBase: cfg.LinkBase(),
		Managed: func(name string) bool { return managed[name] }, Secure: strings.HasPrefix(cfg.UIBaseURL, "https://"),
		Settings: settingsOf(cfg, rulesVersion), SettingsFile: cfg.Path,
		DeadlineDays: deadlineDays(cfg.Triage.DeadlineDays)}
	if cfg.RulesDir != "" {
		opts.Allow = &allowFile{path: filepath.Join(cfg.RulesDir, rules.AllowFile)}
	}
	ui, err := web.New(opts)
	if err != nil {
		ln.Close()
		return nil, err
	}
	u := &runningUI{url: addr, done: make(chan struct{}),
		srv: &http.Server{Handler: ui.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
			WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn)}}
	go func() {
		defer close(u.done)
		if err := u.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("the UI stopped", "err", err)
		}
	}()
	fmt.Fprintf(out, "管理界面（staff UI）：%s\n", u.url)
	if name, password, err := firstAdmin(ctx, st); err != nil {
		u.stop()
		return nil, err
	} else if password != "" {
		fmt.Fprintf(out, "首次启动，已创建管理员：用户名 %s，密码 %s（只显示这一次，请登录后修改）\n", name, password)
	}
	return u, nil
}

// firstAdmin creates the administrator "admin" with a random password when
// the database has no user yet; password is "" when there were users.
func firstAdmin(ctx context.Context, st *store.Store) (name, password string, err error) {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", "", err
	}
	password = web.NewPassword()
	hash, err := web.HashPassword(password, 0)
	if err != nil {
		return "", "", err
	}
	if _, err := st.AddUser(ctx, store.User{Name: "admin", PasswordHash: hash, Role: store.RoleAdmin}, time.Now()); err != nil {
		return "", "", err
	}
	return "admin", password, nil
}

// syncConfigTargets saves the configured sites and accounts, so the UI
// lists them before their first scan.
func syncConfigTargets(ctx context.Context, st *store.Store, cfg config.Config) error {
	now := time.Now()
	for _, s := range cfg.Sites {
		if _, err := st.SyncTarget(ctx, store.Target{Name: s.Name, URL: s.URL, Owner: s.Owner, Email: s.Email}, now); err != nil {
			return err
		}
	}
	for _, a := range cfg.Accounts {
		if _, err := st.SyncTarget(ctx, scan.TargetOf(accountOf(a)), now); err != nil {
			return err
		}
	}
	return nil
}

// digestBuilder renders digests for the UI's preview with the
// configuration's settings.
type digestBuilder struct {
	cfg config.Config
	st  *store.Store
}

func (d digestBuilder) Digests(ctx context.Context, week reports.Week) ([]reports.Digest, reports.Summary, error) {
	return digest.Build(ctx, d.st, digestOptions(d.cfg, week, time.Now().In(d.cfg.Location)))
}

// allowFile appends terms to the operator's allowlist, which the next scan
// loads.
type allowFile struct {
	mu   sync.Mutex
	path string
}

func (a *allowFile) Allow(term, url string) error {
	if term == "" || strings.ContainsAny(term+url, "\t\r\n") {
		return fmt.Errorf("allowlist: %q cannot be a line of %s", term, a.path)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(a.path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(a.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	line := term
	if url != "" {
		line += "\t" + url
	}
	if _, err := fmt.Fprintf(f, "%s\n", line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cmdUsers manages who may sign in to the staff UI.
func cmdUsers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usageText = "usage: xunjian users add NAME [--role admin|staff|owner --unit 区卫健委] | reset NAME | disable NAME | enable NAME | list  [--config xunjian.yaml | --db FILE]"
	if len(args) == 0 {
		return usageError{usageText}
	}
	verb, args := args[0], args[1:]
	var name string
	if verb != "list" {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return usageError{usageText}
		}
		name, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("users", flag.ContinueOnError)
	open := dbFlags(fs)
	role := fs.String("role", store.RoleStaff, "admin, staff, or owner (add)")
	unit := fs.String("unit", "", "the owning unit of an owner account (add --role owner)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	st, loc, err := open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "list":
		users, err := st.Users(ctx)
		if err != nil {
			return err
		}
		rows := [][]string{{"用户名", "角色", "责任单位", "状态", "最近登录"}}
		for _, u := range users {
			state, last := "正常", ""
			if u.Disabled {
				state = "已停用"
			}
			if !u.LastLogin.IsZero() {
				last = u.LastLogin.In(loc).Format("2006-01-02 15:04") // the office's clock, not the server's
			}
			rows = append(rows, []string{u.Name, u.Role, u.Unit, state, last})
		}
		return reports.WriteRows(stdout, rows)
	case "add":
		password := web.NewPassword()
		hash, err := web.HashPassword(password, 0)
		if err != nil {
			return err
		}
		if _, err := st.AddUser(ctx, store.User{Name: name, PasswordHash: hash, Role: *role, Unit: *unit}, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已创建用户 %s（%s），初始密码：%s\n（只显示这一次，请转交本人并提醒登录后修改）\n", name, *role, password)
		return nil
	}
	u, err := st.UserByName(ctx, name)
	if err != nil {
		return err
	}
	switch verb {
	case "reset":
		password := web.NewPassword()
		hash, err := web.HashPassword(password, 0)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已重置 %s 的密码：%s（只显示这一次）\n", name, password)
	case "disable", "enable":
		if err := st.SetUserDisabled(ctx, u.ID, verb == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已%s用户 %s\n", map[string]string{"disable": "停", "enable": "启"}[verb], name)
	default:
		return usageError{usageText}
	}
	return nil
}

// cmdBackup writes a consistent copy of the database, also while serve runs.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usageText = "usage: xunjian backup FILE [--config xunjian.yaml | --db FILE]"
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{usageText}
	}
	file, args := args[0], args[1:]
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	open := dbFlags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	st, _, err := open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Backup(ctx, file); err != nil {
		return err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份到 %s（%.1f MB，用时 %s）\n", file, float64(fi.Size())/(1<<20), time.Since(start).Round(time.Millisecond))
	return nil
}

// deadlineDays are the configuration's default deadlines as the UI takes
// them, by severity.
func deadlineDays(d config.DeadlineDays) map[string]int {
	return map[string]int{"high": d.High, "medium": d.Medium, "low": d.Low}
}
