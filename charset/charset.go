// Package charset is the one decoding path of xunjian: every page, feed,
// attachment text and draft given to `xunjian check` goes from the bytes it
// was served or saved in to UTF-8 here, once.
//
// The order follows what a browser does, with the fixes real Chinese
// government sites need:
//
//  1. a byte-order mark (UTF-8, UTF-16) wins;
//  2. the charset named by the HTTP Content-Type header;
//  3. the charset named by a <meta> tag anywhere in the page (CMS templates
//     put it after 1,024 bytes of comments and scripts) or an XML prolog;
//  4. sniffing: valid UTF-8 is UTF-8, anything else GB18030.
//
// A declaration is checked against the bytes: a body declared GBK that is
// valid UTF-8 with Chinese in it is UTF-8 (a GBK text is almost never valid
// UTF-8), and a body declared UTF-8 that is not valid UTF-8 falls through to
// the next rule. GBK, GB2312 and their aliases decode as GB18030, their
// superset, which real pages need for the characters their declared set
// lacks. Replacement characters from bytes that fit no encoding are dropped,
// so no title or evidence holds U+FFFD runs.
package charset

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	htmlcharset "golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Names of the encodings Decode reports.
const (
	UTF8    = "utf-8"
	GB18030 = "gb18030"
)

// metaCharset finds <meta charset=…> or <meta http-equiv content="…charset=…">.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-]+)`)

// xmlEncoding finds the encoding of an XML prolog: <?xml … encoding="gbk"?>.
var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']`)

// Decode returns body as UTF-8 and the name of the encoding it was read in.
// contentType is the HTTP Content-Type header ("" when there is none, as for
// a file on disk).
func Decode(body []byte, contentType string) ([]byte, string) {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return clean(body[3:]), UTF8
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		return decodeWith(body, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)), "utf-16le"
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		return decodeWith(body, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)), "utf-16be"
	}
	if out, name, ok := declared(body, headerCharset(contentType)); ok {
		return out, name
	}
	head := body[:min(len(body), 64<<10)]
	if m := xmlEncoding.FindSubmatch(head); m != nil {
		if out, name, ok := declared(body, string(m[1])); ok {
			return out, name
		}
	}
	if m := metaCharset.FindSubmatch(head); m != nil {
		if out, name, ok := declared(body, string(m[1])); ok {
			return out, name
		}
	}
	if utf8.Valid(body) {
		return body, UTF8
	}
	return decodeWith(body, simplifiedchinese.GB18030), GB18030
}

// headerParam finds a charset in a Content-Type that mime.ParseMediaType
// refuses (text/html;;charset=gbk, text/html,charset=gbk): browsers still
// read it.
var headerParam = regexp.MustCompile(`(?i)charset\s*=\s*["']?([A-Za-z0-9_.:\-]+)`)

func headerCharset(contentType string) string {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	if m := headerParam.FindStringSubmatch(contentType); m != nil {
		return m[1]
	}
	return ""
}

// declared decodes body as the named charset when the bytes agree with the
// declaration; ok is false when the label is unknown or plainly wrong.
func declared(body []byte, label string) ([]byte, string, bool) {
	label = strings.ToLower(strings.TrimSpace(label))
	if label == "" {
		return nil, "", false
	}
	if label == "utf-8" || label == "utf8" {
		if utf8.Valid(body) {
			return body, UTF8, true
		}
		return nil, "", false // declared UTF-8, served something else
	}
	e, name := lookup(label)
	if e == nil {
		return nil, "", false
	}
	if name != UTF8 && utf8.Valid(body) && hasMultibyte(body) {
		// Declared GBK (say), but the bytes are UTF-8 with Chinese in them:
		// the declaration is a template left over from an older site.
		return body, UTF8, true
	}
	return decodeWith(body, e), name, true
}

// lookup maps a charset label to a decoder; the GB family all decode with
// GB18030, which accepts every byte sequence GBK and GB2312 produce.
func lookup(label string) (encoding.Encoding, string) {
	switch label {
	case "gbk", "gb2312", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "csgb2312", "chinese", "windows-936", "ms936":
		return simplifiedchinese.GB18030, GB18030
	}
	return htmlcharset.Lookup(label)
}

func hasMultibyte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func decodeWith(body []byte, e encoding.Encoding) []byte {
	out, _, err := transform.Bytes(e.NewDecoder(), body)
	if err != nil {
		out = bytes.ToValidUTF8(body, nil)
	}
	return clean(out)
}

// clean drops replacement characters: bytes that fit no encoding (a body cut
// in the middle of a character, a stray byte in a template) leave no trace
// in titles or evidence.
func clean(b []byte) []byte {
	if !utf8.Valid(b) {
		b = bytes.ToValidUTF8(b, nil)
	}
	if bytes.Contains(b, []byte("\uFFFD")) {
		b = bytes.ReplaceAll(b, []byte("\uFFFD"), nil)
	}
	return b
}

// UTF8Prolog rewrites an XML prolog's encoding to UTF-8, for an XML document
// Decode has decoded (a feed declared GBK in its prolog must not be decoded
// a second time by the XML parser).
func UTF8Prolog(doc []byte) []byte {
	m := xmlEncoding.FindSubmatchIndex(doc)
	if m == nil {
		return doc
	}
	out := make([]byte, 0, len(doc))
	out = append(out, doc[:m[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, doc[m[3]:]...)
}
