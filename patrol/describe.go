package patrol

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/schedule"
)

// Setting is one line of the effective configuration.
type Setting struct {
	Group, Name, Value string
}

// Describe is the effective configuration as the UI's settings page
// shows it: thresholds as the checks apply them (defaults filled in),
// schedules, crawl politeness and mail, without secrets. Names are in
// Chinese; the UI translates them. rulesVersion is the version of the
// rules loaded at start.
func Describe(cfg config.Config, rulesVersion string) []Setting {
	var out []Setting
	add := func(group, name, format string, args ...any) {
		out = append(out, Setting{Group: group, Name: name, Value: fmt.Sprintf(format, args...)})
	}
	ps := SettingsOf(cfg)
	cr, av, ac, pol := ps.Columns, ps.Availability, ps.Accounts, ps.Policy
	const th = "检查阈值"
	add(th, "首页更新", "%d 天内须有新信息（第 %d 天起预警）", cr.HomepageDays, cr.HomepageWarn)
	for _, c := range cr.Classes {
		if c.Days > 0 {
			add(th, "栏目更新", "%s：%d 天（关键词：%s）", c.Label, c.Days, strings.Join(c.Keywords, "、"))
		}
	}
	add(th, "栏目预警", "达到期限的 %.0f%% 时预警", 100*cr.WarnRatio)
	add(th, "可用性", "近 7 天探测失败率 %.0f%% 预警、%.0f%% 单项否决（至少 %d 次探测）", 100*av.WarnShare, 100*av.VetoShare, av.MinProbes)
	add(th, "政务新媒体更新", "%d 天内须有新发布（第 %d 天起预警）", ac.Days, ac.WarnDays)
	var fields []string
	for _, f := range pol.Required {
		fields = append(fields, checks.PolicyFieldLabel(f))
	}
	add(th, "政策文件必备要素", "%s", strings.Join(fields, "、"))
	const sc = "计划任务"
	add(sc, "时区", "%s", cfg.Timezone)
	add(sc, "夜间巡检", "%s", cron(cfg.Schedule.Scan))
	add(sc, "可用性探测", "%s", cron(cfg.Schedule.Probe))
	add(sc, "每周周报", "%s", cron(cfg.Schedule.Digest))
	add(sc, "数据清理", "%s，保留 %d 天", cron(cfg.Schedule.Housekeeping), cfg.Schedule.KeepDays)
	const cw = "抓取"
	cc := ps.Crawl
	add(cw, "User-Agent", "%s", cmp.Or(cc.UserAgent, "xunjian/0.1"))
	add(cw, "并发与间隔", "每个网站 %d 个连接，请求间隔 %s", cc.Concurrency, cc.Delay)
	add(cw, "超时与重试", "%s，重试 %d 次", cc.Timeout, cc.Retries)
	add(cw, "页面上限", "%d 页，深度 %d（0 为不限）", cc.MaxPages, cc.MaxDepth)
	if g := ps.Collapse; g.Ratio > 0 {
		add(cw, "页面骤减判定", "读取页面少于上次完整扫描的 %.0f%% 且至少少 %d 页时，不复查关闭任何问题", 100*g.Ratio, g.MinDrop)
	} else {
		add(cw, "页面骤减判定", "%s", "已关闭")
	}
	if n := ps.Nightly; n != nil {
		full := fmt.Sprintf("每 %d 天全面扫描一次", n.FullDays)
		if n.FullDays < 0 {
			full = "只在手动要求时全面扫描"
		}
		add(cw, "增量巡检", "%s；其间每晚访问首页、栏目、近 %d 天新增或修改的页面、有未解决问题的页面和失效链接，其余页面轮流访问，每个页面至少每 %d 天访问一次；正常链接每 %d 天复查",
			full, n.RecentDays, n.ArchiveDays, n.LinkDays)
	} else {
		add(cw, "增量巡检", "%s", "已关闭（每晚全面扫描）")
	}
	add(cw, "检查外部链接", "%s", map[bool]string{true: "是（只检查，不抓取）", false: "否"}[cc.CheckExternal])
	const ml = "周报邮件"
	if cfg.SMTP.Host == "" {
		add(ml, "发信服务器", "%s", "未配置（不发送周报，可在周报页预览）")
	} else {
		auth := "无"
		if cfg.SMTP.Username != "" {
			auth = cfg.SMTP.Username + "（密码已设置）"
		}
		add(ml, "发信服务器", "%s:%d（%s），登录：%s", cfg.SMTP.Host, cfg.SMTP.Port, cmp.Or(cfg.SMTP.Security, "starttls"), auth)
		add(ml, "发件人", "%s", cfg.SMTP.From)
	}
	add(ml, "监测人员（汇总）", "%s", strings.Join(cfg.Digest.Staff, ", "))
	switch base := cfg.LinkBase(); {
	case cfg.UIBaseURL != "":
		add(ml, "管理界面地址", "%s", cfg.UIBaseURL)
	case base != "":
		add(ml, "管理界面地址", "%s（未配置 ui_base_url，由 listen 推得）", base)
	default:
		add(ml, "管理界面地址", "%s", "未配置 ui_base_url：周报中的链接无法打开，不发送周报")
	}
	const other = "其他"
	add(other, "数据库", "%s", cfg.Database)
	dir := cfg.RulesDir
	if dir == "" {
		dir = "（仅内置规则）"
	}
	add(other, "规则目录", "%s，规则版本 %s（启动时）", dir, rulesVersion)
	dd := cfg.Triage.DeadlineDays
	days := func(n int) string {
		if n <= 0 {
			return "不设默认"
		}
		return fmt.Sprintf("%d 个工作日", n)
	}
	add("交办", "默认整改期限", "严重 %s，一般 %s，提示 %s（交办时未填期限的）", days(dd.High), days(dd.Medium), days(dd.Low))
	return out
}

// cron says a schedule in words (每天 02:30), with the expression as the
// configuration writes it.
func cron(expr string) string {
	if d := schedule.Describe(expr); d != expr {
		return d + "（" + expr + "）"
	}
	return expr
}
