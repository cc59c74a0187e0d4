package reports

import (
	"context"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

// Scores are kept per day and say when and why one dropped; the ranking
// puts the unit with veto-category trouble first and says how it moved;
// the notice gathers it all.
func TestAssessment_OverAStore(t *testing.T) {
	ctx := context.Background()
	loc := time.FixedZone("CST", 8*3600)
	st := storetest.Open(t)
	site := store.Target{Name: "青溪区政府网站", URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室"}
	typo := checks.Finding{Category: checks.Typo, Severity: checks.Low, URL: "http://www.qxq.gov.cn/a.html", Evidence: "布署", Rule: "typo.lexicon", Owner: "区教育局"}
	serious := checks.Finding{Category: checks.SeriousError, Severity: checks.High, URL: "http://www.qxq.gov.cn/b.html", Evidence: "中华人民共合国",
		Rule: "S001", Owner: "区卫健委"}
	day1 := time.Date(2026, 10, 10, 9, 0, 0, 0, loc)
	day2 := time.Date(2026, 11, 20, 9, 0, 0, 0, loc)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, loc)
	storetest.Scan(t, st, site, day1, typo)
	r := DefaultScoreRules()
	if _, err := Rescore(ctx, st, r, day1, loc); err != nil {
		t.Fatal(err)
	}
	storetest.Scan(t, st, site, day2, typo, serious)
	cards, err := Rescore(ctx, st, r, day2, loc)
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 1 || !cards[0].Failed || cards[0].Score != 99.5 || cards[0].Health != 59 {
		t.Fatalf("scorecards %+v", cards)
	}
	rows, _ := st.Scores(ctx, "2026-10-01", "2026-11-30", 0, true)
	if len(rows) != 2 || rows[0].Day != "2026-10-10" || rows[0].Failed || !rows[1].Failed {
		t.Fatalf("scores by day %+v", rows)
	}
	kept, err := Scorecards(ctx, st, "2026-11-30")
	if err != nil || len(kept) != 1 || vetoOf(kept[0], "严重表述错误").State != VetoFailed {
		t.Fatalf("kept scorecards %+v %v", kept, err)
	}
	trend, err := Trend(ctx, st, time.Date(2026, 10, 1, 0, 0, 0, 0, loc), time.Date(2026, 12, 1, 0, 0, 0, 0, loc), loc)
	if err != nil || len(trend) != 52 || trend[0].Health != 100 || trend[len(trend)-1].Health != 59 {
		t.Fatalf("trend %d points %+v %v", len(trend), trend, err)
	}

	q4, err := ParsePeriod("2026-Q4", loc)
	if err != nil || q4.Label != "2026年第四季度" {
		t.Fatal(q4, err)
	}
	units, err := Ranking(ctx, st, q4, now, loc)
	if err != nil || len(units) != 2 {
		t.Fatalf("ranking %+v %v", units, err)
	}
	if units[0].Unit != "区卫健委" || units[0].Vetoes != 1 || units[0].Rank != 1 || units[1].Unit != "区教育局" || units[1].Open != 1 {
		t.Errorf("ranking %+v", units)
	}
	if units[1].Change() != "上期无问题，未解决 +1" {
		t.Errorf("change %q", units[1].Change())
	}

	n, err := NoticeOf(ctx, st, q4, NoticeOptions{Title: "通报", Examples: 5, DeadlineDays: 10}, now, loc)
	if err != nil {
		t.Fatal(err)
	}
	if n.Overview.Sites != 1 || n.Overview.Scans != 2 || n.Overview.Found != 2 || n.Overview.Open != 2 || n.Overview.Failed != 1 ||
		n.Issuer != "区政府办公室" || len(n.Problems) != 2 || len(n.Units) != 2 || n.Deadline.Format("2006-01-02") != "2026-12-09" {
		t.Errorf("notice %+v", n)
	}
	if got := len(n.Sheets()); got != 4 {
		t.Errorf("%d sheets", got)
	}
}

func TestParsePeriod(t *testing.T) {
	loc := time.UTC
	for in, want := range map[string]string{"2026-Q4": "2026年第四季度 2026-10-01 2027-01-01", "2026-11": "2026年11月 2026-11-01 2026-12-01",
		"2026": "2026年 2026-01-01 2027-01-01", "2026-Q1": "2026年第一季度 2026-01-01 2026-04-01"} {
		p, err := ParsePeriod(in, loc)
		if got := p.Label + " " + p.From.Format("2006-01-02") + " " + p.To.Format("2006-01-02"); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{"2027-Q1": "2026-Q4", "2026-03": "2026-02", "2026-01": "2025-12", "2026": "2025"} {
		p, _ := ParsePeriod(in, loc)
		if got := p.Prev(); got.Key != want || !got.To.Equal(p.From) {
			t.Errorf("before %s: %s (%s–%s), want %s", in, got.Key, got.From, got.To, want)
		}
	}
	for _, bad := range []string{"", "2026-Q5", "2026-13", "26", "2026-W48", "Q4"} {
		if _, err := ParsePeriod(bad, loc); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
