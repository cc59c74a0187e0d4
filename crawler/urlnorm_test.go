package crawler

import (
	"net/url"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://WWW.Example.GOV.cn:80/a/b.html#top", "http://www.example.gov.cn/a/b.html"},
		{"https://www.example.gov.cn:443/", "https://www.example.gov.cn/"},
		{"http://www.example.gov.cn:8080/", "http://www.example.gov.cn:8080/"},
		{"http://www.example.gov.cn", "http://www.example.gov.cn/"},
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

func TestToUTF8(t *testing.T) {
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const text = "关于做好冬季安全生产工作的通知"
	long := "<!--" + string(make([]byte, 1500)) + "-->"
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantEnc     string
	}{
		{"utf-8 declared", []byte("<meta charset=utf-8>" + text), "text/html; charset=utf-8", "utf-8"},
		{"utf-8 undeclared", []byte(text), "text/html", "utf-8"},
		{"utf-8 with BOM", append([]byte("\xef\xbb\xbf"), text...), "", "utf-8"},
		{"gbk in header", gbk(text), "text/html; charset=GBK", "gb18030"},
		{"gb2312 in header", gbk(text), "text/html; charset=gb2312", "gb18030"},
		{"gbk meta after 1024 bytes", append(gbk(long+`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`), gbk(text)...), "text/html", "gb18030"},
		{"gbk undeclared", gbk(text), "", "gb18030"},
		{"gbk but header says utf-8", gbk(text), "text/html; charset=utf-8", "gb18030"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, enc := toUTF8(tt.body, tt.contentType)
			if enc != tt.wantEnc {
				t.Errorf("encoding %s, want %s", enc, tt.wantEnc)
			}
			if !containsString(out, text) {
				t.Errorf("decoded %q", out)
			}
		})
	}
}

func containsString(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s || string(b) == s
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
