package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/charset"
	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler/extract"
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
// xunjian check [FILE|-] [--format table|json] [--rules DIR] [--date YYYY-MM-DD].
func cmdCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	format := fs.String("format", "table", "table or json")
	dir := fs.String("rules", "", "operator's rule folder (default: the built-in rules only)")
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
		return err
	}
	set, err := rules.Load(*dir)
	if err != nil {
		return err
	}
	now := time.Now()
	published := now
	if *date != "" {
		if published, err = time.Parse("2006-01-02", *date); err != nil {
			return usageError{fmt.Sprintf("--date %q: use YYYY-MM-DD", *date)}
		}
	}
	text, err := draftText(file, data)
	if err != nil {
		return err
	}
	found := scan.TextChecks(text, file, published, now, set)
	switch *format {
	case "json":
		type out struct {
			Category string `json:"category"`
			Severity string `json:"severity"`
			Evidence string `json:"evidence"`
			Message  string `json:"message"`
			Rule     string `json:"rule"`
			Line     int    `json:"line"`
		}
		list := make([]out, 0, len(found))
		for _, f := range found {
			list = append(list, out{string(f.Category), string(f.Severity), f.Evidence, f.Message, f.Rule, lineOf(text, f.Evidence)})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(list)
	case "table":
		return reports.WriteFindings(stdout, found, func(f checks.Finding) int { return lineOf(text, f.Evidence) })
	}
	return usageError{fmt.Sprintf("--format %q: use table or json", *format)}
}

// lineOf is the line (1-based) where the evidence's text starts, 0 when the
// evidence was rewritten (masked).
func lineOf(text, evidence string) int {
	i := strings.Index(text, evidence)
	if i < 0 {
		return 0
	}
	return strings.Count(text[:i], "\n") + 1
}

// draftText is the text of a draft: an office document's parts, or a text
// or HTML file in any Chinese encoding, decoded on the one path pages take.
func draftText(file string, data []byte) (string, error) {
	if attachment.Readable(file) {
		parts, err := attachment.Text(file, data)
		if err != nil {
			slog.Warn("draft unreadable", "file", file, "err", err)
			return "", fmt.Errorf("%s：文件已损坏或无法读取，未检查", file)
		}
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p.Text)
			b.WriteString("\n")
		}
		return b.String(), nil
	}
	decoded, _ := charset.Decode(data, "")
	lower := strings.ToLower(file)
	head := strings.ToLower(string(decoded[:min(len(decoded), 4096)]))
	if strings.HasSuffix(lower, ".html") || strings.HasSuffix(lower, ".htm") || strings.HasSuffix(lower, ".shtml") ||
		strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html") || strings.Contains(head, "<body") {
		doc := extract.Parse(decoded, nil)
		return doc.Title + "\n" + doc.Text, nil
	}
	return string(decoded), nil
}
