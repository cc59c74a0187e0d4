package reports

import (
	"fmt"
	"testing"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

func issue(c checks.Category, sev checks.Severity, rule string) store.Issue {
	return store.Issue{Category: c, Severity: sev, Rule: rule, URL: "http://www.qxq.gov.cn/" + rule}
}

func many(n int, is store.Issue) []store.Issue {
	out := make([]store.Issue, n)
	for i := range out {
		out[i] = is
		out[i].URL = fmt.Sprintf("%s/%d", is.URL, i)
	}
	return out
}

func vetoOf(sc Scorecard, name string) VetoItem {
	for _, v := range sc.Vetoes {
		if v.Name == name {
			return v
		}
	}
	return VetoItem{}
}

// Each veto line on both sides of its threshold.
func TestScore_VetoLines(t *testing.T) {
	site := store.Target{Name: "青溪区政府网站", Kind: "site"}
	news := []store.ColumnEntry{{ColumnRow: store.ColumnRow{URL: "http://www.qxq.gov.cn/c", Class: "news"}}}
	late := issue(checks.StaleColumn, checks.Medium, checks.RuleStaleColumn)
	empty := issue(checks.EmptyColumn, checks.Medium, checks.RuleEmptyColumn)
	for _, tc := range []struct {
		name, item string
		in         ScoreInput
		want       VetoState
	}{
		{"probes 4.9%", "站点无法访问", ScoreInput{ProbeTotal: 1000, ProbeFailed: 49}, VetoRisk},
		{"probes 5.0%", "站点无法访问", ScoreInput{ProbeTotal: 1000, ProbeFailed: 50}, VetoFailed},
		{"probes 2.9%", "站点无法访问", ScoreInput{ProbeTotal: 1000, ProbeFailed: 29}, VetoMet},
		{"probes too few", "站点无法访问", ScoreInput{ProbeTotal: 19, ProbeFailed: 19}, VetoManual},
		{"home late", "首页不更新", ScoreInput{Open: []store.Issue{issue(checks.HomepageStale, checks.High, checks.RuleHomepageStale)}}, VetoFailed},
		{"home warned", "首页不更新", ScoreInput{Open: []store.Issue{issue(checks.HomepageStale, checks.Medium, checks.RuleHomepageWarn)}}, VetoRisk},
		{"home fresh", "首页不更新", ScoreInput{}, VetoMet},
		{"4 late columns", "栏目不更新", ScoreInput{Columns: news, Open: many(4, late)}, VetoRisk},
		{"5 late columns", "栏目不更新", ScoreInput{Columns: news, Open: many(5, late)}, VetoFailed},
		{"3 late columns", "栏目不更新", ScoreInput{Columns: news, Open: many(3, late)}, VetoMet},
		{"5 empty columns", "栏目不更新", ScoreInput{Columns: news, Open: many(5, empty)}, VetoFailed},
		{"4 empty columns", "栏目不更新", ScoreInput{Columns: news, Open: many(4, empty)}, VetoRisk},
		{"no register yet", "栏目不更新", ScoreInput{Open: many(5, late)}, VetoManual},
		{"a serious error", "严重表述错误", ScoreInput{Open: []store.Issue{issue(checks.SeriousError, checks.High, "S001")}}, VetoFailed},
		{"a suspected one", "严重表述错误", ScoreInput{Open: []store.Issue{{Category: checks.SeriousError, Severity: checks.High, Suspected: true}}}, VetoRisk},
		{"a hidden link", "安全", ScoreInput{Open: []store.Issue{issue(checks.DarkLink, checks.High, checks.RuleHiddenLink)}}, VetoFailed},
		{"a faked date", "安全", ScoreInput{Open: []store.Issue{issue(checks.StaleColumn, checks.High, checks.RuleFutureDate)}}, VetoRisk},
		{"a message 3 months old", "互动回应差", ScoreInput{Open: []store.Issue{issue(checks.InteractionUnanswered, checks.High, "interaction_unanswered.late")}}, VetoFailed},
		{"one nearly so", "互动回应差", ScoreInput{Open: []store.Issue{issue(checks.InteractionUnanswered, checks.Medium, "interaction_unanswered.warning")}}, VetoRisk},
		{"services", "服务不实用", ScoreInput{}, VetoManual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Target = site
			if tc.in.ProbeTotal == 0 && tc.item != "站点无法访问" {
				tc.in.ProbeTotal = 336
			}
			sc := Score(tc.in, DefaultScoreRules())
			v := vetoOf(sc, tc.item)
			if v.State != tc.want {
				t.Errorf("%s: %s (%s), want %s", tc.item, v.State, v.Evidence, tc.want)
			}
			if sc.Failed != (tc.want == VetoFailed) {
				t.Errorf("failed %v", sc.Failed)
			}
			if sc.Failed && sc.Health > 59 {
				t.Errorf("health %d while a veto item fails", sc.Health)
			}
		})
	}
}

// An account: 2 weeks without a post fails, a warning is at risk.
func TestScore_Account(t *testing.T) {
	acct := store.Target{Name: "青溪发布", Kind: "account"}
	sc := Score(ScoreInput{Target: acct, Open: []store.Issue{issue(checks.StaleAccount, checks.High, checks.RuleAccountStale)}}, DefaultScoreRules())
	if v := vetoOf(sc, "内容不更新"); v.State != VetoFailed || !sc.Failed {
		t.Errorf("stale account: %+v", v)
	}
	sc = Score(ScoreInput{Target: acct, Open: []store.Issue{issue(checks.StaleAccount, checks.Medium, checks.RuleAccountWarning)}}, DefaultScoreRules())
	if v := vetoOf(sc, "内容不更新"); v.State != VetoRisk || sc.Failed || sc.Score != 95 {
		t.Errorf("warned account: %+v, score %v", v, sc.Score)
	}
}

// An item never loses more than its points; manual items are at stake,
// not lost; the score is 100 less what is measured.
func TestScore_CapsAndManualItems(t *testing.T) {
	site := store.Target{Name: "站", Kind: "site"}
	r := DefaultScoreRules()
	clean := Score(ScoreInput{Target: site, ProbeTotal: 336}, r)
	if clean.Score != 100 || clean.Manual != 25 || clean.Health != 100 {
		t.Errorf("clean site: score %v, manual %v, health %d", clean.Score, clean.Manual, clean.Health)
	}
	typos := many(100, issue(checks.Typo, checks.Low, "typo.lexicon"))
	sc := Score(ScoreInput{Target: site, ProbeTotal: 336, Open: typos}, r)
	for _, d := range sc.Deductions {
		if d.ID == "typos" && (d.Count != 100 || d.Lost != 10) {
			t.Errorf("100 typos: %+v, want capped at 10 points", d)
		}
	}
	if sc.Score != 90 {
		t.Errorf("score %v, want 90", sc.Score)
	}
	// Home-page and other dead links are separate items.
	links := append(many(2, issue(checks.DeadLink, checks.High, checks.RuleDeadLinkHome)), many(3, issue(checks.DeadLink, checks.Medium, checks.RuleDeadLinkPage))...)
	sc = Score(ScoreInput{Target: site, ProbeTotal: 336, Open: links}, r)
	if sc.Score != 100-2-0.6 {
		t.Errorf("links: score %v, want 97.4", sc.Score)
	}
	// The local plan's points: an item overridden, another made manual.
	five, yes := 5.0, true
	if err := r.Override("site", "typos", &five, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := r.Override("site", "links", nil, nil, &yes); err != nil {
		t.Fatal(err)
	}
	sc = Score(ScoreInput{Target: site, ProbeTotal: 336, Open: append(typos, links...)}, r)
	if sc.Score != 100-5-2 || sc.Manual != 30 {
		t.Errorf("overridden: score %v manual %v", sc.Score, sc.Manual)
	}
	if err := r.Override("site", "nope", &five, nil, nil); err == nil {
		t.Error("an unknown item was accepted")
	}
}
