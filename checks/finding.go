// Package checks holds the compliance logic: pure functions from what was
// fetched (crawler results, extracted pages) to findings. No network, no
// database, no clock: every check is easy to table-test.
package checks

import (
	"cmp"
	"slices"
	"strings"
)

// Category is a kind of problem. The values are a stable contract: the
// store, exports, digests and the scorecard use them (see DESIGN.md §3).
type Category string

// The finding categories and the national indicator each serves.
const (
	SiteUnreachable Category = "site_unreachable" // 站点无法访问
	HomepageStale   Category = "homepage_stale"   // 首页不更新
	StaleColumn     Category = "stale_column"     // 栏目不更新
	EmptyColumn     Category = "empty_column"     // 空白栏目
	DeadLink        Category = "dead_link"        // 链接可用性
	Typo            Category = "typo"             // 内容正确性
	SeriousError    Category = "serious_error"    // 严重表述错误
	ObsoleteName    Category = "obsolete_name"    // 政策文件信息内容不合规
	SensitiveWord   Category = "sensitive_word"   // 内容正确性
	Punctuation     Category = "punctuation"      // 内容正确性
	PrivacyLeak     Category = "privacy_leak"     // 个人信息保护
	PolicyMetadata  Category = "policy_metadata"  // 政策文件信息内容不合规
	DarkLink        Category = "dark_link"        // 安全
	Certificate     Category = "certificate"      // 安全
	// InteractionUnanswered: a consultation message unanswered past the
	// limit, or a channel that cannot be read or publishes no reply.
	InteractionUnanswered Category = "interaction_unanswered" // 互动回应差
	StaleAccount          Category = "stale_account"          // 政务新媒体 内容不更新
	AccountUnreachable    Category = "account_unreachable"    // 账号无法访问
)

// Categories lists every category in display order.
var Categories = []Category{
	SiteUnreachable, HomepageStale, StaleColumn, EmptyColumn, DeadLink, Typo, SeriousError,
	ObsoleteName, SensitiveWord, Punctuation, PrivacyLeak, PolicyMetadata, DarkLink, Certificate,
	InteractionUnanswered, StaleAccount, AccountUnreachable,
}

// Label is the category's Chinese name, as staff know it.
func (c Category) Label() string {
	switch c {
	case SiteUnreachable:
		return "站点无法访问"
	case HomepageStale:
		return "首页不更新"
	case StaleColumn:
		return "栏目不更新"
	case EmptyColumn:
		return "空白栏目"
	case DeadLink:
		return "链接不可用"
	case Typo:
		return "错别字"
	case SeriousError:
		return "严重表述错误"
	case ObsoleteName:
		return "过时名称/已废止法规"
	case SensitiveWord:
		return "敏感/慎用词"
	case Punctuation:
		return "标点符号"
	case PrivacyLeak:
		return "个人信息泄露"
	case PolicyMetadata:
		return "政策文件要素不合规"
	case DarkLink:
		return "暗链/不良链接"
	case Certificate:
		return "HTTPS 证书异常"
	case InteractionUnanswered:
		return "互动回应差"
	case StaleAccount:
		return "新媒体不更新"
	case AccountUnreachable:
		return "新媒体无法访问"
	}
	return string(c)
}

// Valid reports whether c is one of the known categories.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if k == c {
			return true
		}
	}
	return false
}

// Severity ranks findings: high ones are veto risks or on the home page.
type Severity string

const (
	High   Severity = "high"
	Medium Severity = "medium"
	Low    Severity = "low"
)

// Label is the severity's Chinese name.
func (s Severity) Label() string {
	switch s {
	case High:
		return "严重"
	case Medium:
		return "一般"
	case Low:
		return "提示"
	}
	return string(s)
}

// lower returns the next lower severity (for suspected findings).
func (s Severity) lower() Severity {
	switch s {
	case High:
		return Medium
	}
	return Low
}

// Finding is one problem seen by one scan.
type Finding struct {
	Category Category
	Severity Severity
	URL      string // the page where the problem is seen
	Evidence string // the offending text, or the dead link's target URL
	Message  string // Chinese explanation with the suggested fix
	Rule     string // the rule that fired, e.g. "dead_link.home"
	// Suspected marks a finding that needs a human look before it counts
	// (疑似): soft 404s, failures that may be transient.
	Suspected bool
	// Refs lists the pages that carry the problem when there are several
	// (every page linking to a dead target).
	Refs []Ref
	// Owner is the unit that must fix it: the column's owner from the
	// register, else the site's. Set by the scan, not by the checks.
	Owner string
	// Version is the rule set's version when a rule file's rule fired.
	Version string
	// Snapshot is the passage around the evidence as the page read when
	// found (a few lines; set by the scan): kept with the issue after the
	// page changes.
	Snapshot string
}

// Ref is one page where a finding is seen.
type Ref struct {
	Page   string `json:"page"`
	Anchor string `json:"anchor"`
	OnHome bool   `json:"on_home"`
}

// SortRefs orders the pages of a finding as it reports them: the home page
// first, then the shortest URL — the same page first scan after scan, so an
// issue keeps its URL.
func SortRefs(refs []Ref) {
	slices.SortFunc(refs, func(a, b Ref) int {
		if a.OnHome != b.OnHome {
			if a.OnHome {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(len(a.Page), len(b.Page)), strings.Compare(a.Page, b.Page))
	})
}
