package checks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Privacy rules (个人信息保护). The evidence masks the middle digits: a
// finding must not republish the personal data it reports.
const (
	RuleIDCard   = "privacy_leak.id_card"   // 18-digit resident ID, valid GB 11643 check character and birth date
	RuleMobile   = "privacy_leak.mobile"    // 11-digit mobile number
	RuleBankCard = "privacy_leak.bank_card" // 16–19 digits passing Luhn, named as a card or account
	// RulePersonalDataFile is an attachment's personal data as one issue.
	RulePersonalDataFile = "privacy_leak.file"
)

var (
	idCandidate     = regexp.MustCompile(`(?:^|[^0-9A-Za-z*])([1-8]\d{16}[\dXx])(?:$|[^0-9A-Za-z*])`)
	mobileCandidate = regexp.MustCompile(`(?:^|[^0-9*])(1[3-9]\d{9})(?:$|[^0-9*])`)
	cardCandidate   = regexp.MustCompile(`(?:^|[^0-9*])(\d{16,19})(?:$|[^0-9*])`)
	idWeights       = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
)

// notPersonal are labels of numbers that look like IDs but are not a
// person's: 索引号, 统一社会信用代码, 文号 …
var notPersonal = []string{"索引号", "信用代码", "组织机构代码", "文号", "编号", "税号", "订单号", "流水号"}

// cardWords make a long number a bank card or account.
var cardWords = []string{"银行卡", "卡号", "账号", "帐号", "账户", "帐户", "银行"}

// contactWords introduce a published contact number: a mobile there is a
// lower-severity finding (for review), not a leak in a list.
var contactWords = []string{"联系电话", "联系人", "咨询电话", "电话", "手机", "热线", "监督", "举报", "联系方式"}

// ValidID reports whether s is a plausible 18-character resident ID number:
// a province code, a real birth date not after now, and the ISO 7064
// MOD 11-2 check character of GB 11643.
func ValidID(s string, now time.Time) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * idWeights[i]
	}
	if "10X98765432"[sum%11] != strings.ToUpper(s[17:])[0] {
		return false
	}
	if p := s[:2]; p < "11" || p > "82" {
		return false
	}
	birth, err := time.Parse("20060102", s[6:14])
	return err == nil && birth.Year() >= 1900 && !birth.After(now)
}

// luhn reports whether a digit string passes the Luhn check.
func luhn(s string) bool {
	sum, double := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// PersonalData finds unmasked personal data in a page's text: resident ID numbers
// (valid check character and birth date), mobile numbers and bank card
// numbers. Masked forms (110101********1234, 138****5678), office landlines,
// numbers failing their checks, and numbers labelled as 索引号 or 信用代码 are
// not reported.
func PersonalData(text, pageURL string, now time.Time) []Finding {
	return PersonalDataIn(text, pageURL, now, nil)
}

// PersonalDataIn is PersonalData for a page whose tables label their long
// numbers by column header (extract's HeaderLabels): a number under
// 统一社会信用代码 or 索引号 is no ID, however its cell reads.
func PersonalDataIn(text, pageURL string, now time.Time, headers map[string]string) []Finding {
	if longestDigitRun(text) < 11 { // no mobile, ID or card can be here
		return nil
	}
	type hit struct {
		start, end, keep, tail int
		rule                   string
		sev                    Severity
		what                   string
	}
	var hits []hit
	ids := map[int]bool{} // byte offsets of ID numbers: not bank cards too
	for _, m := range idCandidate.FindAllStringSubmatchIndex(text, -1) {
		num := text[m[2]:m[3]]
		if !ValidID(num, now) || labelled(text, m[2], notPersonal) || slices.ContainsFunc(notPersonal, func(w string) bool { return strings.Contains(headers[num], w) }) {
			continue
		}
		ids[m[2]] = true
		hits = append(hits, hit{m[2], m[3], 6, 4, RuleIDCard, High, "疑似公开了居民身份证号码（校验位正确）"})
	}
	for _, m := range mobileCandidate.FindAllStringSubmatchIndex(text, -1) {
		h := hit{m[2], m[3], 3, 4, RuleMobile, High, "疑似公开了个人手机号码"}
		if labelled(text, m[2], contactWords) {
			h.sev, h.what = Low, "作为联系方式公开了手机号码，请确认是否为公开的工作电话"
		}
		hits = append(hits, h)
	}
	for _, m := range cardCandidate.FindAllStringSubmatchIndex(text, -1) {
		if !luhn(text[m[2]:m[3]]) || !labelled(text, m[2], cardWords) || ids[m[2]] {
			continue
		}
		hits = append(hits, hit{m[2], m[3], 4, 4, RuleBankCard, High, "疑似公开了银行卡号"})
	}
	if len(hits) == 0 {
		return nil
	}
	// The evidence is cut from a copy with every number found masked, so
	// the context of one never shows another (digits and * are one byte
	// each: the offsets stay valid).
	masked := []byte(text)
	for _, h := range hits {
		copy(masked[h.start:h.end], mask(text[h.start:h.end], h.keep, h.tail))
	}
	mt := string(masked)
	out := make([]Finding, 0, len(hits))
	for _, h := range hits {
		num := mt[h.start:h.end]
		msg := fmt.Sprintf("%s：%s；个人信息应脱敏后发布（如 110101********1234、138****1234）", h.what, num)
		out = append(out, Finding{Category: PrivacyLeak, Severity: h.sev, URL: pageURL, Rule: h.rule,
			Evidence: numberContext(mt, h.start, h.end, num), Message: msg})
	}
	return out
}

// longestDigitRun is the length of the longest run of ASCII digits in s: a
// cheap pass that spares most pages the regular expressions.
func longestDigitRun(s string) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// labelled reports whether one of words stands within the 12 characters
// before byte offset i on the same line, or is the whole previous line
// when the number starts its line: a table's label cell (索引号 | 1144…).
func labelled(text string, i int, words []string) bool {
	start := i
	n := 0
	for ; n < 12 && start > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:start])
		if text[start-size] == '\n' {
			break
		}
		start -= size
	}
	before := text[start:i]
	if start > 0 && strings.TrimSpace(before) == "" {
		prev := text[strings.LastIndexByte(text[:start-1], '\n')+1 : start-1]
		if utf8.RuneCountInString(prev) <= 12 {
			before = prev
		}
	}
	for _, w := range words {
		if strings.Contains(before, w) {
			return true
		}
	}
	return false
}

// mask keeps the first keep and last tail characters of s.
func mask(s string, keep, tail int) string {
	if len(s) <= keep+tail {
		return s
	}
	return s[:keep] + strings.Repeat("*", len(s)-keep-tail) + s[len(s)-tail:]
}

// numberContext is a number's context as context gives it, and, when the
// number stands alone on its line (a table cell), the end of the line
// before it too — whose number it is (张三 330106********2315), never the
// bare number.
func numberContext(text string, i, j int, mid string) string {
	c := context(text, i, j, mid)
	if c != mid {
		return c
	}
	before := strings.TrimRight(text[:i], " \t\n")
	if k := strings.LastIndexByte(before, '\n'); k >= 0 {
		before = before[k+1:]
	}
	if r := []rune(strings.TrimSpace(before)); len(r) > 0 {
		return string(r[max(0, len(r)-15):]) + " " + mid
	}
	return c
}

// context returns about 15 characters either side of text[i:j] on its line,
// with text[i:j] replaced by mid.
func context(text string, i, j int, mid string) string {
	start, end := around(text, i, j, 15)
	return strings.TrimSpace(text[start:i] + mid + text[j:end])
}

// around widens text[i:j] by up to n characters either side, within its
// line: the byte offsets of the passage.
func around(text string, i, j, n int) (start, end int) {
	start, end = i, j
	for k := 0; k < n && start > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(text[:start])
		if text[start-size] == '\n' {
			break
		}
		start -= size
	}
	for k := 0; k < n && end < len(text); k++ {
		if text[end] == '\n' {
			break
		}
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
	}
	return start, end
}

// Passage is the text around evidence (a finding's context as the check cut
// it): up to n characters either side, within its line; "" when evidence
// is not in the text as written (a masked number never is).
func Passage(text, evidence string, n int) string {
	i := strings.Index(text, evidence)
	if evidence == "" || i < 0 {
		return ""
	}
	start, end := around(text, i, i+len(evidence), n)
	return strings.TrimSpace(text[start:end])
}

// maskedDigits is a number as the privacy checks mask it.
var maskedDigits = regexp.MustCompile(`[0-9]{2,6}\*{4,}[0-9Xx]{2,4}`)

// MaskedNumber is the first masked number in s (a privacy finding's
// evidence or message), "" when there is none.
func MaskedNumber(s string) string { return maskedDigits.FindString(s) }
