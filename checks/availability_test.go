package checks

import "testing"

func TestAvailability(t *testing.T) {
	r := DefaultAvailabilityRules()
	tests := []struct {
		total, failed int
		rule          string
	}{
		{0, 0, ""},
		{10, 5, ""}, // too few probes to judge a week
		{336, 0, ""},
		{336, 9, ""},              // 2.7 %
		{336, 11, RuleProbeWarn},  // 3.3 %
		{336, 17, RuleProbeVeto},  // 5.1 %
		{20, 1, RuleProbeVeto},    // exactly 5 %
		{1000, 30, RuleProbeWarn}, // exactly 3 %
		{1000, 49, RuleProbeWarn}, // 4.9 %
	}
	for _, tt := range tests {
		fs := Availability("http://x/", tt.total, tt.failed, r)
		got := ""
		if len(fs) > 0 {
			got = fs[0].Rule
		}
		if got != tt.rule {
			t.Errorf("%d/%d: %q, want %q", tt.failed, tt.total, got, tt.rule)
		}
	}
}
