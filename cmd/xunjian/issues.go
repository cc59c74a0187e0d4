package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

func cmdIssues(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "ignore" || args[0] == "reopen") {
		return cmdIssueStatus(ctx, args[0], args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("issues", flag.ContinueOnError)
	open := dbFlags(fs)
	status := fs.String("status", "unresolved", "unresolved (every status that still needs work), all, or one status: "+statusNames())
	category := fs.String("category", "", "one category, e.g. dead_link")
	target := fs.String("target", "", "one site or account by name")
	format := fs.String("format", "table", "table, json, csv or xlsx (xlsx needs --output)")
	output := fs.String("output", "", "write to this file instead of standard output")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cat := checks.Category(*category)
	f := store.Filter{Target: *target, Category: cat}
	var ok bool
	if f.Statuses, ok = store.StatusFilter(*status); !ok {
		return usageError{fmt.Sprintf("--status %q: use unresolved, all, or one of %s", *status, statusNames())}
	}
	if cat != "" && !cat.Valid() {
		return usageError{fmt.Sprintf("--category %q is not a category; known: %s", *category, categoryNames())}
	}
	write, ok := reports.IssueWriter(*format)
	switch {
	case !ok:
		return usageError{fmt.Sprintf("--format %q: use table, json, csv or xlsx", *format)}
	case *format == "xlsx" && *output == "":
		return usageError{"--format xlsx writes a workbook: give it a file with --output 问题清单.xlsx"}
	}
	st, loc, err := open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Issues(ctx, f)
	if err != nil {
		return err
	}
	if *output == "" {
		return write(stdout, list, loc)
	}
	out, err := os.Create(*output)
	if err != nil {
		return err
	}
	if err := write(out, list, loc); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "已导出 %d 条问题到 %s\n", len(list), *output)
	return nil
}

func cmdIssueStatus(ctx context.Context, verb string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("issues "+verb, flag.ContinueOnError)
	open := dbFlags(fs)
	reason := fs.String("reason", "", "why (required to ignore)")
	by := fs.String("by", currentUser(), "who makes the change")
	// Accept the id before or after the flags.
	var idArg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		idArg, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if idArg == "" && fs.NArg() > 0 {
		idArg = fs.Arg(0)
	}
	id, err := strconv.ParseInt(idArg, 10, 64)
	if err != nil || id <= 0 {
		return usageError{fmt.Sprintf("issues %s needs an issue id (a number), got %q", verb, idArg)}
	}
	to := store.StatusReopened
	if verb == "ignore" {
		to = store.StatusIgnored
		if strings.TrimSpace(*reason) == "" {
			return usageError{`issues ignore needs --reason "…": say why it is a false positive`}
		}
	}
	st, _, err := open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetStatus(ctx, id, to, *by, *reason, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "问题 #%d 已标记为%s\n", id, to.Label())
	return nil
}

// dbFlags adds --config and --db to a command that only needs the
// database, and returns what opens it after the flags are parsed.
func dbFlags(fs *flag.FlagSet) func(context.Context) (*store.Store, *time.Location, error) {
	cfgPath := fs.String("config", "", "configuration file")
	dbPath := fs.String("db", "", "database file (instead of the configuration's)")
	return func(ctx context.Context) (*store.Store, *time.Location, error) {
		return openStore(ctx, *cfgPath, *dbPath)
	}
}

func openStore(ctx context.Context, cfgPath, dbPath string) (*store.Store, *time.Location, error) {
	loc := config.OfficeZone()
	if dbPath == "" {
		cfg, err := loadConfig(cfgPath)
		if err != nil {
			return nil, nil, err
		}
		dbPath, loc = cfg.Database, cfg.Location
	}
	st, err := store.Open(ctx, dbPath)
	return st, loc, err
}

func currentUser() string {
	for _, k := range []string{"SUDO_USER", "USER", "USERNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "cli"
}

func statusNames() string {
	var s []string
	for _, st := range store.Statuses {
		s = append(s, string(st))
	}
	return strings.Join(s, ", ")
}

func categoryNames() string {
	var s []string
	for _, c := range checks.Categories {
		s = append(s, string(c))
	}
	return strings.Join(s, ", ")
}

// cmdColumns shows the column register the last scans built.
func cmdColumns(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("columns", flag.ContinueOnError)
	open := dbFlags(fs)
	target := fs.String("target", "", "one site by name")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	st, loc, err := open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cols, err := st.Columns(ctx, *target)
	if err != nil {
		return err
	}
	return reports.WriteColumns(stdout, cols, time.Now().In(loc))
}
