package crawler

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// metaCharset finds <meta charset=…> or <meta http-equiv content="…charset=…">
// anywhere in the page: CMS templates often put it after 1024 bytes of
// comments and scripts, beyond where the HTML5 prescan looks.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-]+)`)

// toUTF8 decodes a page to UTF-8 and names the encoding it was in. The order
// is: a byte-order mark; a non-UTF-8 charset named by the Content-Type
// header; the body as is when it is valid UTF-8; a <meta> charset anywhere in
// the page; else GB18030, the superset of GBK and GB2312, which is what an
// undeclared Chinese government page almost always is.
func toUTF8(body []byte, contentType string) ([]byte, string) {
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		return body[3:], "utf-8"
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if cs := params["charset"]; cs != "" && !isUTF8Name(cs) {
			if e, name := lookup(cs); e != nil {
				return decode(body, e), name
			}
		}
	}
	if utf8.Valid(body) {
		return body, "utf-8"
	}
	if m := metaCharset.FindSubmatch(body); m != nil && !isUTF8Name(string(m[1])) {
		if e, name := lookup(string(m[1])); e != nil {
			return decode(body, e), name
		}
	}
	return decode(body, simplifiedchinese.GB18030), "gb18030"
}

func isUTF8Name(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "utf-8" || s == "utf8"
}

// lookup maps a charset label to a decoder; the GB family all decode with
// GB18030, which accepts every byte sequence GBK and GB2312 produce.
func lookup(label string) (encoding.Encoding, string) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "gbk", "gb2312", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn":
		return simplifiedchinese.GB18030, "gb18030"
	}
	e, name := charset.Lookup(label)
	return e, name
}

func decode(body []byte, e encoding.Encoding) []byte {
	out, _, err := transform.Bytes(e.NewDecoder(), body)
	if err != nil {
		return bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return out
}
