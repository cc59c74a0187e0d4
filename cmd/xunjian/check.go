package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/draft"
	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/rules"
	"github.com/xunjian/xunjian/scan"
)

// cmdRules validates rule files: xunjian rules check [DIR].
func cmdRules(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return usageError{"usage: xunjian rules check [DIR]"}
	}
	dir := ""
	if len(args) > 1 {
		dir = args[1]
	}
	if err := rules.Check(dir); err != nil {
		return err
	}
	set, _ := rules.Load(dir)
	counts := map[rules.Kind]int{}
	for _, r := range set.Rules {
		counts[r.Kind]++
	}
	fmt.Fprintf(stdout, "规则文件无误（版本 %s）：错别字 %d，严重错误 %d，过时机构名称 %d，已废止法规 %d，慎用词 %d，白名单 %d\n",
		set.Version, counts[rules.Typo], counts[rules.Serious], counts[rules.Obsolete], counts[rules.Law], counts[rules.Sensitive], len(set.Allow))
	return nil
}

// cmdCheck runs every text check on a draft before it is published:
// xunjian check [FILE|-] [--format table|json] [--rules DIR] [--config F] [--date YYYY-MM-DD].
func cmdCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	format := fs.String("format", "table", "table or json")
	dir := fs.String("rules", "", "operator's rule folder (default: the built-in rules only, or the configuration's)")
	cfgPath := fs.String("config", "", "judge as the patrol does: the configuration's rules_dir, leaders and suspect_confidence")
	date := fs.String("date", "", "publication date for old-name checks (default: today)")
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") || len(args) > 0 && args[0] == "-" {
		file, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	var data []byte
	var err error
	if file == "" || file == "-" {
		data, err = io.ReadAll(stdin)
		file = "-"
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		slog.Warn("draft unreadable", "file", file, "err", err)
		why := "无法读取"
		if errors.Is(err, os.ErrNotExist) {
			why = "文件不存在"
		}
		return exitError{2, fmt.Sprintf("%s：%s，未检查", file, why)}
	}
	var set *rules.Set
	if *cfgPath != "" {
		cfg, err := loadConfig(*cfgPath)
		if err != nil {
			return exitError{2, err.Error()}
		}
		if *dir != "" {
			cfg.RulesDir = *dir
		}
		set, err = patrol.LoadRules(cfg)
		if err != nil {
			return exitError{2, err.Error()}
		}
	} else if set, err = rules.Load(*dir); err != nil {
		return exitError{2, err.Error()}
	}
	now := time.Now()
	published := now
	if *date != "" {
		if published, err = time.Parse("2006-01-02", *date); err != nil {
			return usageError{fmt.Sprintf("--date %q: use YYYY-MM-DD", *date)}
		}
	}
	text, err := draft.Text(file, data)
	if err != nil {
		return exitError{2, err.Error()}
	}
	if *date == "" {
		// A document is judged at its own date when it states one: a 2004
		// notice naming 农业部 is right for 2004.
		if d, ok := draft.Date(text, now); ok {
			published = d
		}
	}
	found := scan.TextChecks(text, file, published, now, set)
	line := func(f checks.Finding) int { return draft.Line(text, f.Evidence) }
	switch *format {
	case "json":
		err = reports.WriteFindingsJSON(stdout, found, line)
	case "table":
		err = reports.WriteFindings(stdout, found, line)
	default:
		return usageError{fmt.Sprintf("--format %q: use table or json", *format)}
	}
	if err != nil {
		return err
	}
	if len(found) > 0 {
		return exitError{code: 1} // a publishing workflow gates on it
	}
	return nil
}
