package checks

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/crawler"
)

// Certificate rules (安全, not a veto item). The rule names whose host it
// is, which does not change between scans; the reason may (expired today,
// replaced by one for the wrong host tomorrow).
const (
	RuleCertificateSite = "certificate.site" // the site's own host
	RuleCertificateLink = "certificate.link" // a host the site links to
)

// chinaTime is the time zone dates in messages are given in.
var chinaTime = time.FixedZone("CST", 8*3600)

// Certificates reports every host whose HTTPS certificate a browser would
// refuse (expired, not yet valid, for another host, untrusted), once per
// host: the site's own host on its home page, a linked host on the pages
// that link to it. A certificate a browser accepts after fetching a missing
// intermediate is no finding. The links themselves still work, so these are
// not dead links.
func Certificates(res *crawler.Result) []Finding {
	if res == nil || len(res.Targets) == 0 {
		return nil
	}
	home := res.Targets[res.Start]
	var out []Finding
	for _, p := range res.Certificates {
		own := false
		on := map[int32]bool{}
		for _, id := range p.Targets {
			on[id] = true
			own = own || res.Targets[id].Internal || id == res.Start
		}
		f := Finding{Category: Certificate, Severity: Low, Evidence: p.Host}
		if own {
			f.Rule, f.URL = RuleCertificateSite, home.URL
			f.Refs = []Ref{{Page: home.URL, OnHome: true}}
			f.Message = fmt.Sprintf("本网站（%s）的 HTTPS 证书存在问题：%s。访问者的浏览器会提示“连接不安全”，请尽快联系证书服务商或网站运维更换证书", p.Host, certProblem(p))
			out = append(out, f)
			continue
		}
		var refs []Ref
		seen := map[int32]bool{}
		for e := range res.Edges.All() {
			if on[e.To] && !seen[e.From] {
				seen[e.From] = true
				refs = append(refs, Ref{Page: res.Targets[e.From].URL, Anchor: e.Anchor, OnHome: e.From == res.Start})
			}
		}
		SortRefs(refs)
		f.Rule, f.URL, f.Refs = RuleCertificateLink, home.URL, refs
		if len(refs) > 0 {
			f.URL = refs[0].Page
		}
		var b strings.Builder
		fmt.Fprintf(&b, "链接到的网站 %s 的 HTTPS 证书存在问题：%s。访问者打开链接时浏览器会提示“连接不安全”", p.Host, certProblem(p))
		if len(refs) > 1 {
			fmt.Fprintf(&b, "；共 %d 个页面链接到该网站", len(refs))
		}
		if len(refs) > 0 && refs[0].OnHome {
			b.WriteString("（首页）")
		}
		b.WriteString("；请核实链接地址，或告知对方网站更换证书")
		f.Message = b.String()
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.Rule, b.Rule), strings.Compare(a.Evidence, b.Evidence))
	})
	return out
}

// certProblem says in Chinese what is wrong with a certificate, with its
// validity.
func certProblem(p crawler.CertProblem) string {
	reasons := p.Reasons
	if len(reasons) == 0 {
		reasons = []crawler.CertReason{p.Reason}
	}
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = r.Label()
	}
	s := strings.Join(parts, "；")
	switch {
	case p.NotAfter.IsZero():
	case slices.Contains(reasons, crawler.CertNotYetValid):
		s += fmt.Sprintf("（生效日期 %s，到期日期 %s）", p.NotBefore.In(chinaTime).Format("2006-01-02"), p.NotAfter.In(chinaTime).Format("2006-01-02"))
	case slices.Contains(reasons, crawler.CertExpired):
		s += fmt.Sprintf("（已于 %s 到期）", p.NotAfter.In(chinaTime).Format("2006-01-02"))
	default:
		s += fmt.Sprintf("（证书到期日期 %s）", p.NotAfter.In(chinaTime).Format("2006-01-02"))
	}
	return s
}
