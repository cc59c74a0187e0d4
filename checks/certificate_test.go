package checks

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/certtest"
	"github.com/xunjian/xunjian/crawler/extract"
)

func TestCertificates(t *testing.T) {
	s := newSite(home)
	s.res.Targets[0].Internal = true
	article := home + "xwzx/a1.html"
	s.add(article, extract.Page, ok)
	s.res.Targets[1].Internal = true
	s.add("https://old.example.gov.cn/a.html", extract.Page, crawler.LinkStatus{Status: 200, Cert: crawler.CertExpired})
	s.add("https://old.example.gov.cn/b.html", extract.Page, crawler.LinkStatus{Status: 200, Cert: crawler.CertExpired})
	s.add("https://www.qxq.gov.cn/", extract.Page, crawler.LinkStatus{Status: 200, Cert: crawler.CertUntrusted})
	s.res.Targets[4].Internal = true
	s.link(home, article, "文章", false)
	s.link(article, "https://old.example.gov.cn/a.html", "旧平台", false)
	s.link(article, "https://old.example.gov.cn/b.html", "旧平台二", false)
	s.link(home, "https://old.example.gov.cn/b.html", "旧平台", true)
	s.link(home, "https://www.qxq.gov.cn/", "HTTPS 版", false)
	s.res.Certificates = []crawler.CertProblem{
		{Host: "old.example.gov.cn", Reason: crawler.CertExpired, Reasons: []crawler.CertReason{crawler.CertExpired},
			NotAfter: time.Date(2025, 3, 31, 20, 0, 0, 0, time.UTC), Targets: []int32{2, 3}},
		{Host: "www.qxq.gov.cn", Reason: crawler.CertUntrusted, Reasons: []crawler.CertReason{crawler.CertUntrusted, crawler.CertHostname},
			NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Targets: []int32{4}},
	}
	got := Certificates(s.res)
	if len(got) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(got), got)
	}
	link, site := got[0], got[1]
	if link.Category != Certificate || link.Severity != Low || link.Rule != RuleCertificateLink || link.Evidence != "old.example.gov.cn" ||
		link.URL != home || len(link.Refs) != 2 || !link.Refs[0].OnHome || link.Refs[1].Page != article {
		t.Errorf("linked host: %+v", link)
	}
	for _, want := range []string{"old.example.gov.cn", "证书已过期（已于 2025-04-01 到期）", "共 2 个页面", "（首页）"} {
		if !strings.Contains(link.Message, want) {
			t.Errorf("linked host message %q lacks %q", link.Message, want)
		}
	}
	if site.Rule != RuleCertificateSite || site.Evidence != "www.qxq.gov.cn" || site.URL != home || len(site.Refs) != 1 || !site.Refs[0].OnHome {
		t.Errorf("own host: %+v", site)
	}
	for _, want := range []string{"本网站（www.qxq.gov.cn）", "证书颁发机构不受信任（自签名或缺少中间证书）；证书域名不匹配（证书到期日期 2027-01-01）"} {
		if !strings.Contains(site.Message, want) {
			t.Errorf("own host message %q lacks %q", site.Message, want)
		}
	}
	if Certificates(&crawler.Result{Targets: s.res.Targets}) != nil {
		t.Error("findings without certificate problems")
	}
}

func TestCertProblem(t *testing.T) {
	nb, na := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		p    crawler.CertProblem
		want string
	}{
		{crawler.CertProblem{Reason: crawler.CertHostname, NotBefore: nb, NotAfter: na}, "证书域名不匹配（证书到期日期 2027-12-01）"},
		{crawler.CertProblem{Reasons: []crawler.CertReason{crawler.CertNotYetValid}, NotBefore: nb, NotAfter: na}, "证书尚未生效（生效日期 2026-12-01，到期日期 2027-12-01）"},
		{crawler.CertProblem{Reasons: []crawler.CertReason{crawler.CertSelfSigned, crawler.CertExpired}, NotAfter: nb}, "证书为自签名证书，浏览器不信任；证书已过期（已于 2026-12-01 到期）"},
		{crawler.CertProblem{Reason: crawler.CertInvalid}, "证书无效（用途、签名算法或约束不符合要求）"},
	} {
		if got := certProblem(tt.p); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.p.Reasons, got, tt.want)
		}
	}
}

// End to end, over real TLS on loopback: certificates a browser refuses are
// certificate findings and not dead links; one completed by AIA is neither;
// a handshake reset is a dead link.
func TestCertificates_Crawl(t *testing.T) {
	root := certtest.NewRoot(t, "Test Root CA")
	inter := root.Intermediate(t, "Test Intermediate CA")
	ca := http.NewServeMux() // the CA's plain-HTTP issuer address (AIA)
	ca.HandleFunc("/inter.crt", func(w http.ResponseWriter, r *http.Request) { w.Write(inter.Cert.Raw) })
	caSrv := httptest.NewServer(ca)
	t.Cleanup(caSrv.Close)
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><head><title>外部</title></head><body><p>正常页面</p></body></html>")
	})
	viaAIA := certtest.ServeTLS(t, inter.Issue(t, certtest.Leaf{AIA: []string{caSrv.URL + "/inter.crt"}}), page).URL
	noAIA := certtest.ServeTLS(t, inter.Issue(t, certtest.Leaf{AIA: []string{caSrv.URL + "/missing.crt"}}), page).URL
	wrong := certtest.ServeTLS(t, inter.Issue(t, certtest.Leaf{Chain: true, DNSNames: []string{"www.example.gov.cn"}}), page).URL
	reset := certtest.ResetServer(t)
	expired := inter.Issue(t, certtest.Leaf{Chain: true, NotBefore: time.Now().Add(-400 * 24 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)})
	site := certtest.ServeTLS(t, expired, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>首页</title></head><body><a href="%s/a.html">甲</a><a href="%s/a.html">乙</a><a href="%s/a.html">丙</a><a href="%s/a.html">丁</a></body></html>`,
			viaAIA, noAIA, wrong, reset)
	})).URL

	res, err := crawler.New(crawler.Options{Timeout: 2 * time.Second, CheckExternal: true, RootCAs: certtest.Pool(root),
		Dial: crawler.LoopbackOnly, RecheckAfter: time.Millisecond}).Run(t.Context(), site+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	host := func(u string) string { return strings.TrimPrefix(u, "https://") }
	var got []string
	for _, f := range Certificates(res) {
		got = append(got, fmt.Sprintf("%s %s %s", f.Rule, f.Evidence, f.URL))
		if f.Severity != Low || f.Category != Certificate {
			t.Errorf("%+v", f)
		}
	}
	want := []string{
		RuleCertificateLink + " " + host(noAIA) + " " + site + "/",
		RuleCertificateLink + " " + host(wrong) + " " + site + "/",
		RuleCertificateSite + " " + host(site) + " " + site + "/",
	}
	slices.Sort(got)
	slices.Sort(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("certificate findings\n got %v\nwant %v", got, want)
	}
	var dead []string
	for _, f := range DeadLinks(res, time.Second) {
		dead = append(dead, f.Evidence+" "+f.Message)
	}
	if len(dead) != 1 || !strings.Contains(dead[0], host(reset)) || !strings.Contains(dead[0], "加密连接握手失败") {
		t.Errorf("dead links %v, want only the reset handshake", dead)
	}
}
