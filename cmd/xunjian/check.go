package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strconv"
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
		set, err = loadRules(cfg)
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
	text, err := draftText(file, data)
	if err != nil {
		return exitError{2, err.Error()}
	}
	if *date == "" {
		// A document is judged at its own date when it states one: a 2004
		// notice naming 农业部 is right for 2004.
		if d, ok := textDate(text, now); ok {
			published = d
		}
	}
	found := scan.TextChecks(text, file, published, now, set)
	switch *format {
	case "json":
		type out struct {
			Category checks.Category `json:"category"`
			Severity checks.Severity `json:"severity"`
			Evidence string          `json:"evidence"`
			Message  string          `json:"message"`
			Rule     string          `json:"rule"`
			Line     int             `json:"line"`
		}
		list := make([]out, 0, len(found))
		for _, f := range found {
			list = append(list, out{f.Category, f.Severity, f.Evidence, f.Message, f.Rule, lineOf(text, f.Evidence)})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(list); err != nil {
			return err
		}
		return problems(found)
	case "table":
		if err := reports.WriteFindings(stdout, found, func(f checks.Finding) int { return lineOf(text, f.Evidence) }); err != nil {
			return err
		}
		return problems(found)
	}
	return usageError{fmt.Sprintf("--format %q: use table or json", *format)}
}

// dateLabel introduces a document's own date; dateLine is a line that is
// only a date (the date under a 公文's signature).
var (
	dateLabel = regexp.MustCompile(`(成文日期|发布日期|印发日期|发文日期|发布时间)\s*[:：]\s*\S`)
	dateLine  = regexp.MustCompile(`(?m)^\s*[0-9０-９〇○零一二三四五六七八九]{4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日\s*$`)
	// attachments start the annexes after a 公文's signature.
	attachments = regexp.MustCompile(`(?m)^\s*附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?\s*$`)
)

// textDate is the date a draft states for itself: the first labelled
// 成文日期/发布日期 … that is a date, else the signature's date — the last line
// that is only a date before any annex (附件). Dates after now are no
// document's date; dates in Chinese numerals (二〇〇四年三月五日) count.
func textDate(text string, now time.Time) (time.Time, bool) {
	for _, loc := range dateLabel.FindAllStringIndex(text, -1) {
		if d, ok := extract.ParseDate(text[loc[0]:min(len(text), loc[1]+40)], now, false); ok && !d.After(now) {
			return d, true
		}
	}
	body := text
	if loc := attachments.FindStringIndex(text); loc != nil {
		body = text[:loc[0]]
	}
	lines := dateLine.FindAllString(body, -1)
	for i := len(lines) - 1; i >= 0; i-- {
		if d, ok := extract.ParseDate(arabic(strings.Join(strings.Fields(lines[i]), "")), now, false); ok && !d.After(now) {
			return d, true
		}
	}
	return time.Time{}, false
}

// arabic writes a date in Chinese numerals with Arabic ones: 二〇〇四年三月
// 十五日 → 2004年3月15日.
func arabic(date string) string {
	digit := map[rune]int{'〇': 0, '○': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	var b strings.Builder
	var num []rune
	flush := func() {
		if len(num) == 0 {
			return
		}
		if !slices.Contains(num, '十') { // 二〇〇四: digit by digit
			for _, r := range num {
				b.WriteString(strconv.Itoa(digit[r]))
			}
		} else { // 十五, 二十, 二十五
			tens, ones := 1, 0
			if i := slices.Index(num, '十'); i > 0 {
				tens = digit[num[i-1]]
			}
			if i := slices.Index(num, '十'); i+1 < len(num) {
				ones = digit[num[i+1]]
			}
			b.WriteString(strconv.Itoa(tens*10 + ones))
		}
		num = num[:0]
	}
	for _, r := range date {
		if _, ok := digit[r]; ok || r == '十' {
			num = append(num, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// problems is the status of a checked draft: exit 1 when it has problems,
// so a publishing workflow can gate on it.
func problems(found []checks.Finding) error {
	if len(found) > 0 {
		return exitError{code: 1}
	}
	return nil
}

// masks are the runs of * that stand for masked digits in an evidence.
var masks = regexp.MustCompile(`\*+`)

// lineOf is the line (1-based) where the evidence's text starts; masked
// digits (138****5678) match the digits they hide. 0 when not found.
func lineOf(text, evidence string) int {
	// A quoted sentence cut short says so with …: look for the rest.
	evidence = strings.Trim(evidence, "…")
	i := strings.Index(text, evidence)
	if i < 0 && strings.Contains(evidence, "*") {
		var pat strings.Builder
		last := 0
		for _, m := range masks.FindAllStringIndex(evidence, -1) {
			pat.WriteString(regexp.QuoteMeta(evidence[last:m[0]]))
			fmt.Fprintf(&pat, "[0-9Xx]{%d}", m[1]-m[0])
			last = m[1]
		}
		pat.WriteString(regexp.QuoteMeta(evidence[last:]))
		if re, err := regexp.Compile(pat.String()); err == nil {
			if loc := re.FindStringIndex(text); loc != nil {
				i = loc[0]
			}
		}
	}
	if i < 0 {
		return 0
	}
	return strings.Count(text[:i], "\n") + 1
}

// draftText is the text of a draft: an office document's parts, or a text
// or HTML file in any Chinese encoding, decoded on the one path pages take.
func draftText(file string, data []byte) (string, error) {
	// What the bytes are, whatever the name says (a .docx piped to stdin).
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) && !attachment.Readable(file):
		file += ".docx"
		if bytes.Contains(data[:min(len(data), 4096)], []byte("xl/")) {
			file = strings.TrimSuffix(file, ".docx") + ".xlsx"
		}
	case bytes.HasPrefix(data, []byte("%PDF")) && !attachment.Readable(file):
		file += ".pdf"
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return "", fmt.Errorf("%s：旧版 Office 格式（.doc/.xls/.wps）无法读取，请另存为 .docx/.xlsx 后检查", file)
	}
	text, err := readDraft(file, data)
	if err == nil && strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%s：没有可检查的文字（空文件，或只有图片）", file)
	}
	return text, err
}

func readDraft(file string, data []byte) (string, error) {
	if attachment.Readable(file) {
		parts, err := attachment.Text(file, data)
		if errors.Is(err, attachment.ErrTooLarge) {
			slog.Warn("draft not read: past the reading bounds", "file", file, "err", err)
			return "", fmt.Errorf("%s：文件过大或已损坏（解压后超出读取上限），未检查", file)
		}
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
	if bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 && !bytes.HasPrefix(data, []byte("\xff\xfe")) && !bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return "", fmt.Errorf("%s：不是文本文件，也不是可读取的 .docx/.xlsx/.pdf", file)
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
