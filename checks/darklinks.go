package checks

import (
	"slices"
	"strings"

	"github.com/xunjian/xunjian/crawler"
)

// Dark-link rules (安全, a veto item: hidden links, links to gambling sites).
const (
	RuleHiddenLink   = "dark_link.hidden"   // a hidden link to another site: the classic 暗链 of a hacked CMS
	RuleGamblingLink = "dark_link.gambling" // a link whose text advertises gambling
)

// gamblingWords are what 暗链 to gambling sites say.
var gamblingWords = []string{"博彩", "娱乐城", "赌场", "百家乐", "葡京", "真人娱乐", "老虎机", "六合彩", "时时彩", "棋牌游戏", "网上赌", "彩票投注", "赌博"}

// DarkLinks reports links hidden from visitors that lead off the site, and
// links whose text advertises gambling, once per target and page. Hidden
// links within the site (drop-down menus folded by CSS) are not reported.
func DarkLinks(res *crawler.Result) []Finding {
	if res == nil {
		return nil
	}
	var out []Finding
	seen := map[[2]int32]bool{}
	for e := range res.Edges.All() {
		t := res.Targets[e.To]
		gambling := slices.ContainsFunc(gamblingWords, func(w string) bool { return strings.Contains(e.Anchor, w) })
		if (!e.Hidden || t.Internal) && !gambling {
			continue
		}
		key := [2]int32{e.From, e.To}
		if seen[key] {
			continue
		}
		seen[key] = true
		f := Finding{Category: DarkLink, Severity: High, URL: res.Targets[e.From].URL, Evidence: t.URL}
		switch {
		case e.Hidden:
			f.Rule = RuleHiddenLink
			f.Message = "页面中有对访客隐藏的外部链接（疑似被植入暗链，属“安全”类单项否决风险）；链接文字“" + e.Anchor + "”，请立即排查网站是否被篡改"
		default:
			f.Rule = RuleGamblingLink
			f.Message = "链接文字“" + e.Anchor + "”疑似指向赌博网站（属“安全”类单项否决风险），请立即删除并排查"
		}
		out = append(out, f)
	}
	return out
}
