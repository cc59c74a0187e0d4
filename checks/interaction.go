package checks

import (
	"fmt"
	"slices"
	"time"

	"github.com/xunjian/xunjian/crawler/extract"
)

// Interaction rules (互动回应, a veto item: a consultation message
// unanswered for more than 3 months within the last year, or no working
// consultation channel).
const (
	// RuleMessageUnanswered is a message unanswered close to the limit
	// (medium) or past it (high): one rule, so the issue a warning opened
	// is the one that turns severe (its owner, deadline and history kept),
	// not a fix and a new issue.
	RuleMessageUnanswered = "interaction_unanswered.unanswered"
	RuleMessageLateReply  = "interaction_unanswered.answered_late" // answered, but after the limit
	RuleChannelUnreadable = "interaction_unanswered.channel"       // a channel's page cannot be read
	RuleChannelQuiet      = "interaction_unanswered.no_reply"      // a message waits, and no reply since it came
)

// InteractionRules are the limits of 互动回应. Defaults:
// DefaultInteractionRules.
type InteractionRules struct {
	LimitDays int // a message unanswered (or answered) after this many days fails the site (90: 3 months)
	WarnDays  int // an unanswered message this old is warned of
	// QuietDays: a channel whose newest reply is older than this (while
	// it has messages) has stopped answering.
	QuietDays int
	// YearDays: only messages asked within this many days count (the
	// indicator looks at the last year).
	YearDays int
	// Keywords name a channel in a column name, breadcrumb or title.
	Keywords []string
}

// DefaultInteractionRules are the indicator's: 3 months, warned at 2; a
// channel quiet for 2 months (the deduction a 2019 self-check quotes);
// the last year's messages.
func DefaultInteractionRules() InteractionRules {
	return InteractionRules{LimitDays: 90, WarnDays: 60, QuietDays: 60, YearDays: 365,
		Keywords: []string{"留言", "咨询", "信箱", "投诉", "征集", "问政", "互动", "建议", "来信", "热线"}}
}

// Channel is one consultation channel of a site, with the messages its
// pages show.
type Channel struct {
	Name, URL string
	// Unreadable says why the channel's page could not be read ("" when
	// it was).
	Unreadable string
	Messages   []extract.Message
}

// InteractionStats sum up the replies: for the 考评 and the notice.
type InteractionStats struct {
	Messages, Answered, Unanswered int
	MedianDays                     float64 // asked → answered, of the answered ones with both dates
}

// Interaction judges the channels at now.
func Interaction(chs []Channel, r InteractionRules, now time.Time) ([]Finding, InteractionStats) {
	var out []Finding
	var st InteractionStats
	var days []float64
	since := now.AddDate(0, 0, -r.YearDays)
	for _, ch := range chs {
		if ch.Unreadable != "" {
			// Medium: whether the site has another working channel (perhaps
			// on the city's platform) is for a person to say.
			out = append(out, Finding{Category: InteractionUnanswered, Severity: Medium, URL: ch.URL, Rule: RuleChannelUnreadable,
				Evidence: ch.Name, Message: fmt.Sprintf("互动渠道“%s”无法访问（%s）；请恢复，或在网站上说明可用的咨询渠道", ch.Name, ch.Unreadable)})
			continue
		}
		var newestReply time.Time
		var waiting []time.Time // when the unanswered messages were asked
		seen := map[string]bool{}
		for _, m := range ch.Messages {
			key := m.URL + "\x00" + m.Title
			if seen[key] || m.Asked.IsZero() || m.Asked.Before(since) || m.Asked.After(now) {
				continue
			}
			seen[key] = true
			st.Messages++
			age := int(now.Sub(m.Asked).Hours() / 24)
			ev := fmt.Sprintf("%s（留言 %s）", m.Title, m.Asked.Format("2006-01-02"))
			switch {
			case m.Replied():
				st.Answered++
				if m.Answered.IsZero() {
					continue
				}
				if m.Answered.After(newestReply) {
					newestReply = m.Answered
				}
				took := m.Answered.Sub(m.Asked).Hours() / 24
				days = append(days, took)
				if int(took) > r.LimitDays {
					out = append(out, Finding{Category: InteractionUnanswered, Severity: High, URL: m.URL, Rule: RuleMessageLateReply, Evidence: ev,
						Message: fmt.Sprintf("留言 %d 天后才答复（%s），超过 %d 天（3 个月）即单项否决", int(took), m.Answered.Format("2006-01-02"), r.LimitDays)})
				}
			case age > r.LimitDays:
				st.Unanswered++
				waiting = append(waiting, m.Asked)
				out = append(out, Finding{Category: InteractionUnanswered, Severity: High, URL: m.URL, Rule: RuleMessageUnanswered, Evidence: ev,
					Message: fmt.Sprintf("留言已 %d 天未回复%s，超过 %d 天（3 个月）即单项否决；请尽快答复并公开", age, state(m), r.LimitDays)})
			case age >= r.WarnDays:
				st.Unanswered++
				waiting = append(waiting, m.Asked)
				out = append(out, Finding{Category: InteractionUnanswered, Severity: Medium, URL: m.URL, Rule: RuleMessageUnanswered, Evidence: ev,
					Message: fmt.Sprintf("预警：留言已 %d 天未回复%s，超过 %d 天即单项否决，还剩 %d 天", age, state(m), r.LimitDays, r.LimitDays-age)})
			default:
				st.Unanswered++
				waiting = append(waiting, m.Asked)
			}
		}
		// Quiet: a message waits since before the last reply's quiet span
		// ended — the channel has messages to answer and answered none for
		// QuietDays. A mailbox with nothing waiting is not quiet, however
		// old its last reply.
		// Quiet: a message has waited QuietDays with no reply published
		// since it came. A mailbox with nothing waiting is not quiet,
		// however old its last reply.
		quiet := false
		for _, asked := range waiting {
			quiet = quiet || asked.After(newestReply) && int(now.Sub(asked).Hours()/24) > r.QuietDays
		}
		if quiet {
			last := "从未公开答复"
			if !newestReply.IsZero() {
				last = "最近一次答复在 " + newestReply.Format("2006-01-02")
			}
			out = append(out, Finding{Category: InteractionUnanswered, Severity: Medium, URL: ch.URL, Rule: RuleChannelQuiet, Evidence: ch.Name,
				Message: fmt.Sprintf("互动渠道“%s”%d 天内未公开答复任何留言（%s）", ch.Name, r.QuietDays, last)})
		}
	}
	if len(days) > 0 {
		slices.Sort(days)
		st.MedianDays = days[len(days)/2]
		if len(days)%2 == 0 {
			st.MedianDays = (days[len(days)/2-1] + days[len(days)/2]) / 2
		}
	}
	return out, st
}

// state says a message's written state, when it has one.
func state(m extract.Message) string {
	if m.Status == "" {
		return ""
	}
	return "（状态：" + m.Status + "）"
}
