package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// rescored computes the seeded district's scorecards, as a scan would.
func (f *fixture) rescored() {
	f.t.Helper()
	if _, err := reports.Rescore(context.Background(), f.st, reports.DefaultScoreRules(), f.ui.now(), f.ui.loc); err != nil {
		f.t.Fatal(err)
	}
}

// 考评: the portal's projected score, its failed veto item with the
// evidence, the deductions, the ranking, the exports; owners are kept out.
func TestAssessmentPage(t *testing.T) {
	f := newFixture(t)
	c := f.login("zhang", staffPass)
	if _, body := f.get(c, "/assessment"); !strings.Contains(body, "尚无考评数据") {
		t.Error("before any score: no word of why the page is empty")
	}
	f.rescored()
	res, body := f.get(c, "/assessment")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("assessment: %d", res.StatusCode)
	}
	for _, want := range []string{"门户网站预估得分", `class="vchip veto-failed" title="1 处严重表述错误未整改">严重表述错误`, "错别字",
		"区政府办公室", "下载通报（Word）", "单位排名"} {
		if !strings.Contains(body, want) {
			t.Errorf("assessment page lacks %q", want)
		}
	}
	// The serious error fails the portal: its score is shown as failing.
	if !strings.Contains(body, `<b class="sev-high">`) {
		t.Error("the failing score is not marked")
	}
	if res, _ := f.get(c, "/assessment?period=2026-Q9"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad period: %d", res.StatusCode)
	}
	if res, _ := f.get(c, "/assessment?sort=nope"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad sort: %d", res.StatusCode)
	}
	if res, body := f.get(c, "/assessment?sort=open"); res.StatusCode != http.StatusOK || !strings.Contains(body, `sort=open#ranking" aria-current="true"`) {
		t.Errorf("sorted by open: %d", res.StatusCode)
	}
	for _, path := range []string{"/assessment/ranking.xlsx", "/assessment/notice.xlsx"} {
		res, body := f.get(c, path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "PK") || !strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
			t.Errorf("%s: %d %q", path, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
	}
	// The portal's history says why its score is what it is.
	ts, _ := f.st.Targets(context.Background(), "site")
	res, body = f.get(c, "/assessment/targets/"+strconv.FormatInt(ts[0].ID, 10))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "考评预估变化") {
		t.Errorf("history: %d", res.StatusCode)
	}
	// The dashboard leads with it.
	if _, body := f.get(c, "/"); !strings.Contains(body, `id="dash-score"`) || !strings.Contains(body, "vchip veto-failed") {
		t.Errorf("the dashboard does not lead with the projected score:\n%s", body[:min(len(body), 3000)])
	}
	owner := f.login("wjw", ownerPass)
	if res, _ := f.get(owner, "/assessment"); res.StatusCode != http.StatusForbidden {
		t.Errorf("an owner on 考评: %d", res.StatusCode)
	}
}

// Every veto item, state and deduction item the page shows has English.
func TestEnglishCatalog_Assessment(t *testing.T) {
	en, err := english()
	if err != nil {
		t.Fatal(err)
	}
	r := reports.DefaultScoreRules()
	var names []string
	for _, it := range append(r.Site, r.Account...) {
		names = append(names, it.Name)
	}
	for _, s := range []reports.VetoState{reports.VetoMet, reports.VetoRisk, reports.VetoFailed, reports.VetoManual} {
		names = append(names, s.Label())
	}
	for _, sc := range []reports.Scorecard{reports.Score(reports.ScoreInput{}, r), reports.Score(reports.ScoreInput{Target: store.Target{Kind: "account"}}, r)} {
		for _, v := range sc.Vetoes {
			names = append(names, v.Name)
		}
	}
	for _, n := range names {
		if _, ok := en[n]; !ok {
			t.Errorf("no English for %q", n)
		}
	}
}

// In English, 考评 speaks English: its headings, veto items, periods and
// the ranking's change; what the scans found stays as found.
func TestAssessmentPage_English(t *testing.T) {
	f := newFixture(t)
	f.rescored()
	c := f.login("zhang", staffPass)
	f.post(c, "/lang", url.Values{"lang": {"en"}})
	_, body := f.get(c, "/assessment")
	for _, want := range []string{"Projected score by target", "Serious wording error", "Veto failed", "no issues last period, unresolved ",
		"Unit ranking", `<option value="` + reports.QuarterOf(f.ui.now().In(f.ui.loc)).Key} {
		if !strings.Contains(body, want) {
			t.Errorf("English 考评 lacks %q", want)
		}
	}
	for _, zh := range []string{"上期无问题", "年第", "单项否决项", "考评预估"} {
		if strings.Contains(body, zh) {
			t.Errorf("English 考评 shows %q", zh)
		}
	}
}
