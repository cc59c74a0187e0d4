package checks

import (
	"testing"
	"time"

	"github.com/xunjian/xunjian/crawler/extract"
)

func TestInteraction(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ago := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	msg := func(title string, asked, answered int, status string) extract.Message {
		m := extract.Message{Title: title, URL: "http://www.qxq.gov.cn/hdjl/" + title, Asked: ago(asked), Status: status}
		if answered >= 0 {
			m.Answered = ago(answered)
		}
		return m
	}
	r := DefaultInteractionRules()
	for _, tc := range []struct {
		name string
		ch   Channel
		want map[string]Severity // rule → severity; nil: nothing
	}{
		{"answered in time", Channel{Name: "领导信箱", Messages: []extract.Message{msg("a", 40, 30, "已回复")}}, nil},
		{"91 days unanswered", Channel{Name: "领导信箱", Messages: []extract.Message{msg("a", 91, -1, "未回复"), msg("b", 20, 10, "已回复")}},
			map[string]Severity{RuleMessageUnanswered: High}},
		{"90 days unanswered: still a warning", Channel{Name: "领导信箱", Messages: []extract.Message{msg("a", 90, -1, "办理中"), msg("b", 20, 10, "")}},
			map[string]Severity{RuleMessageUnanswered: Medium}},
		{"59 days: nothing yet", Channel{Name: "领导信箱", Messages: []extract.Message{msg("a", 59, -1, "未回复"), msg("b", 20, 10, "")}}, nil},
		{"answered after 100 days", Channel{Name: "咨询", Messages: []extract.Message{msg("a", 120, 20, "已办结")}},
			map[string]Severity{RuleMessageLateReply: High}},
		{"older than a year does not count", Channel{Name: "咨询", Messages: []extract.Message{msg("a", 400, -1, "未回复"), msg("b", 20, 10, "")}}, nil},
		{"replied by its state, no reply date", Channel{Name: "投诉", Messages: []extract.Message{msg("a", 200, -1, "已回复")}}, nil},
		{"a message waiting 61 days, no reply since", Channel{Name: "征集", Messages: []extract.Message{msg("a", 150, 120, "已回复"), msg("b", 61, -1, "")}},
			map[string]Severity{RuleChannelQuiet: Medium, RuleMessageUnanswered: Medium}},
		{"a message waiting 30 days after an old reply: not quiet yet", Channel{Name: "征集", Messages: []extract.Message{msg("a", 150, 120, "已回复"), msg("b", 30, -1, "")}}, nil},
		{"nothing waiting, the last reply long ago: not quiet", Channel{Name: "区长信箱", Messages: []extract.Message{msg("a", 75, 73, "已办结"), msg("b", 120, 118, "已办结")}}, nil},
		{"a channel unreachable", Channel{Name: "领导信箱", URL: "http://www.qxq.gov.cn/ldxx/", Unreadable: "HTTP 404"},
			map[string]Severity{RuleChannelUnreadable: Medium}},
		{"a message dated in the future is no message", Channel{Name: "咨询", Messages: []extract.Message{msg("a", -3, -1, "未回复")}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, _ := Interaction([]Channel{tc.ch}, r, now)
			got := map[string]Severity{}
			for _, f := range fs {
				got[f.Rule] = f.Severity
				if f.Category != InteractionUnanswered || f.Message == "" || f.Evidence == "" {
					t.Errorf("finding %+v", f)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("findings %v, want %v", got, tc.want)
			}
			for rule, sev := range tc.want {
				if got[rule] != sev {
					t.Errorf("%s: %q, want %q (all %v)", rule, got[rule], sev, got)
				}
			}
		})
	}
	_, st := Interaction([]Channel{{Messages: []extract.Message{msg("a", 40, 30, ""), msg("b", 40, 20, ""), msg("c", 10, -1, "")}}}, r, now)
	if st.Messages != 3 || st.Answered != 2 || st.Unanswered != 1 || st.MedianDays != 15 {
		t.Errorf("stats %+v", st)
	}
}
