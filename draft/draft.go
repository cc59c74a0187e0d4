// Package draft reads a draft before it is published — a text or HTML file
// in any Chinese encoding, or a .docx, .xlsx or .pdf — the way the patrol
// reads a page or an attachment, and finds the date it states for itself
// and the line of a finding: what `xunjian check` needs around the text
// checks.
package draft

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/charset"
	"github.com/xunjian/xunjian/crawler/extract"
)

// dateLabel introduces a document's own date; dateLine is a line that is
// only a date (the date under a 公文's signature).
var (
	dateLabel = regexp.MustCompile(`(成文日期|发布日期|印发日期|发文日期|发布时间)\s*[:：]\s*\S`)
	dateLine  = regexp.MustCompile(`(?m)^\s*[0-9０-９〇○零一二三四五六七八九]{4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日\s*$`)
	// attachments start the annexes after a 公文's signature.
	attachments = regexp.MustCompile(`(?m)^\s*附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?\s*$`)
)

// Date is the date a draft states for itself: the first labelled
// 成文日期/发布日期 … that is a date, else the signature's date — the last line
// that is only a date before any annex (附件). Dates after now are no
// document's date; dates in Chinese numerals (二〇〇四年三月五日) count.
func Date(text string, now time.Time) (time.Time, bool) {
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

// masks are the runs of * that stand for masked digits in an evidence.
var masks = regexp.MustCompile(`\*+`)

// Line is the line (1-based) where the evidence's text starts; masked
// digits (138****5678) match the digits they hide. 0 when not found.
func Line(text, evidence string) int {
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

// Text is the text of a draft: an office document's parts, or a text
// or HTML file in any Chinese encoding, decoded on the one path pages take.
func Text(file string, data []byte) (string, error) {
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
	text, err := read(file, data)
	if err == nil && strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%s：没有可检查的文字（空文件，或只有图片）", file)
	}
	return text, err
}

func read(file string, data []byte) (string, error) {
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
