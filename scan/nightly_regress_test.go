package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/certtest"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

// A nightly patrol does not verify a linked host's certificate problem: it
// contacts that host only on the link's rotation night (a certificate
// problem is no dead link), so only full crawls judge certificates.
func TestNightly_CertificateOfUncontactedHostNotVerified(t *testing.T) {
	root := certtest.NewRoot(t, "Test Root CA")
	inter := root.Intermediate(t, "Test Intermediate CA")
	expired := inter.Issue(t, certtest.Leaf{Chain: true, NotBefore: time.Now().Add(-400 * 24 * time.Hour), NotAfter: time.Now().Add(-48 * time.Hour)})
	other := certtest.ServeTLS(t, expired, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>外站</title></head><body>外站</body></html>`)
	}))
	ext := other.URL + "/"
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<html><head><title>首页_测试区</title></head><body><a href="/a.html">甲</a><a href="%s">外站服务</a></body></html>`, ext)
		case "/a.html":
			fmt.Fprint(w, `<html><head><title>甲_测试区</title></head><body><p>甲页正文。</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()

	zone := time.FixedZone("CST", 8*3600)
	day0 := time.Date(2026, 12, 1, 2, 30, 0, 0, zone)
	clock := day0
	policy := &Nightly{ArchiveDays: 7, RecentDays: 3, FullDays: -1, LinkDays: 7, Zone: zone}
	opts := func() Options {
		return Options{Crawl: crawler.Options{Concurrency: 2, Timeout: 2 * time.Second, Dial: crawler.LoopbackOnly, CheckExternal: true,
			RootCAs: certtest.Pool(root)}, Nightly: policy, Now: func() time.Time { return clock }, Heartbeat: time.Hour}
	}
	st := storetest.Open(t)
	ctx := context.Background()
	s := Site{Name: "测试区", URL: site.URL + "/", Owner: "区政府办"}
	if rep, err := Run(ctx, st, s, opts()); err != nil || rep.Incremental || rep.Status != store.ScanComplete {
		t.Fatalf("full crawl: %v %v", rep.Status, err)
	}
	is := issueOn(t, st, s.Name, site.URL+"/", checks.RuleCertificateLink)

	// A night on which the linked host is not on its rotation.
	night := 0
	for n := 1; n < 7; n++ {
		at := day0.AddDate(0, 0, n)
		if !due(ext, day0, 7, nightOf(at, zone), at) {
			night = n
			break
		}
	}
	if night == 0 {
		t.Skip("no night without the link due")
	}
	clock = day0.AddDate(0, 0, night)
	rep, err := Run(ctx, st, s, opts())
	if err != nil || !rep.Incremental || rep.Status != store.ScanComplete {
		t.Fatalf("night %d: incremental %v %s %v", night, rep.Incremental, rep.Status, err)
	}
	now, err := st.Issue(ctx, is.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.Status == store.StatusVerified {
		t.Errorf("night %d: the certificate issue of %s was verified fixed, though the patrol never contacted the host (its certificate is still expired)", night, other.URL)
	}
}

// An issue about a file or a host is not counted as seen again because a
// page linking to it answered unchanged: the file can be replaced in place,
// the host was not contacted.
func TestNightly_CarryNeedsTheResourceChecked(t *testing.T) {
	const page, file = "http://x.gov.cn/b.html", "http://x.gov.cn/f.docx"
	s := nightScope{
		read:      map[string]bool{"http://x.gov.cn/": true},
		unchanged: map[string]bool{page: true},
		checked:   map[string]bool{},
		attached:  map[string]bool{}, // the attachment was not downloaded tonight
	}
	open := []store.Issue{
		{ID: 1, Category: checks.PrivacyLeak, Rule: checks.RuleMobile, URL: file, Evidence: "［正文］139****5678", Refs: []checks.Ref{{Page: page}}},
		{ID: 2, Category: checks.Certificate, Rule: checks.RuleCertificateLink, URL: page, Evidence: "other.example.cn", Refs: []checks.Ref{{Page: page}}},
	}
	_, carry, _ := s.apply(nil, open)
	for _, id := range carry {
		t.Errorf("issue %d (%s on %s) carried as seen again, though what it is about was not fetched tonight", id, open[id-1].Rule, open[id-1].URL)
	}
}

// An attachment's issue keeps its linking pages on a night the file was not
// read: a linking page read without the problem says nothing of the file.
func TestNightly_AttachmentRefsKeptWhenFileNotRead(t *testing.T) {
	const page, file = "http://x.gov.cn/a.html", "http://x.gov.cn/f.docx"
	s := nightScope{read: map[string]bool{page: true}, unchanged: map[string]bool{}, checked: map[string]bool{}, attached: map[string]bool{}}
	open := []store.Issue{{ID: 1, Category: checks.PrivacyLeak, Rule: checks.RuleMobile, URL: file, Evidence: "［正文］139****5678",
		Refs: []checks.Ref{{Page: page}}}}
	_, _, refs := s.apply(nil, open)
	if got, ok := refs[1]; ok {
		t.Errorf("the attachment's issue was given pages %+v: its linking page dropped though the file was not read tonight", got)
	}
}
