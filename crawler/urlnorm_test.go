package crawler

import (
	"net/url"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://WWW.Example.GOV.cn:80/a/b.html#top", "http://www.example.gov.cn/a/b.html"},
		{"https://www.example.gov.cn:443/", "https://www.example.gov.cn/"},
		{"http://www.example.gov.cn:8080/", "http://www.example.gov.cn:8080/"},
		{"http://www.example.gov.cn", "http://www.example.gov.cn/"},
		{"http://www.example.gov.cn/content.jsp/?col=x&id=1", "http://www.example.gov.cn/content.jsp?col=x&id=1"},
		{"http://www.example.gov.cn/news.htm/", "http://www.example.gov.cn/news.htm/"},
		{"http://www.example.gov.cn/xwzx/index.html", "http://www.example.gov.cn/xwzx/"},
		{"http://www.example.gov.cn/xwzx/index.shtml", "http://www.example.gov.cn/xwzx/"},
		{"http://www.example.gov.cn/xwzx/./a/../b.html", "http://www.example.gov.cn/xwzx/b.html"},
		{"http://www.example.gov.cn/list.jsp?page=2&col=1", "http://www.example.gov.cn/list.jsp?col=1&page=2"},
		{"http://www.example.gov.cn/list.jsp?col=1&page=2&jsessionid=ABC", "http://www.example.gov.cn/list.jsp?col=1&page=2"},
		{"http://www.example.gov.cn/a.jsp;jsessionid=ABC123?id=1", "http://www.example.gov.cn/a.jsp?id=1"},
		{"http://www.example.gov.cn/a.html?", "http://www.example.gov.cn/a.html"},
		{"http://www.example.gov.cn/%E6%94%BF%E5%8A%A1/", "http://www.example.gov.cn/%E6%94%BF%E5%8A%A1/"},
		// Different pages stay different.
		{"http://www.example.gov.cn/xwzx/index_1.html", "http://www.example.gov.cn/xwzx/index_1.html"},
		{"http://www.example.gov.cn/a.jsp?id=1", "http://www.example.gov.cn/a.jsp?id=1"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Normalize(u); got != tt.want {
			t.Errorf("Normalize(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestLooksNotFound(t *testing.T) {
	tests := []struct {
		title, text string
		want        bool
	}{
		{"提示信息", "您访问的页面不存在或已被删除！ 返回首页", true},
		{"404 Not Found", "nginx", true},
		{"错误页面", "", true},
		{"区政府召开常务会议", "会议指出……", false},
		// A news brief reporting a deletion is not an error page.
		{"区网信办处置一批违规信息", "近日，区网信办依法处置一批违规有害信息，相关账号发布的违法内容已被删除，涉事账号已被依法关闭。区网信办提醒广大网民自觉遵守法律法规，共同营造清朗网络空间。", false},
		// A long article that quotes the phrase is not an error page.
		{"关于网站建设的通知", "部分栏目出现“页面不存在”的情况，" + string(make([]rune, 500)), false},
	}
	for _, tt := range tests {
		if got := looksNotFound(tt.title, tt.text); got != tt.want {
			t.Errorf("looksNotFound(%q, %.20q) = %v", tt.title, tt.text, got)
		}
	}
}
