package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/xunjian/xunjian/checks"
)

// Notice is the 通报 (检查情况通报) of a period: what the office stamps and
// sends to its units and reports upward. WriteNoticeDOCX renders it.
type Notice struct {
	// The office's own lines (configuration: report:).
	Title      string // 青溪区政府网站与政务新媒体检查情况通报
	DocNumber  string // 文号 line, e.g. 青政办〔2026〕12号; "" for none
	Recipients string // 主送, e.g. 各街道办事处，区政府各部门：
	Issuer     string // the signature block's office, e.g. 青溪区人民政府办公室
	Contact    string // 联系人及电话; "" for none
	Date       time.Time
	Period     Period
	Overview   Overview
	// Scores are the scorecards at the period's end: sites, then accounts.
	Scores []Scorecard
	// Problems are the unresolved issues by category, most first, with
	// examples.
	Problems []CategoryProblems
	Units    []UnitRank
	// Deadline is the date by which units fix what the notice lists.
	Deadline time.Time
	// Trend is the district's health index by day over the period.
	Trend []TrendPoint
}

// Prev is the period before p, of the same kind: the quarter, month or
// year before.
func (p Period) Prev() Period {
	var prev Period
	switch {
	case strings.Contains(p.Key, "Q"):
		prev = QuarterOf(p.From.AddDate(0, -3, 0))
	case strings.Contains(p.Key, "-"):
		prev, _ = ParsePeriod(p.From.AddDate(0, -1, 0).Format("2006-01"), p.From.Location())
	case p.Key != "":
		prev, _ = ParsePeriod(p.From.AddDate(-1, 0, 0).Format("2006"), p.From.Location())
	}
	if prev.Key == "" { // a span of another kind: the same length before
		prev = Period{From: p.From.Add(-p.To.Sub(p.From)), To: p.From}
	}
	return prev
}

// Period is the span a notice, a ranking or a chart covers: [From, To).
type Period struct {
	Label    string // 2026年第四季度, 2026年11月, 2026年
	Key      string // 2026-Q4, 2026-11, 2026
	From, To time.Time
}

// Overview is the notice's 总体情况.
type Overview struct {
	Sites, Accounts int
	Pages           int // pages read by the period's last complete scans
	Scans           int // scans run in the period
	Found, Fixed    int // issues found, verified fixed in the period
	Open            int // unresolved at the period's end
	// Score is the portal's projected score (the first site's); Failed
	// counts the targets failing a veto item.
	Score  float64
	Failed int
}

// CategoryProblems are one category's unresolved issues with a few
// examples.
type CategoryProblems struct {
	Category checks.Category
	Count    int
	Examples []Example
}

// Example is one issue as a notice cites it.
type Example struct {
	Unit, Target, Title, URL, Evidence string
	FirstSeen                          time.Time
}

// UnitRank is one owning unit's line in the ranking (单位排名): rank 1 is
// the unit with the most trouble (veto-category issues, then overdue, then
// unresolved ones).
type UnitRank struct {
	Rank                      int
	Unit                      string
	Open, Overdue             int     // unresolved now; past their deadline
	Found, Fixed              int     // found, verified fixed in the period
	FixRate                   float64 // fixed ÷ (fixed + still open of those found), 0–1
	MedianDays                float64 // first seen → verified, of those verified in the period; 0 when none
	Vetoes                    int     // unresolved issues of veto categories
	PrevRank                  int     // in the previous period; 0 when not ranked then
	OpenChange, OverdueChange int     // versus the previous period's end
}

// OwnerKey is the unit as the issue list's owner filter takes it: "-"
// for issues without an owning unit.
func (u UnitRank) OwnerKey() string {
	if u.Unit == NoUnit {
		return "-"
	}
	return u.Unit
}

// HasFixRate reports whether the fix rate means anything: something was
// fixed or is unresolved (a unit whose issues were all ignored has none).
func (u UnitRank) HasFixRate() bool { return u.Fixed+u.Open > 0 }

// Change says 本期变化 in a few words: 较上期前移 2 位，未解决 +3.
func (u UnitRank) Change() string {
	return u.ChangeIn(fmt.Sprintf, "，")
}

// ChangeIn says 本期变化 in another language: format fills in each Chinese
// format string as that language writes it, sep joins the parts.
func (u UnitRank) ChangeIn(format func(zh string, args ...any) string, sep string) string {
	var parts []string
	switch {
	case u.PrevRank == 0:
		parts = append(parts, format("上期无问题"))
	case u.PrevRank > u.Rank: // toward the top: more trouble than others now
		parts = append(parts, format("较上期前移 %d 位", u.PrevRank-u.Rank))
	case u.PrevRank < u.Rank:
		parts = append(parts, format("较上期后移 %d 位", u.Rank-u.PrevRank))
	default:
		parts = append(parts, format("排名不变"))
	}
	if u.OpenChange != 0 {
		parts = append(parts, format("未解决 %+d", u.OpenChange))
	}
	if u.OverdueChange != 0 {
		parts = append(parts, format("逾期 %+d", u.OverdueChange))
	}
	return strings.Join(parts, sep)
}

// TrendPoint is a day's health index.
type TrendPoint struct {
	Day    time.Time
	Health int
	Score  float64
}
