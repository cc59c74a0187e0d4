package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

// A district's year: a portal and 83 new-media accounts of 83 owning
// units, 52 weekly scans of the portal (4,800 issues that stay, 200 a week
// that come and go: 5,000 unresolved at the end, ~10,000 verified), and a
// score per target per day.
var yearDB = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "xunjian-bench-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "year.db")
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		return "", err
	}
	defer st.Close()
	loc := time.FixedZone("CST", 8*3600)
	start := time.Date(2025, 12, 1, 2, 30, 0, 0, loc)
	cats := []checks.Category{checks.Typo, checks.DeadLink, checks.StaleColumn, checks.PolicyMetadata, checks.PrivacyLeak, checks.Punctuation}
	unit := func(i int) string { return fmt.Sprintf("第%02d单位", i%83) }
	finding := func(i int) checks.Finding {
		c := cats[i%len(cats)]
		sev := checks.Low
		if i%50 == 0 {
			sev = checks.High
		}
		return checks.Finding{Category: c, Severity: sev, URL: fmt.Sprintf("http://www.qxq.gov.cn/p/%d.html", i), Evidence: fmt.Sprintf("证据 %d", i),
			Message: "说明", Rule: string(c) + ".bench", Owner: unit(i)}
	}
	site, err := st.SyncTarget(ctx, store.Target{Name: "门户网站", URL: "http://www.qxq.gov.cn/", Owner: "区政府办公室"}, start)
	if err != nil {
		return "", err
	}
	ids := []int64{site}
	for a := range 83 {
		id, err := st.SyncTarget(ctx, store.Target{Name: fmt.Sprintf("账号%02d", a), Kind: "account", URL: fmt.Sprintf("http://mp.example/%d", a),
			Owner: unit(a), SourceKind: "feed", Source: fmt.Sprintf("http://mp.example/%d.xml", a)}, start)
		if err != nil {
			return "", err
		}
		ids = append(ids, id)
	}
	for w := range 52 {
		at := start.AddDate(0, 0, 7*w)
		var fs []checks.Finding
		for i := range 4800 {
			fs = append(fs, finding(i))
		}
		for i := range 200 {
			fs = append(fs, finding(100000+200*w+i))
		}
		scanID, err := st.StartScan(ctx, site, store.KindCrawl, at)
		if err != nil {
			return "", err
		}
		if _, err := st.FinishScan(ctx, scanID, site, store.ScanResult{Status: store.ScanComplete, Findings: fs, Judged: judgedAll(cats)}, at.Add(time.Hour)); err != nil {
			return "", err
		}
	}
	for d := range 365 {
		day := start.AddDate(0, 0, d)
		for i, id := range ids {
			if err := st.SaveScore(ctx, store.ScoreRow{TargetID: id, Day: day.Format(time.DateOnly), Score: 90 - float64(i%10), Health: 85 - i%20,
				Detail: "{}", At: day}); err != nil {
				return "", err
			}
		}
	}
	return path, nil
})

func judgedAll(cats []checks.Category) []string {
	var out []string
	for _, c := range cats {
		out = append(out, string(c)+".")
	}
	return out
}

func openYear(b *testing.B) (*store.Store, *time.Location, time.Time) {
	b.Helper()
	path, err := yearDB()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	loc := time.FixedZone("CST", 8*3600)
	return st, loc, time.Date(2026, 11, 30, 9, 0, 0, 0, loc)
}

// Every target's scorecard recomputed and kept: what runs after each scan.
func BenchmarkRescore(b *testing.B) {
	st, loc, now := openYear(b)
	for b.Loop() {
		if _, err := Rescore(context.Background(), st, DefaultScoreRules(), now, loc); err != nil {
			b.Fatal(err)
		}
	}
}

// The year's unit ranking (with the previous year's for the change).
func BenchmarkRanking(b *testing.B) {
	st, loc, now := openYear(b)
	p, _ := ParsePeriod("2026", loc)
	for b.Loop() {
		if _, err := Ranking(context.Background(), st, p, now, loc); err != nil {
			b.Fatal(err)
		}
	}
}

// The quarter's notice gathered from the store and written as .docx.
func BenchmarkNotice(b *testing.B) {
	st, loc, now := openYear(b)
	if _, err := Rescore(context.Background(), st, DefaultScoreRules(), now, loc); err != nil {
		b.Fatal(err)
	}
	p, _ := ParsePeriod("2026-Q4", loc)
	for b.Loop() {
		n, err := NoticeOf(context.Background(), st, p, NoticeOptions{Title: "通报", Examples: 5, DeadlineDays: 10}, now, loc)
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteNoticeDOCX(discard{}, n); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// What the dashboard reads of the assessment: the kept scorecards, the
// quarter's trend, the units with most trouble.
func BenchmarkGlance(b *testing.B) {
	st, loc, now := openYear(b)
	if _, err := Rescore(context.Background(), st, DefaultScoreRules(), now, loc); err != nil {
		b.Fatal(err)
	}
	q := QuarterOf(now)
	for b.Loop() {
		ctx := context.Background()
		if _, err := Scorecards(ctx, st, now.Format(time.DateOnly)); err != nil {
			b.Fatal(err)
		}
		if _, err := Trend(ctx, st, q.From, now, loc); err != nil {
			b.Fatal(err)
		}
		if _, err := Worst(ctx, st, now, loc, 5); err != nil {
			b.Fatal(err)
		}
	}
}
