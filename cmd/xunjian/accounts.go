package main

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/scan"
	"github.com/xunjian/xunjian/store"
)

// accountOf maps a configured account onto a scan target.
func accountOf(a config.Account) scan.Account {
	out := scan.Account{Name: a.Name, Platform: a.Platform, ID: a.ID, Owner: a.Owner, Contact: a.Contact, Email: a.Email}
	switch {
	case a.Feed != "":
		out.Source = crawler.Source{Kind: crawler.SourceFeed, URL: a.Feed}
	case len(a.URLs) > 0:
		out.Source = crawler.Source{Kind: crawler.SourceWeChat, URLs: a.URLs}
	case a.WeiboUID != "":
		out.Source = crawler.Source{Kind: crawler.SourceWeibo, UID: a.WeiboUID, URL: a.WeiboAPI, Cookie: a.Cookie}
	default:
		out.Source = crawler.Source{Kind: crawler.SourceHTML, URL: a.Page}
	}
	return out
}

// allAccounts are the configured accounts and the imported ones (the
// configuration wins for a name in both).
func allAccounts(ctx context.Context, st *store.Store, cfg config.Config) ([]scan.Account, error) {
	var out []scan.Account
	named := map[string]bool{}
	for _, a := range cfg.Accounts {
		named[a.Name] = true
		if a.Enabled == nil || *a.Enabled {
			out = append(out, accountOf(a))
		}
	}
	stored, err := st.Targets(ctx, "account")
	if err != nil {
		return nil, err
	}
	for _, t := range stored {
		if !named[t.Name] && t.Enabled && t.SourceKind != "" {
			out = append(out, scan.AccountOf(t))
		}
	}
	return out, nil
}

func accountRules(c config.Checks) checks.AccountRules {
	r := checks.DefaultAccountRules()
	r.Days = cmp.Or(c.AccountDays, r.Days)
	r.WarnDays = min(cmp.Or(c.AccountWarnDays, r.WarnDays), r.Days)
	return r
}

func printAccounts(w io.Writer, reps []scan.AccountReport, loc *time.Location) {
	if len(reps) == 0 {
		return
	}
	fmt.Fprintf(w, "政务新媒体 %d 个：\n", len(reps))
	for _, r := range reps {
		if r.Err != nil {
			fmt.Fprintf(w, "  %s：无法读取（%s）\n", r.Account, checks.ReadCause(r.Err, 0))
			slog.Warn("account source unreadable", "account", r.Account, "err", r.Err)
			continue
		}
		newest := "无"
		if !r.Stats.Newest.IsZero() {
			newest = r.Stats.Newest.In(loc).Format("2006-01-02") // the office's date, as the issue gives it
		}
		fmt.Fprintf(w, "  %s：读取 %d 条，最近发布 %s，近期 %d 条，最长间隔 %d 天；问题新增 %d，复查通过 %d\n", r.Account,
			r.Stats.Posts, newest, r.Stats.InPeriod, int(r.Stats.LongestGap.Hours()/24), r.Summary.New, r.Summary.Verified)
	}
}

// cmdAccounts manages the account register: import FILE, export FILE, list.
func cmdAccounts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"usage: xunjian accounts import FILE | export FILE | list  [--config xunjian.yaml]"}
	}
	verb, args := args[0], args[1:]
	var file string
	if verb != "list" {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return usageError{fmt.Sprintf("xunjian accounts %s needs a file (.xlsx or .csv)", verb)}
		}
		file, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("accounts", flag.ContinueOnError)
	open := dbFlags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	st, _, err := open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "import":
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		rows, err := attachment.Rows(file, data)
		if err != nil {
			return err
		}
		accts, errs := scan.ParseRegister(rows)
		for _, e := range errs {
			fmt.Fprintf(stderr, "%s: %v\n", file, e)
		}
		for _, a := range accts {
			if _, err := st.SyncTarget(ctx, scan.TargetOf(a), time.Now()); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "已导入 %d 个账号", len(accts))
		if len(errs) > 0 {
			fmt.Fprintf(stdout, "，%d 行有误未导入（见上）", len(errs))
		}
		fmt.Fprintln(stdout)
		return nil
	case "export", "list":
		stored, err := st.Targets(ctx, "account")
		if err != nil {
			return err
		}
		var accts []scan.Account
		for _, t := range stored {
			accts = append(accts, scan.AccountOf(t))
		}
		rows := scan.RegisterRows(accts)
		if verb == "list" {
			return reports.WriteRows(stdout, rows)
		}
		for _, row := range rows[1:] {
			for i := range row {
				row[i] = reports.CellSafe(row[i])
			}
		}
		var b bytes.Buffer
		if err := reports.WriteWorkbook(&b, "政务新媒体账号", rows); err != nil {
			return err
		}
		if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已导出 %d 个账号到 %s\n", len(accts), file)
		return nil
	}
	return usageError{fmt.Sprintf("unknown accounts command %q (import, export, list)", verb)}
}
