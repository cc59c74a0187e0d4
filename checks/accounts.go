package checks

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xunjian/xunjian/crawler"
)

// AccountRules are the new-media freshness thresholds: no post within 14
// days fails the national check (some local plans: 10); warn earlier.
type AccountRules struct {
	Days     int
	WarnDays int
}

// DefaultAccountRules: 14 days, warned from day 10.
func DefaultAccountRules() AccountRules { return AccountRules{Days: 14, WarnDays: 10} }

// Account rules.
const (
	RuleAccountStale      = "stale_account.late"
	RuleAccountWarning    = "stale_account.warning"
	RuleAccountNoPosts    = "stale_account.no_posts"
	RuleAccountUnreadable = "account_unreachable.source"
	// RuleAccountDateUnreadable: posts read, their dates present but
	// unreadable — not judged, rather than called silent.
	RuleAccountDateUnreadable = "account_unreachable.date"
	RuleAccountDeleted        = "account_unreachable.deleted_post"
	RuleDeadPostLink          = "dead_link.post"
	RuleCommercialLink        = "dark_link.commercial"
)

// AccountStats describe an account's posting, for digests and yearly figures.
type AccountStats struct {
	Posts      int           // posts read
	InPeriod   int           // posts within the freshness window
	Newest     time.Time     // newest dated, non-pinned post
	LongestGap time.Duration // longest silence between dated posts read (and up to now)
}

// AccountFreshness judges an account's posts at now: the newest post that is
// not pinned must be at most Days old. The evidence (stable until the
// account posts again) names the newest post's date; the message says how
// long it has been silent.
func AccountFreshness(account, accountURL string, posts []crawler.Post, now time.Time, r AccountRules) ([]Finding, AccountStats) {
	var st AccountStats
	var dates []time.Time
	unreadable := ""
	for _, p := range posts {
		if p.Problem != "" {
			continue
		}
		st.Posts++
		if p.Published.IsZero() && p.DateText != "" && unreadable == "" {
			unreadable = p.DateText
		}
		if p.Pinned || p.Published.IsZero() || p.Published.After(now.Add(24*time.Hour)) {
			continue
		}
		dates = append(dates, p.Published)
		if now.Sub(p.Published) <= time.Duration(r.Days)*24*time.Hour {
			st.InPeriod++
		}
	}
	slices.SortFunc(dates, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(dates); i++ {
		st.LongestGap = max(st.LongestGap, dates[i].Sub(dates[i-1]))
	}
	if len(dates) == 0 && unreadable != "" {
		return []Finding{{Category: AccountUnreachable, Severity: Medium, URL: accountURL, Rule: RuleAccountDateUnreadable,
			Evidence: fmt.Sprintf("账号“%s”的发布时间“%s”", account, truncateRunes(unreadable, 40)),
			Message:  fmt.Sprintf("读到 %d 条内容，但发布时间无法识别，未判定是否按时更新；请检查订阅源的日期格式（如 2026-11-29 09:00 或 RFC 822）", st.Posts)}}, st
	}
	if len(dates) == 0 {
		return []Finding{{Category: StaleAccount, Severity: High, URL: accountURL, Rule: RuleAccountNoPosts,
			Evidence: "账号“" + account + "”无可读取的带日期发布",
			Message:  fmt.Sprintf("未读到任何带发布时间的内容（置顶内容不计），按未更新计；政务新媒体 %d 天内须有更新", r.Days)}}, st
	}
	st.Newest = dates[len(dates)-1]
	st.LongestGap = max(st.LongestGap, now.Sub(st.Newest))
	days := int(dayOf(now).Sub(dayOf(st.Newest.In(now.Location()))).Hours() / 24)
	ev := fmt.Sprintf("账号“%s”最近发布 %s", account, st.Newest.In(now.Location()).Format("2006-01-02"))
	switch {
	case days > r.Days:
		return []Finding{{Category: StaleAccount, Severity: High, URL: accountURL, Rule: RuleAccountStale, Evidence: ev,
			Message: fmt.Sprintf("已 %d 天未发布新内容（置顶内容不计），超过 %d 天即判定不合格", days, r.Days)}}, st
	case days >= r.WarnDays:
		return []Finding{{Category: StaleAccount, Severity: Medium, URL: accountURL, Rule: RuleAccountWarning, Evidence: ev,
			Message: fmt.Sprintf("预警：已 %d 天未发布新内容，超过 %d 天即判定不合格，还剩 %d 天", days, r.Days, r.Days-days)}}, st
	}
	return nil, st
}

// SourceUnreadable explains why an account's source could not be read.
func SourceUnreadable(account, accountURL string, err error, timeout time.Duration) Finding {
	return Finding{Category: AccountUnreachable, Severity: Medium, URL: accountURL, Rule: RuleAccountUnreadable,
		Evidence: "账号“" + account + "”", Message: "账号内容无法读取：" + ReadCause(err, timeout)}
}

// ReadCause says in Chinese why an account's source could not be read; the
// error itself (English, technical) is for the log.
func ReadCause(err error, timeout time.Duration) string {
	var re *crawler.ReadError
	switch {
	case errors.Is(err, crawler.ErrNeedsCookie):
		return "微博接口要求登录（返回 -100），请在配置中为该账号设置 cookie"
	case errors.Is(err, crawler.ErrBlocked):
		return "平台拦截了请求（HTTP 432 或“环境异常”验证页），请降低频率或改用订阅源"
	case errors.Is(err, crawler.ErrTooLarge):
		return "内容超过大小上限（crawl.max_body_bytes），未读取；请确认地址是订阅源，或调高上限"
	case errors.Is(err, crawler.ErrNotFeed):
		return "内容格式无法识别（不是 RSS/Atom/JSON 订阅源，或平台接口的回答已改变）"
	case errors.As(err, &re) && re.Status.Problem != crawler.NoProblem:
		return Cause(re.Status, timeout)
	case errors.As(err, &re) && re.Err != nil && strings.Contains(re.Err.Error(), "unsupported protocol"):
		return "地址格式错误"
	}
	return "无法访问（网络错误）"
}

// DeletedPosts reports WeChat articles that their publisher deleted while
// they are still listed.
func DeletedPosts(posts []crawler.Post) []Finding {
	var out []Finding
	for _, p := range posts {
		if p.Problem == "deleted" {
			out = append(out, Finding{Category: AccountUnreachable, Severity: Low, URL: p.Link, Rule: RuleAccountDeleted,
				Evidence: p.Link, Message: "文章已被发布者删除（“该内容已被发布者删除”），请核实并从提交的链接中移除"})
		}
	}
	return out
}

// commercialHosts are shops and ad networks: a government account linking
// to them is flagged for review.
var commercialHosts = []string{"taobao.com", "tmall.com", "jd.com", "pinduoduo.com", "yangkeduo.com", "weidian.com",
	"youzan.com", "1688.com", "vip.com", "suning.com", "kuaishou.com/shop", "mall.", "ad.", "ads.", "click."}

// CommercialLinks flags links from a post to shops and ad pages, for review.
func CommercialLinks(postURL string, links []string) []Finding {
	var out []Finding
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil {
			continue
		}
		hostPath := strings.ToLower(u.Host + u.Path)
		for _, h := range commercialHosts {
			if strings.HasSuffix(strings.ToLower(u.Hostname()), h) || strings.HasPrefix(strings.ToLower(u.Hostname()), h) ||
				(strings.Contains(h, "/") && strings.Contains(hostPath, h)) {
				out = append(out, Finding{Category: DarkLink, Severity: Low, Suspected: true, URL: postURL, Rule: RuleCommercialLink,
					Evidence: l, Message: "政务新媒体内容链接到商业/广告页面（" + u.Hostname() + "），请人工审核"})
				break
			}
		}
	}
	return out
}

// truncateRunes is s cut to n characters, with … when cut.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
