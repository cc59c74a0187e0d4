package checks

import (
	"testing"
	"time"

	"github.com/xunjian/xunjian/rules"
)

// Correct local-government prose one edit from a protected term draws
// nothing; the misspelt forms beside them are serious errors.
func TestWording_ProtectedTerms(t *testing.T) {
	set := corpusRules(t)
	tests := []struct {
		text string
		want bool // a serious error
	}{
		{"全市人大代表视察民生实事项目", false},
		{"全区人大常委会召开会议", false},
		{"全省人民代表大会", false},
		{"坚持以市民为中心的发展思想", false},
		{"坚持以农民为中心", false},
		{"中央外事委员会", false},
		{"中国农民银行", false},
		{"市委常委、统战部部长刘国忠出席开幕式", false},
		{"张国青家中有四口人", false},
		{"他是个自信、乐观的人", false},
		{"这是个意识问题", false},
		{"公益诉讼检察完成立案32件", false},
		{"督导组检查院长值班制度落实情况", false},
		{"区人民检查院开展检察开放日活动", true},
		{"国务院副总理刘国忠出席", true},
		{"常态化开展扫黑险恶斗争", true},
		{"深入学习贯彻习近平近新时代中国特色社会主义思想", true},
		{"生态坏境部印发通知", true}, // a typo inside a protected name: serious
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Wording(tt.text, "x", time.Time{}, set) {
			if f.Category == SeriousError {
				got = append(got, f.Evidence+" "+f.Message)
			}
		}
		if (len(got) > 0) != tt.want {
			t.Errorf("%s: %q, want serious error %v", tt.text, got, tt.want)
		}
	}
}

// A configured leader named like a common slip (关健) is the leader.
func TestWording_ConfiguredLeaderIsNoTypo(t *testing.T) {
	set := corpusRules(t).WithLeaders([]rules.Leader{{Name: "关健", Titles: []string{"区长"}}, {Name: "刘国忠", Titles: []string{"副区长"}}})
	for _, text := range []string{"区长关健主持会议", "副区长刘国忠出席开幕式", "国务院副总理刘国中、副区长刘国忠出席"} {
		if fs := Wording(text, "x", time.Time{}, set); len(fs) != 0 {
			t.Errorf("%s: %+v", text, fs)
		}
	}
}
