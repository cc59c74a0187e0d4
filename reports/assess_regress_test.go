package reports

import (
	"context"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

// judged are the rules these tests' scans judge.
var judged = []string{"typo.", "interaction_unanswered."}

// A site paused (or dropped from the configuration) leaves the 考评 page,
// the dashboard and the notice: its last scorecard is not shown for ever.
func TestAssessment_PausedTargetLeavesTheScores(t *testing.T) {
	ctx := context.Background()
	loc := time.FixedZone("CST", 8*3600)
	st := storetest.Open(t)
	old := store.Target{Name: "旧版网站", URL: "http://old.qxq.gov.cn/", Owner: "区政府办公室"}
	portal := store.Target{Name: "青溪区政府网站", URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室"}
	serious := checks.Finding{Category: checks.SeriousError, Severity: checks.High, URL: "http://old.qxq.gov.cn/b.html", Evidence: "中华人民共合国", Rule: "S001"}
	day1 := time.Date(2026, 10, 10, 9, 0, 0, 0, loc)
	oldID := storetest.Scan(t, st, old, day1, serious)
	storetest.Scan(t, st, portal, day1)
	if _, err := Rescore(ctx, st, DefaultScoreRules(), day1, loc); err != nil {
		t.Fatal(err)
	}
	// The old site is retired: paused.
	if err := st.SetTargetEnabled(ctx, oldID, false, day1.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 20, 9, 0, 0, 0, loc)
	if _, err := Rescore(ctx, st, DefaultScoreRules(), now, loc); err != nil {
		t.Fatal(err)
	}
	cards, _ := Scorecards(ctx, st, now.Format(time.DateOnly))
	for _, c := range cards {
		if c.Target == old.Name {
			t.Errorf("paused site still scored on %s: failed=%v (first card: %s)", now.Format(time.DateOnly), c.Failed, cards[0].Target)
		}
	}
	q4, _ := ParsePeriod("2026-Q4", loc)
	n, _ := NoticeOf(ctx, st, q4, NoticeOptions{}, now, loc)
	if n.Overview.Failed != 0 {
		t.Errorf("notice: %d targets failing a veto (sites %d), want 0: the failing one is paused", n.Overview.Failed, n.Overview.Sites)
	}
}

// The notice of a past period counts what was unresolved at its end, as
// its ranking does, not what is unresolved now.
func TestNotice_PastPeriodCountsItsEnd(t *testing.T) {
	ctx := context.Background()
	loc := time.FixedZone("CST", 8*3600)
	st := storetest.Open(t)
	site := store.Target{Name: "青溪区政府网站", URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室"}
	typo := checks.Finding{Category: checks.Typo, Severity: checks.Low, URL: "http://www.qxq.gov.cn/a.html", Evidence: "布署", Rule: "typo.lexicon", Owner: "区教育局"}
	storetest.ScanJudging(t, st, site, time.Date(2026, 9, 10, 9, 0, 0, 0, loc), judged, typo)
	storetest.ScanJudging(t, st, site, time.Date(2026, 10, 5, 9, 0, 0, 0, loc), judged) // fixed in Q4
	q3, _ := ParsePeriod("2026-Q3", loc)
	now := time.Date(2026, 10, 8, 9, 0, 0, 0, loc)
	n, err := NoticeOf(ctx, st, q3, NoticeOptions{}, now, loc)
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, u := range n.Units {
		open += u.Open
	}
	if n.Overview.Open != open || len(n.Problems) == 0 {
		t.Errorf("Q3 notice: 截至期末尚有 %d 个问题未整改, %d categories listed; its ranking says %d open at the period's end", n.Overview.Open, len(n.Problems), open)
	}
}

// An interaction warning that ages into a late message stays one issue:
// the ranking counts no fix.
func TestRanking_WarningTurningSevereIsNoFix(t *testing.T) {
	ctx := context.Background()
	loc := time.FixedZone("CST", 8*3600)
	st := storetest.Open(t)
	site := store.Target{Name: "青溪区政府网站", URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室"}
	f := checks.Finding{Category: checks.InteractionUnanswered, Severity: checks.Medium, URL: "http://www.qxq.gov.cn/ldxx/1.html",
		Evidence: "关于停车的咨询（留言 2026-08-01）", Rule: checks.RuleMessageUnanswered, Owner: "区城管局"}
	storetest.ScanJudging(t, st, site, time.Date(2026, 10, 2, 9, 0, 0, 0, loc), judged, f)
	f.Severity = checks.High
	storetest.ScanJudging(t, st, site, time.Date(2026, 11, 2, 9, 0, 0, 0, loc), judged, f)
	q4, _ := ParsePeriod("2026-Q4", loc)
	units, _ := Ranking(ctx, st, q4, time.Date(2026, 11, 3, 9, 0, 0, 0, loc), loc)
	for _, u := range units {
		if u.Fixed != 0 {
			t.Errorf("%s: %d fixed (fix rate %.0f%%) though the message was never answered", u.Unit, u.Fixed, 100*u.FixRate)
		}
	}
}

// With a department's site beside the portal, "门户网站预估得分" is the
// portal's (the first site the configuration declares), whatever the names.
func TestNotice_PortalIsMarked(t *testing.T) {
	ctx := context.Background()
	loc := time.FixedZone("CST", 8*3600)
	st := storetest.Open(t)
	day := time.Date(2026, 11, 10, 9, 0, 0, 0, loc)
	// The configuration declares the portal first (patrol.Sync marks it).
	portal := store.Target{Name: "青溪区人民政府门户网站", URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室", Enabled: true,
		Settings: store.TargetSettings{Portal: true}}
	if _, err := st.SyncConfigured(ctx, []store.Target{portal}, day); err != nil {
		t.Fatal(err)
	}
	storetest.Scan(t, st, portal, day)
	storetest.Scan(t, st, store.Target{Name: "区教育局网站", URL: "http://jyj.qxq.gov.cn/", Owner: "区教育局"}, day,
		checks.Finding{Category: checks.Typo, Severity: checks.Low, URL: "http://jyj.qxq.gov.cn/a.html", Evidence: "布署", Rule: "typo.lexicon"})
	if _, err := Rescore(ctx, st, DefaultScoreRules(), day, loc); err != nil {
		t.Fatal(err)
	}
	q4, _ := ParsePeriod("2026-Q4", loc)
	n, _ := NoticeOf(ctx, st, q4, NoticeOptions{}, day, loc)
	if n.Scores[0].Target != "青溪区人民政府门户网站" {
		t.Errorf("the notice's portal is %q (score %.1f)", n.Scores[0].Target, n.Overview.Score)
	}
}

// A letter unanswered past 3 months fails 互动回应差 on the scorecard, and
// the ranking, the dashboard and the notice count it as a veto-category
// issue.
func TestRanking_InteractionIsAVetoCategory(t *testing.T) {
	ctx := context.Background()
	loc := time.FixedZone("CST", 8*3600)
	st := storetest.Open(t)
	day := time.Date(2026, 11, 10, 9, 0, 0, 0, loc)
	storetest.Scan(t, st, store.Target{Name: "青溪区人民政府门户网站", URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室"}, day,
		checks.Finding{Category: checks.InteractionUnanswered, Severity: checks.High, URL: "http://www.qxq.gov.cn/ldxx/1.html",
			Evidence: "关于路灯的反映（留言 2026-07-01）", Rule: checks.RuleMessageUnanswered, Owner: "区城管局"})
	cards, _ := Rescore(ctx, st, DefaultScoreRules(), day, loc)
	q4, _ := ParsePeriod("2026-Q4", loc)
	units, _ := Ranking(ctx, st, q4, day.Add(time.Hour), loc)
	if cards[0].Failed && (len(units) == 0 || units[0].Vetoes == 0) {
		t.Errorf("scorecard failed=%v (互动回应差), but the ranking says %+v", cards[0].Failed, units)
	}
}

// An account whose source cannot be read is not "达标" on 内容不更新, and a
// site never crawled is not scored: no evidence nobody measured.
func TestScore_UnreadAccountIsLeftToPeople(t *testing.T) {
	acct := store.Target{Name: "青溪发布", Kind: "account"}
	sc := Score(ScoreInput{Target: acct, Open: []store.Issue{{Target: "青溪发布", Category: checks.AccountUnreachable, Severity: checks.High,
		Rule: checks.RuleAccountUnreadable}}}, DefaultScoreRules())
	if v := sc.Vetoes[0]; v.State == VetoMet {
		t.Errorf("unreadable account: %s %s（%s）, score %.1f", v.Name, v.State.Label(), v.Evidence, sc.Score)
	}
	// A site never crawled is not scored at all (its veto items would all
	// read 达标).
	ctx := context.Background()
	st := storetest.Open(t)
	if _, err := st.SyncTarget(ctx, store.Target{Name: "新网站", URL: "http://new.qxq.gov.cn/"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if cards, err := Rescore(ctx, st, DefaultScoreRules(), time.Now(), time.UTC); err != nil || len(cards) != 0 {
		t.Errorf("a never-scanned site scored: %+v %v", cards, err)
	}
}
