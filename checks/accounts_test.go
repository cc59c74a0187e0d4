package checks

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/crawler"
)

func TestAccountFreshness(t *testing.T) {
	r := DefaultAccountRules()
	post := func(days int, pinned bool) crawler.Post {
		return crawler.Post{Title: "x", Published: now.AddDate(0, 0, -days), Pinned: pinned}
	}
	tests := []struct {
		name  string
		posts []crawler.Post
		rule  string
	}{
		{"fresh", []crawler.Post{post(2, false), post(20, false)}, ""},
		{"day 9 quiet", []crawler.Post{post(9, false)}, ""},
		{"day 10 warning", []crawler.Post{post(10, false)}, RuleAccountWarning},
		{"day 14 still inside", []crawler.Post{post(14, false)}, RuleAccountWarning},
		{"day 15 stale", []crawler.Post{post(15, false)}, RuleAccountStale},
		{"a fresh pinned post does not count", []crawler.Post{post(1, true), post(30, false)}, RuleAccountStale},
		{"nothing dated", []crawler.Post{{Title: "x"}}, RuleAccountNoPosts},
		{"dates present but unreadable: not judged", []crawler.Post{{Title: "x", DateText: "廿九日 晚"}}, RuleAccountDateUnreadable},
		{"one readable date is enough", []crawler.Post{{Title: "x", DateText: "廿九日 晚"}, post(3, false)}, ""},
		{"deleted posts are not posts", []crawler.Post{{Problem: "deleted"}, post(3, false)}, ""},
	}
	for _, tt := range tests {
		fs, _ := AccountFreshness("青溪发布", "http://x/feed", tt.posts, now, r)
		got := ""
		if len(fs) > 0 {
			got = fs[0].Rule
		}
		if got != tt.rule {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.rule)
		}
	}
	_, st := AccountFreshness("青溪发布", "http://x/feed", []crawler.Post{post(2, false), post(12, false), post(40, false), post(1, true)}, now, r)
	if st.Posts != 4 || st.InPeriod != 2 || st.LongestGap != 28*24*time.Hour {
		t.Errorf("stats %+v", st)
	}
}

func TestSourceUnreadable(t *testing.T) {
	f := SourceUnreadable("青溪城管", "http://x", &crawler.ReadError{URL: "http://x", Err: crawler.ErrNeedsCookie}, time.Second)
	if f.Category != AccountUnreachable || !strings.Contains(f.Message, "cookie") {
		t.Errorf("%+v", f)
	}
	f = SourceUnreadable("青溪城管", "http://x", &crawler.ReadError{URL: "http://x", Status: crawler.LinkStatus{Status: 404, Problem: crawler.HTTPError}}, time.Second)
	if !strings.Contains(f.Message, "HTTP 404") {
		t.Errorf("%+v", f)
	}
	// A raw Go error never reaches staff.
	if f := SourceUnreadable("x", "y", errors.New("dial tcp: address example]org:443: unexpected ']' in address"), time.Second); strings.Contains(f.Message, "dial") || !strings.Contains(f.Message, "网络错误") {
		t.Errorf("%+v", f)
	}
	notFeed := &crawler.ReadError{URL: "http://x", Err: fmt.Errorf("%w: XML syntax error on line 1", crawler.ErrNotFeed)}
	if f := SourceUnreadable("x", "y", notFeed, time.Second); strings.Contains(f.Message, "XML") || !strings.Contains(f.Message, "内容格式无法识别") {
		t.Errorf("%+v", f)
	}
}

func TestCommercialLinks(t *testing.T) {
	links := []string{"https://item.taobao.com/item.htm?id=1", "https://www.gov.cn/zhengce/", "https://mall.jd.com/index-1.html", "http://www.qxq.gov.cn/mall/x"}
	fs := CommercialLinks("http://x/p/1", links)
	if len(fs) != 2 || fs[0].Evidence != links[0] || fs[1].Evidence != links[2] || !fs[0].Suspected {
		t.Errorf("%+v", fs)
	}
}
