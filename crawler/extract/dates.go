package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// fullWidth folds full-width digits and date separators to ASCII, on a copy
// used only for matching.
var fullWidth = strings.NewReplacer(
	"０", "0", "１", "1", "２", "2", "３", "3", "４", "4", "５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"－", "-", "／", "/", "．", ".", "：", ":", "　", " ",
)

var (
	// 2026-11-20, 2026/11/20, 2026.11.20, 2026年11月20日, with an optional time.
	fullDate = regexp.MustCompile(`(?:^|[^\d])((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2}):(\d{2}))?`)
	// 11-20, 11/20, 11月20日: only in the short text beside a list item.
	shortDate = regexp.MustCompile(`(?:^|[^\d.\-/])(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?(?:$|[^\d\-/])`)
)

// ParseDate finds the first date in s: 2026-11-20, 2026/11/20, 2026.11.20,
// 2026年11月20日, with an optional HH:MM, full-width digits included. Dates
// are in loc. A date without a year (11-20) is accepted when short is true
// (the few characters beside a list item) and takes the year that puts it
// not after ref: in January, "12-28" is last December.
func ParseDate(s string, ref time.Time, short bool) (time.Time, bool) {
	s = fullWidth.Replace(s)
	loc := ref.Location()
	for _, m := range fullDate.FindAllStringSubmatch(s, 3) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		hh, mm := 0, 0
		if m[4] != "" {
			hh, _ = strconv.Atoi(m[4])
			mm, _ = strconv.Atoi(m[5])
		}
		if t, ok := makeDate(y, mo, d, hh, mm, loc); ok {
			return t, true
		}
	}
	if !short {
		return time.Time{}, false
	}
	for _, m := range shortDate.FindAllStringSubmatch(s, 3) {
		mo, _ := strconv.Atoi(m[1])
		d, _ := strconv.Atoi(m[2])
		t, ok := makeDate(ref.Year(), mo, d, 0, 0, loc)
		if !ok {
			continue
		}
		if t.After(ref.AddDate(0, 0, 1)) { // not in the future: last year's
			t = t.AddDate(-1, 0, 0)
		}
		return t, true
	}
	return time.Time{}, false
}

func makeDate(y, mo, d, hh, mm int, loc *time.Location) (time.Time, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, hh, mm, 0, 0, loc)
	if t.Day() != d { // 2月30日
		return time.Time{}, false
	}
	return t, true
}
