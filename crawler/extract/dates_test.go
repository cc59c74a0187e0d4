package extract

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	ref := time.Date(2026, 11, 26, 10, 0, 0, 0, cst)
	jan := time.Date(2027, 1, 5, 10, 0, 0, 0, cst)
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, cst) }
	tests := []struct {
		in    string
		ref   time.Time
		short bool
		want  time.Time
		ok    bool
	}{
		{"2026-11-20", ref, false, day(2026, 11, 20), true},
		{"2026/11/20", ref, false, day(2026, 11, 20), true},
		{"2026.11.20", ref, false, day(2026, 11, 20), true},
		{"2026年11月20日", ref, false, day(2026, 11, 20), true},
		{"2026年1月5日", ref, false, day(2026, 1, 5), true},
		{"[2026-11-20]", ref, false, day(2026, 11, 20), true},
		{"发布时间：2026-11-20 10:19", ref, false, time.Date(2026, 11, 20, 10, 19, 0, 0, cst), true},
		{"２０２６－１１－２０", ref, false, day(2026, 11, 20), true},
		{"2026-02-30", ref, false, time.Time{}, false},
		{"2026-13-01", ref, false, time.Time{}, false},
		{"青政发〔2026〕5号", ref, false, time.Time{}, false},
		{"电话：0571-88880000", ref, false, time.Time{}, false},
		{"访问量 123456", ref, false, time.Time{}, false},
		// Without a year: only beside a list item, and never in the future.
		{"11-20", ref, true, day(2026, 11, 20), true},
		{"11月20日", ref, true, day(2026, 11, 20), true},
		{"11-20", ref, false, time.Time{}, false},
		{"12-28", jan, true, day(2026, 12, 28), true},
		{"01-03", jan, true, day(2027, 1, 3), true},
		{"5.5%", ref, true, time.Time{}, false},
		{"0571-88880000", ref, true, time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in, tt.ref, tt.short)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q, short=%v) = %v %v, want %v %v", tt.in, tt.short, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	f.Add("2026年11月20日 10:19")
	f.Add("11-20")
	ref := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := ParseDate(s, ref, true); ok && (d.Year() < 1900 || d.Year() > 2100) {
			t.Errorf("%q → %v", s, d)
		}
	})
}
