package charset

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	const title = "区应急管理局关于做好冬季安全生产工作的通知"
	page := "<html><head><title>" + title + "</title></head><body>按装</body></html>"
	longHead := "<html><head><!--" + strings.Repeat("模板注释 ", 200) + "-->" // > 1,024 bytes before the meta
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(page))
	tests := []struct {
		name, ctype string
		body        []byte
		want        string // the encoding
	}{
		{"GBK declared only in the header", "text/html; charset=gbk", gbk(t, page), GB18030},
		{"GB2312 in the header, upper case", "text/html;charset=GB2312", gbk(t, page), GB18030},
		{"GB2312 meta after 1,024 bytes, no header charset", "text/html", gbk(t, longHead+`<meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>`+page), GB18030},
		{"meta charset=gbk, no header at all", "", gbk(t, `<meta charset="gbk">`+page), GB18030},
		{"undeclared GBK is sniffed", "text/html", gbk(t, page), GB18030},
		{"header says utf-8, body is GBK", "text/html; charset=utf-8", gbk(t, page), GB18030},
		{"header says gbk, body is UTF-8", "text/html; charset=gbk", []byte(page), UTF8},
		{"meta says utf-8, body is GBK with a gbk header", "text/html; charset=GBK", gbk(t, `<meta charset="utf-8">`+page), GB18030},
		{"meta says gb2312, body is UTF-8", "", []byte(`<meta charset="gb2312">` + page), UTF8},
		{"UTF-8 with a BOM and a wrong header", "text/html; charset=gbk", append([]byte("\xef\xbb\xbf"), page...), UTF8},
		{"UTF-16 with a BOM", "", utf16le, "utf-16le"},
		{"XML prolog gbk", "application/xml", gbk(t, `<?xml version="1.0" encoding="gbk"?><rss><title>`+title+`</title>按装</rss>`), GB18030},
		{"plain UTF-8", "text/plain", []byte(page), UTF8},
		{"malformed header naming GBK", "text/html;;charset=gbk", gbk(t, page), GB18030},
		{"header with a comma", "text/html,charset=GB2312", gbk(t, page), GB18030},
		{"unknown label, UTF-8 body", "text/html; charset=x-bogus", []byte(page), UTF8},
		{"unknown label, GBK body", "text/html; charset=x-bogus", gbk(t, page), GB18030},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, enc := Decode(tt.body, tt.ctype)
			if enc != tt.want {
				t.Errorf("encoding %q, want %q", enc, tt.want)
			}
			s := string(out)
			if !utf8.ValidString(s) || strings.ContainsRune(s, '\uFFFD') {
				t.Errorf("not clean UTF-8: %q", s)
			}
			if !strings.Contains(s, title) && !strings.Contains(s, "按装") {
				t.Errorf("text lost: %q", s[:min(len(s), 200)])
			}
			if !strings.Contains(s, "按装") {
				t.Errorf("body text lost: %q", s)
			}
		})
	}
}

// A body cut in the middle of a GBK character leaves no replacement
// character behind.
func TestDecode_CutCharacter(t *testing.T) {
	b := gbk(t, "<title>通知公告</title>按装")
	out, enc := Decode(b[:len(b)-1], "text/html; charset=gbk")
	if enc != GB18030 || strings.ContainsRune(string(out), '\uFFFD') || !strings.Contains(string(out), "通知公告") {
		t.Fatalf("%s %q", enc, out)
	}
}

func TestUTF8Prolog(t *testing.T) {
	got := string(UTF8Prolog([]byte(`<?xml version="1.0" encoding="GB2312"?><rss/>`)))
	if got != `<?xml version="1.0" encoding="UTF-8"?><rss/>` {
		t.Fatal(got)
	}
	if got := string(UTF8Prolog([]byte(`<rss/>`))); got != `<rss/>` {
		t.Fatal(got)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("<meta charset=gbk>\xb0\xb4\xd7\xb0"), "text/html")
	f.Add([]byte("\xef\xbb\xbfabc"), "text/html; charset=gbk")
	f.Fuzz(func(t *testing.T, b []byte, ct string) {
		out, _ := Decode(b, ct)
		if !utf8.Valid(out) || strings.ContainsRune(string(out), '\uFFFD') {
			t.Fatalf("%q", out)
		}
	})
}
