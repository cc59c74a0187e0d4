package checks

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/extract"
)

// Dead-link rules. The rule is part of an issue's fingerprint, so it names
// where the link is (which does not change between scans), not why it fails
// (which may: a 404 today, a timeout tomorrow).
const (
	RuleDeadLinkHome     = "dead_link.home"              // in the home page's own content
	RuleDeadLinkPage     = "dead_link.page"              // in a page's content
	RuleDeadLinkTemplate = "dead_link.template"          // in the header/navigation/footer shared by many pages
	RuleMalformedLink    = "dead_link.malformed"         // an href too malformed to follow (https;//, an invisible character …)
	RuleUnreadAttachment = "dead_link.attachment_unread" // an attachment past the reading bounds: not read
	RuleStartUnreachable = "site_unreachable.scan"
)

// UnreadAttachmentText is what staff are told of an attachment that was
// not read because it expands past the reading bounds.
const UnreadAttachmentText = "附件过大或已损坏，未检查"

// UnreadAttachment is the finding for an attachment not read because it
// expands past the reading bounds: a compression bomb, a damaged file, or
// one far larger than any real attachment. Its text (personal data above
// all) was not checked. Suspected: it may open fine in Office, and a person
// should look before it counts.
func UnreadAttachment(url string) Finding {
	return Finding{Category: DeadLink, Severity: Low, Suspected: true, URL: url, Evidence: url, Rule: RuleUnreadAttachment,
		Message: UnreadAttachmentText + "：解压后过大、内容过多或读取超时，其中的文字（含个人信息）未经检查。请确认附件能正常打开，必要时重新导出或拆分后发布"}
}

// DeadLinks reports every link target the crawl found broken: once for each
// page whose content links to it, and once per site for a link in the
// template (header, navigation, footer) that every page repeats. A home page
// that cannot be fetched at all is a site_unreachable finding instead.
// timeout is the crawl's per-request timeout, quoted in messages.
func DeadLinks(res *crawler.Result, timeout time.Duration) []Finding {
	if res == nil || len(res.Targets) == 0 {
		return nil
	}
	var out []Finding
	start := res.Targets[res.Start]
	if start.Status.Broken() && start.Status.Problem != crawler.SoftNotFound {
		out = append(out, Finding{
			Category: SiteUnreachable, Severity: High, URL: start.URL, Evidence: start.URL,
			Rule:    RuleStartUnreachable,
			Message: "网站首页无法访问：" + Cause(start.Status, timeout),
		})
	}

	byTarget := map[int32][]crawler.Edge{}
	for e := range res.Edges.All() {
		if t := res.Targets[e.To]; t.Status.Broken() && e.To != res.Start {
			byTarget[e.To] = append(byTarget[e.To], e)
		}
	}
	for to, edges := range byTarget {
		t := res.Targets[to]
		var template []Ref
		pages := map[int32]bool{}
		for _, e := range edges {
			from := res.Targets[e.From]
			ref := Ref{Page: from.URL, Anchor: e.Anchor, OnHome: e.From == res.Start}
			if e.Boilerplate {
				template = append(template, ref)
				continue
			}
			if pages[e.From] {
				continue
			}
			pages[e.From] = true
			rule, sev := RuleDeadLinkPage, Medium
			if ref.OnHome {
				rule, sev = RuleDeadLinkHome, High
			}
			out = append(out, deadLink(t, rule, sev, []Ref{ref}, timeout))
		}
		if len(template) > 0 {
			SortRefs(template)
			template = slices.CompactFunc(template, func(a, b Ref) bool { return a.Page == b.Page })
			sev := Medium
			if template[0].OnHome {
				sev = High
			}
			out = append(out, deadLink(t, RuleDeadLinkTemplate, sev, template, timeout))
		}
	}
	slices.SortFunc(out, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.URL, b.URL), strings.Compare(a.Evidence, b.Evidence), strings.Compare(a.Rule, b.Rule))
	})
	return out
}

// BadLinks reports hrefs too malformed for a browser to follow where they
// meant: once per page that carries one, and once per site for one in the
// header, navigation or footer. The evidence is the href as written.
func BadLinks(res *crawler.Result) []Finding {
	if res == nil {
		return nil
	}
	type key struct {
		raw      string
		template bool
	}
	refs := map[key][]Ref{}
	reason := map[string]string{}
	var order []key
	for _, b := range res.BadLinks {
		from := res.Targets[b.From]
		ref := Ref{Page: from.URL, Anchor: b.Anchor, OnHome: b.From == res.Start}
		k := key{b.Raw, b.Boilerplate}
		if !k.template {
			k.raw += "\x00" + from.URL // one finding per page
		}
		if _, seen := refs[k]; !seen {
			order = append(order, k)
		}
		if !slices.ContainsFunc(refs[k], func(r Ref) bool { return r.Page == ref.Page }) {
			refs[k] = append(refs[k], ref)
		}
		reason[b.Raw] = b.Reason
	}
	var out []Finding
	for _, k := range order {
		rs := refs[k]
		raw, _, _ := strings.Cut(k.raw, "\x00")
		SortRefs(rs)
		msg := fmt.Sprintf("链接地址格式错误（%s），浏览器无法打开原本要链接的页面：“%s”", reason[raw], visible(raw))
		if rs[0].Anchor != "" {
			msg += fmt.Sprintf("；链接文字“%s”", rs[0].Anchor)
		}
		if k.template {
			msg += fmt.Sprintf("；位于页头/导航/页脚，共 %d 个页面引用", len(rs))
		}
		sev := Medium
		if rs[0].OnHome {
			sev = High
			msg += "（首页）"
		}
		out = append(out, Finding{Category: DeadLink, Severity: sev, URL: rs[0].Page, Evidence: raw, Rule: RuleMalformedLink, Message: msg, Refs: rs})
	}
	slices.SortFunc(out, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.URL, b.URL), strings.Compare(a.Evidence, b.Evidence))
	})
	return out
}

// visible shows the characters of an href a reader cannot see.
func visible(raw string) string {
	var b strings.Builder
	for _, r := range raw {
		switch {
		case r == 0x200b:
			b.WriteString("[零宽空格]")
		case r == 0xfeff:
			b.WriteString("[BOM]")
		case r < ' ' || (r >= 0x200c && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2060 && r <= 0x2064):
			fmt.Fprintf(&b, "[U+%04X]", r)
		case r == 0x3000:
			b.WriteString("[全角空格]")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func deadLink(t crawler.Target, rule string, sev Severity, refs []Ref, timeout time.Duration) Finding {
	what := "链接"
	switch t.Kind {
	case extract.Attachment:
		what = "附件"
	case extract.Image:
		what = "图片"
	case extract.Resource:
		what = "页面资源"
	}
	var b strings.Builder
	if t.Status.Suspected {
		b.WriteString("疑似")
	}
	fmt.Fprintf(&b, "%s无法访问：%s", what, Cause(t.Status, timeout))
	if a := refs[0].Anchor; a != "" {
		fmt.Fprintf(&b, "；链接文字“%s”", a)
	}
	if rule == RuleDeadLinkTemplate {
		where := "页头/导航/页脚"
		if len(refs) > 1 {
			fmt.Fprintf(&b, "；位于%s，共 %d 个页面引用", where, len(refs))
		} else {
			fmt.Fprintf(&b, "；位于%s", where)
		}
	}
	if refs[0].OnHome {
		b.WriteString("（首页）")
	}
	if t.Status.Suspected {
		sev = sev.lower()
	}
	return Finding{
		Category: DeadLink, Severity: sev, URL: refs[0].Page, Evidence: t.URL,
		Message: b.String(), Rule: rule, Suspected: t.Status.Suspected, Refs: refs,
	}
}

// Cause says in Chinese why a link does not work.
func Cause(s crawler.LinkStatus, timeout time.Duration) string {
	switch s.Problem {
	case crawler.HTTPError:
		return fmt.Sprintf("HTTP %d（%s）", s.Status, statusText(s.Status))
	case crawler.Timeout:
		if timeout <= 0 {
			return "连接超时"
		}
		return fmt.Sprintf("连接超时（%s）", seconds(timeout))
	case crawler.ConnReset:
		return "连接被重置"
	case crawler.ConnRefused:
		return "连接被拒绝（服务器未开放该端口）"
	case crawler.DNSFailure:
		return "域名无法解析"
	case crawler.RedirectLoop:
		return "重定向循环"
	case crawler.TooManyRedirects:
		return "重定向次数过多（超过 10 次）"
	case crawler.TLSFailure: // a bad certificate alone is a certificate finding, not a dead link
		return "加密连接握手失败"
	case crawler.SoftNotFound:
		if s.Detail == "redirected to the home page" {
			return "返回正常但被重定向到首页，原页面可能已删除"
		}
		return "返回正常但页面内容为“页面不存在”等错误提示"
	case crawler.BadURL:
		return "链接地址格式错误"
	case crawler.BadResponse:
		return "服务器响应不符合 HTTP 规范"
	case crawler.IntranetRedirect:
		return "外部链接跳转到内网地址（已拦截，未访问）"
	case crawler.RobotsBlocked:
		return "robots.txt 禁止抓取"
	case crawler.Unfinished:
		return "扫描中断，未完成检查"
	case crawler.NotChecked:
		return "超出抓取范围，未检查"
	case crawler.OffSite:
		return "站外链接，未检查"
	}
	// The underlying error (English, technical) goes to the log and the
	// link table, never into what staff read.
	return "无法访问（网络错误）"
}

func statusText(code int) string {
	switch code {
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusGone:
		return "页面已删除"
	case http.StatusForbidden:
		return "禁止访问"
	case http.StatusUnauthorized:
		return "需要登录"
	case http.StatusTooManyRequests:
		return "请求过多被限制"
	case http.StatusInternalServerError:
		return "服务器内部错误"
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "服务器暂时不可用"
	}
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "错误状态"
}

func seconds(d time.Duration) string {
	if d >= time.Second && d%time.Second == 0 {
		return fmt.Sprintf("%d秒", int(d/time.Second))
	}
	return d.String()
}
