package patrol

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/scan"
)

// progressPrinter shows the crawl live: on a terminal one line rewritten in
// place, elsewhere (logs, CI) a line every ten seconds.
func progressPrinter(w io.Writer, name string) func(crawler.Progress) {
	tty := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	var last time.Time
	return func(p crawler.Progress) {
		rate := 0.0
		if s := p.Elapsed.Seconds(); s > 0 {
			rate = float64(p.Pages) / s
		}
		line := fmt.Sprintf("%s：已抓取页面 %d，待抓取 %d，已检查链接 %d，%.1f 页/秒，用时 %s",
			name, p.Pages, p.Queued, p.Links, rate, p.Elapsed.Round(time.Second))
		if tty {
			fmt.Fprintf(w, "\r\033[K%s", line)
			if p.Queued == 0 {
				fmt.Fprintln(w)
			}
			return
		}
		if time.Since(last) >= 10*time.Second || p.Queued == 0 {
			last = time.Now()
			fmt.Fprintln(w, line)
		}
	}
}

func printReport(w io.Writer, r scan.Report) {
	s := r.Stats
	mode := ""
	if r.Incremental {
		mode = "（增量巡检）"
	}
	fmt.Fprintf(w, "巡检完成：%s，扫描 #%d%s：%s\n", r.Target, r.ScanID, mode, r.Status.Label())
	if r.HomeUnreachable != "" {
		fmt.Fprintf(w, "  首页无法访问：%s；本次未复查关闭任何问题\n", r.HomeUnreachable)
	}
	fmt.Fprintf(w, "  页面 %d 个，链接 %d 个（失效 %d 个），请求 %d 次，%.1f MB，用时 %s\n",
		s.Pages, s.Links, r.Broken, s.Requests, float64(s.Bytes)/(1<<20), s.Elapsed.Round(10*time.Millisecond))
	if r.Incremental {
		fmt.Fprintf(w, "  增量巡检：%d 个页面未变化，%d 个已知地址沿用上次结果；可复查问题 %d 个，未变化页面上的问题 %d 个；未访问页面上的问题保持不变\n",
			s.Unchanged, s.Carried, r.Judged, r.Carried)
	}
	fmt.Fprintf(w, "  问题：新增 %d，仍存在 %d，复查通过 %d，重新出现 %d", r.Summary.New, r.Summary.StillOpen, r.Summary.Verified, r.Summary.Reopened)
	if r.Summary.Ignored > 0 {
		fmt.Fprintf(w, "，已忽略 %d", r.Summary.Ignored)
	}
	fmt.Fprintln(w)
	if n := r.CollapseNote(); n != "" {
		fmt.Fprintf(w, "  注意：%s。如网站确已精简，可运行 xunjian scan --target %s --accept-fewer-pages 以本次为新基准。\n", n, r.Target)
	}
	var skipped []string
	if s.RobotsSkipped > 0 {
		skipped = append(skipped, fmt.Sprintf("robots.txt 禁止 %d", s.RobotsSkipped))
	}
	if s.TrapSkipped > 0 {
		skipped = append(skipped, fmt.Sprintf("疑似爬虫陷阱 %d（%s）", s.TrapSkipped, strings.Join(s.TrapPaths, "，")))
	}
	if s.DepthSkipped > 0 {
		skipped = append(skipped, fmt.Sprintf("超过最大深度 %d", s.DepthSkipped))
	}
	if s.PagesCapped > 0 {
		skipped = append(skipped, fmt.Sprintf("超过页面上限 %d", s.PagesCapped))
	}
	if len(skipped) > 0 {
		fmt.Fprintf(w, "  未抓取：%s\n", strings.Join(skipped, "；"))
	}
	if s.Rechecked > 0 {
		fmt.Fprintf(w, "  临时故障复查：%d 个链接\n", s.Rechecked)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "  注意：%s\n", n)
	}
	if len(r.Columns) > 0 {
		judged, exempt := 0, 0
		for _, c := range r.Columns {
			switch {
			case c.Class == "exempt":
				exempt++
			case c.Days > 0:
				judged++
			}
		}
		fmt.Fprintf(w, "  栏目 %d 个（按时限考核 %d，不考核 %d，未分类 %d）\n", len(r.Columns), judged, exempt, len(r.Columns)-judged-exempt)
		fmt.Fprintf(w, "  单项否决线（栏目不更新）：超期栏目 %d/5，长期未更新 %d/10，空白栏目 %d/5%s\n",
			r.Veto.Late, r.Veto.LongNotUpdated, r.Veto.Empty, vetoMark(r.Veto))
	}
	if r.Documents > 0 || r.Attachments > 0 {
		fmt.Fprintf(w, "  政策文件 %d 件；读取附件 %d 个（%.1f KB，解析与检查用时 %s", r.Documents, r.Attachments,
			float64(r.AttachmentBytes)/1024, r.AttachmentTime.Round(time.Millisecond))
		if r.AttachmentFails > 0 {
			fmt.Fprintf(w, "，%d 个无法解析", r.AttachmentFails)
		}
		fmt.Fprintln(w, "）")
	}
	if r.Channels > 0 {
		in := r.Interaction
		median := "无"
		if in.MedianDays > 0 {
			median = fmt.Sprintf("%.1f 天", in.MedianDays)
		}
		fmt.Fprintf(w, "  互动回应：渠道 %d 个，近一年留言 %d 条，已回复 %d 条，未回复 %d 条，回复用时中位数 %s\n",
			r.Channels, in.Messages, in.Answered, in.Unanswered, median)
	}
	if r.ProbeTotal > 0 {
		fmt.Fprintf(w, "  单项否决线（站点无法访问）：近 7 天首页探测 %d 次，失败 %d 次（%.1f%%/5%%）\n",
			r.ProbeTotal, r.ProbeFailed, 100*float64(r.ProbeFailed)/float64(r.ProbeTotal))
	} else {
		fmt.Fprintln(w, "  站点可用性：近 7 天无探测记录（xunjian probe 每 30 分钟探测一次首页）")
	}
}

// PrintProbe says what a probe found, in Chinese.
func PrintProbe(w io.Writer, r scan.ProbeReport, timeout time.Duration) {
	state := fmt.Sprintf("首页可访问（HTTP %d，%.2f 秒）", r.Status.Status, r.Took.Seconds())
	if !r.OK() {
		state = "首页无法访问：" + checks.Cause(r.Status, timeout)
	}
	fmt.Fprintf(w, "%s：%s；近 7 天探测 %d 次，失败 %d 次（%.1f%%）\n", r.Target, state, r.Total, r.Failed,
		100*float64(r.Failed)/float64(max(r.Total, 1)))
}

func vetoMark(v checks.Veto) string {
	if v.Late >= 5 || v.LongNotUpdated >= 10 || v.Empty >= 5 {
		return "  ⚠ 已达否决线"
	}
	return ""
}

// printAccounts says what the accounts' scans found, in Chinese; dates in
// the office's zone.
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

// printScores says the projected score of the sites just scanned, and how
// many of the accounts just scanned fail a veto item.
func printScores(w io.Writer, cards []reports.Scorecard, sites []scan.Site, accts []scan.Account) {
	scanned := map[string]bool{}
	for _, s := range sites {
		scanned[s.Name] = true
	}
	for _, a := range accts {
		scanned[a.Name] = true
	}
	failing := map[string]int{}
	nAccounts := 0
	for _, c := range cards {
		if !scanned[c.Target] {
			continue
		}
		if c.Kind == "account" {
			nAccounts++
			for _, name := range c.VetoNames(reports.VetoFailed) {
				failing[name]++
			}
			continue
		}
		fmt.Fprintf(w, "考评预估：%s 预估得分 %.1f（另有 %.0f 分需人工评估），健康指数 %d", c.Target, c.Score, c.Manual, c.Health)
		if names := c.VetoNames(reports.VetoFailed); len(names) > 0 {
			fmt.Fprintf(w, "；单项否决：%s", strings.Join(names, "、"))
		}
		if names := c.VetoNames(reports.VetoRisk); len(names) > 0 {
			fmt.Fprintf(w, "；临界预警：%s", strings.Join(names, "、"))
		}
		fmt.Fprintln(w)
	}
	if nAccounts > 0 && len(failing) > 0 {
		var parts []string
		for name, n := range failing {
			parts = append(parts, fmt.Sprintf("%s %d 个", name, n))
		}
		slices.Sort(parts)
		fmt.Fprintf(w, "考评预估：政务新媒体 %d 个，单项否决：%s\n", nAccounts, strings.Join(parts, "，"))
	}
}
