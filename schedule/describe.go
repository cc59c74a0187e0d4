package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// Describe says a five-field cron expression in Chinese, for the settings
// page: 每天 02:30, 每周一 08:00, 每 30 分钟, 每 2 小时, 每月 1 日 04:00.
// An expression of another shape (several hours, months, steps with a
// start) is returned as it is.
func Describe(expr string) string {
	switch strings.TrimSpace(expr) {
	case "@yearly", "@annually":
		return "每年 1 月 1 日 00:00"
	case "@monthly":
		return "每月 1 日 00:00"
	case "@weekly":
		return "每周日 00:00"
	case "@daily", "@midnight":
		return "每天 00:00"
	case "@hourly":
		return "每小时整点"
	}
	f := strings.Fields(expr)
	if len(f) != 5 {
		return expr
	}
	minute, hour, dom, month, dow := f[0], f[1], f[2], f[3], f[4]
	if month != "*" {
		return expr
	}
	m, mOK := number(minute, 0, 59)
	h, hOK := number(hour, 0, 23)
	switch {
	case dom != "*" && dow != "*":
		return expr // either day matches, in cron: not said in a few words
	case minute == "*" && hour == "*" && dom == "*" && dow == "*":
		return "每分钟"
	case hour == "*" && dom == "*" && dow == "*":
		if n, ok := step(minute, 59); ok {
			return fmt.Sprintf("每 %d 分钟", n)
		}
		if mOK {
			return fmt.Sprintf("每小时第 %d 分", m)
		}
	case mOK && dom == "*" && dow == "*":
		if n, ok := step(hour, 23); ok {
			if m == 0 {
				return fmt.Sprintf("每 %d 小时（整点）", n)
			}
			return fmt.Sprintf("每 %d 小时（第 %d 分）", n, m)
		}
		if hOK {
			return fmt.Sprintf("每天 %02d:%02d", h, m)
		}
	case mOK && hOK && dom == "*":
		if days, ok := weekdays(dow); ok {
			return fmt.Sprintf("每%s %02d:%02d", days, h, m)
		}
	case mOK && hOK && dow == "*":
		if d, ok := number(dom, 1, 31); ok {
			return fmt.Sprintf("每月 %d 日 %02d:%02d", d, h, m)
		}
	}
	return expr
}

// number reads a plain number in [lo, hi].
func number(s string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= lo && n <= hi && strconv.Itoa(n) == s
}

// step reads */N with 1 < N ≤ max (*/1 is every unit, said otherwise).
func step(s string, max int) (int, bool) {
	rest, ok := strings.CutPrefix(s, "*/")
	if !ok {
		return 0, false
	}
	n, ok := number(rest, 1, max)
	return n, ok && n > 1
}

var dayNames = []string{"日", "一", "二", "三", "四", "五", "六", "日"} // 0 and 7 are Sunday

var dayAbbrev = map[string]int{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}

func weekday(s string) (int, bool) {
	if d, ok := dayAbbrev[strings.ToLower(s)]; ok {
		return d, true
	}
	return number(s, 0, 7)
}

// weekdays says a day-of-week field: 周一, 周一至周五, 周一、周三、周五.
func weekdays(s string) (string, bool) {
	if from, to, ok := strings.Cut(s, "-"); ok {
		a, okA := weekday(from)
		b, okB := weekday(to)
		if !okA || !okB || a >= b {
			return "", false
		}
		return "周" + dayNames[a] + "至周" + dayNames[b], true
	}
	var names []string
	for _, part := range strings.Split(s, ",") {
		d, ok := weekday(part)
		if !ok {
			return "", false
		}
		names = append(names, "周"+dayNames[d])
	}
	return strings.Join(names, "、"), true
}
