package checks

import "fmt"

// AvailabilityRules are the 站点无法访问 thresholds: over a rolling window
// (a week), the share of failed home-page probes.
type AvailabilityRules struct {
	MinProbes int     // fewer probes than this in the window are not judged
	WarnShare float64 // early warning (commercial monitors: 3 %)
	VetoShare float64 // the veto line (5 %)
}

// DefaultAvailabilityRules: monitored a week, ≥20 probes a day in the
// indicator; judged from 20 probes on, warned at 3 %, veto at 5 %.
func DefaultAvailabilityRules() AvailabilityRules {
	return AvailabilityRules{MinProbes: 20, WarnShare: 0.03, VetoShare: 0.05}
}

// Probe rules.
const (
	RuleProbeVeto = "site_unreachable.probes"         // failure share at or over the veto line
	RuleProbeWarn = "site_unreachable.probes_warning" // over the warning line
)

// Availability judges a week of probes of a home page.
func Availability(home string, total, failed int, r AvailabilityRules) []Finding {
	if total == 0 || total < r.MinProbes {
		return nil
	}
	share := float64(failed) / float64(total)
	msg := fmt.Sprintf("近 7 天首页探测 %d 次，失败 %d 次（%.1f%%）", total, failed, 100*share)
	switch {
	case share >= r.VetoShare:
		return []Finding{{Category: SiteUnreachable, Severity: High, URL: home, Evidence: "首页可用性（近 7 天探测）",
			Rule: RuleProbeVeto, Message: msg + fmt.Sprintf("，达到 %.0f%% 即单项否决；请检查服务器和网络", 100*r.VetoShare)}}
	case share >= r.WarnShare:
		return []Finding{{Category: SiteUnreachable, Severity: Medium, URL: home, Evidence: "首页可用性（近 7 天探测）",
			Rule: RuleProbeWarn, Message: msg + fmt.Sprintf("，预警：达到 %.0f%% 即单项否决", 100*r.VetoShare)}}
	}
	return nil
}
