package extract

import (
	"net/url"
	"testing"
	"time"
)

// messages parses a page and reads its messages.
func messages(t *testing.T, page string) []Message {
	t.Helper()
	u, _ := url.Parse("http://www.qxq.gov.cn/hdjl/ldxx/")
	return ParseWith([]byte(page), u, Options{Now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}).Messages
}

func TestMessages_Layouts(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, tc := range []struct {
		name, page string
		want       []Message
	}{
		{"a JCMS 领导信箱 table", `<html><body><table class="xjlb">
			<tr><th>编号</th><th>信件标题</th><th>来信时间</th><th>回复时间</th><th>办理状态</th></tr>
			<tr><td>20260701001</td><td><a href="art/2026/7/1/art_1.html">关于小区停车难的反映</a></td><td>2026-07-01</td><td>2026-07-15</td><td>已办结</td></tr>
			<tr><td>20260802003</td><td><a href="art/2026/8/2/art_3.html">关于学区划分的咨询</a></td><td>2026-08-02</td><td></td><td>办理中</td></tr>
			</table></body></html>`,
			[]Message{{Title: "关于小区停车难的反映", URL: "http://www.qxq.gov.cn/hdjl/ldxx/art/2026/7/1/art_1.html", Asked: day("2026-07-01"), Answered: day("2026-07-15"), Status: "已办结"},
				{Title: "关于学区划分的咨询", URL: "http://www.qxq.gov.cn/hdjl/ldxx/art/2026/8/2/art_3.html", Asked: day("2026-08-02"), Status: "办理中"}}},
		{"a TRS list with states", `<html><body><ul class="list">
			<li><span class="zt">[已回复]</span><a href="./202607/t20260701_11.html">关于路灯维修的咨询</a><span class="date">2026-07-01</span></li>
			<li><span class="zt">[未回复]</span><a href="./202608/t20260805_12.html">关于噪音扰民的投诉</a><span class="date">2026-08-05</span></li>
			</ul></body></html>`,
			[]Message{{Title: "关于路灯维修的咨询", URL: "http://www.qxq.gov.cn/hdjl/ldxx/202607/t20260701_11.html", Asked: day("2026-07-01"), Status: "已回复"},
				{Title: "关于噪音扰民的投诉", URL: "http://www.qxq.gov.cn/hdjl/ldxx/202608/t20260805_12.html", Asked: day("2026-08-05"), Status: "未回复"}}},
		{"a message's own page", `<html><head><title>关于路灯维修的咨询_领导信箱</title></head><body><div class="hdjl">
			<p>来信标题：关于路灯维修的咨询</p><p>来信时间：2026-07-01 10:20</p><p>办理状态：已回复</p>
			<p>回复单位：区城管局</p><p>回复时间：2026-07-10</p><p>回复内容：已安排维修。</p></div></body></html>`,
			[]Message{{Title: "关于路灯维修的咨询", URL: "http://www.qxq.gov.cn/hdjl/ldxx/", Asked: time.Date(2026, 7, 1, 10, 20, 0, 0, time.UTC), Answered: day("2026-07-10"), Status: "已回复"}}},
		{"a message's page in a table", `<html><head><title>留言详情</title></head><body><table>
			<tr><td>留言标题</td><td>关于公交线路的建议</td></tr><tr><td>留言时间</td><td>2026-06-20</td></tr>
			<tr><td>回复时间</td><td></td></tr></table></body></html>`,
			[]Message{{Title: "关于公交线路的建议", URL: "http://www.qxq.gov.cn/hdjl/ldxx/", Asked: day("2026-06-20")}}},
		// Traps: correct pages that show no message.
		{"a news article about the mailbox", `<html><body><p>市民可通过领导信箱留言，留言时间为工作日，区政府将在5个工作日内答复。</p><p>发布时间：2026-11-20</p></body></html>`, nil},
		{"a policy list", `<html><body><table><tr><th>标题</th><th>发布日期</th><th>状态</th></tr>
			<tr><td><a href="a.html">关于印发某办法的通知</a></td><td>2026-07-01</td><td>有效</td></tr></table></body></html>`, nil},
		{"a consultation notice (its opinions are sent within a span)", `<html><head><title>关于公开征求意见的公告</title></head><body>
			<p>为广泛听取社会各界意见建议，现将征求意见稿全文公布。</p><p>意见提交时间：2026年7月1日至2026年7月31日</p><p>联系电话：0571-88880000</p></body></html>`, nil},
		{"an interview's questions (answered on the page)", `<html><head><title>在线访谈</title></head><body><p>网友“青溪家长”提问：学区如何划分？</p>
			<p>提问时间：2026-06-15 10:23</p><p>嘉宾：学区划分以就近入学为原则。</p></body></html>`, nil},
		{"a news list", `<html><body><ul><li><a href="a.html">区长接待日活动顺利开展</a><span>2026-07-01</span></li></ul></body></html>`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := messages(t, tc.page)
			if len(got) != len(tc.want) {
				t.Fatalf("%d messages %+v, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Title != w.Title || g.URL != w.URL || !g.Asked.Equal(w.Asked) || !g.Answered.Equal(w.Answered) || g.Status != w.Status {
					t.Errorf("message %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

func TestMessage_Replied(t *testing.T) {
	for status, want := range map[string]bool{"已回复": true, "已办结": true, "办理中": false, "未回复": false, "": false, "已受理": false} {
		if got := (Message{Status: status}).Replied(); got != want {
			t.Errorf("%q: replied %v", status, got)
		}
	}
	if !(Message{Answered: time.Now()}).Replied() {
		t.Error("a reply date is a reply")
	}
}
