package crawler

import (
	"context"
	"errors"
	"golang.org/x/text/encoding/simplifiedchinese"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// platform serves the testdata fixtures the way the platforms do.
func platform(t *testing.T) *httptest.Server {
	file := func(name, ctype string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Error(err)
			}
			w.Header().Set("Content-Type", ctype)
			w.Write(data)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/rss.xml", file("rss.xml", "application/rss+xml"))
	mux.HandleFunc("/atom.xml", file("atom_gbk.xml", "application/atom+xml"))
	mux.HandleFunc("/gbk-header.xml", func(w http.ResponseWriter, r *http.Request) {
		// GBK declared only in the HTTP header: the prolog names no encoding.
		body := `<?xml version="1.0"?><rss version="2.0"><channel><title>示例区应急管理</title>
<item><title>冬季安全生产提示</title><link>http://yjj.example.gov.cn/1</link><pubDate>Fri, 06 Nov 2026 09:00:00 +0800</pubDate><description>请按装烟感报警器。</description></item></channel></rss>`
		out, _ := simplifiedchinese.GBK.NewEncoder().String(body)
		w.Header().Set("Content-Type", "application/rss+xml; charset=GBK")
		w.Write([]byte(out))
	})
	mux.HandleFunc("/cst.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>示例区发布</title>
<item><title>区政府召开常务会议</title><link>http://fb.example.gov.cn/1</link><pubDate>Sun, 29 Nov 2026 23:00:00 CST</pubDate></item></channel></rss>`))
	})
	mux.HandleFunc("/slash.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>示例区发布</title>
<item><title>冬季供暖提示</title><link>http://fb.example.gov.cn/2</link><pubDate>2026年11月29日 23:00</pubDate></item></channel></rss>`))
	})
	mux.HandleFunc("/feed.json", file("feed.json", "application/feed+json"))
	mux.HandleFunc("/s/ok", file("wechat.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/s/deleted", file("wechat_deleted.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/s/verify", file("wechat_verify.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/api/container/getIndex", func(w http.ResponseWriter, r *http.Request) {
		switch q := r.URL.Query(); {
		case q.Get("value") == "200":
			file("weibo_cookie.json", "application/json")(w, r)
		case q.Get("value") == "432":
			w.WriteHeader(432)
		case q.Get("containerid") != "":
			file("weibo_cards.json", "application/json")(w, r)
		default:
			file("weibo_profile.json", "application/json")(w, r)
		}
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>not a feed")) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

var cst = time.FixedZone("CST", 8*3600)

func TestPosts_EverySourceKind(t *testing.T) {
	srv := platform(t)
	c := New(testOptions())
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, cst)
	tests := []struct {
		name       string
		src        Source
		n          int
		first      string
		published  time.Time
		pinned     bool
		problem    string
		htmlNeeded bool
	}{
		{"rss", Source{Kind: SourceFeed, URL: srv.URL + "/rss.xml"}, 2, "青溪区召开冬季安全生产部署会", time.Date(2026, 11, 25, 10, 0, 0, 0, cst), false, "", true},
		{"CST is China Standard Time", Source{Kind: SourceFeed, URL: srv.URL + "/cst.xml"}, 1, "区政府召开常务会议", time.Date(2026, 11, 29, 23, 0, 0, 0, cst), false, "", false},
		{"a date gofeed cannot read", Source{Kind: SourceFeed, URL: srv.URL + "/slash.xml"}, 1, "冬季供暖提示", time.Date(2026, 11, 29, 23, 0, 0, 0, cst), false, "", false},
		{"rss declared gbk in the header only", Source{Kind: SourceFeed, URL: srv.URL + "/gbk-header.xml"}, 1, "冬季安全生产提示", time.Date(2026, 11, 6, 9, 0, 0, 0, cst), false, "", false},
		{"atom declared gbk", Source{Kind: SourceFeed, URL: srv.URL + "/atom.xml"}, 1, "流感疫苗接种指南", time.Date(2026, 11, 6, 9, 0, 0, 0, cst), false, "", false},
		{"json feed, date without zone", Source{Kind: SourceFeed, URL: srv.URL + "/feed.json"}, 1, "中小学寒假安排", time.Date(2026, 11, 15, 8, 0, 0, 0, cst), false, "", false},
		{"wechat article", Source{Kind: SourceWeChat, URLs: []string{srv.URL + "/s/ok"}}, 1, "冬游青溪 温泉季启幕", time.Unix(1763700000, 0), false, "", true},
		{"wechat deleted", Source{Kind: SourceWeChat, URLs: []string{srv.URL + "/s/deleted"}}, 1, "", time.Time{}, false, "deleted", false},
		{"weibo with a pinned post", Source{Kind: SourceWeibo, UID: "100", URL: srv.URL}, 2, "【置顶】反诈宣传月，请牢记96110。", time.Date(2026, 11, 25, 9, 0, 0, 0, cst), true, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			posts, err := c.Posts(context.Background(), tt.src, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(posts) != tt.n {
				t.Fatalf("%d posts: %+v", len(posts), posts)
			}
			p := posts[0]
			if p.Title != tt.first || !p.Published.Equal(tt.published) || p.Pinned != tt.pinned || p.Problem != tt.problem {
				t.Errorf("first post %+v", p)
			}
			if tt.htmlNeeded && p.HTML == "" {
				t.Error("no markup kept for the post's links")
			}
		})
	}
	// The RSS item written without a zone is Asia/Shanghai wall-clock time.
	posts, _ := c.Posts(context.Background(), Source{Kind: SourceFeed, URL: srv.URL + "/rss.xml"}, now)
	if want := time.Date(2026, 11, 20, 9, 30, 0, 0, cst); !posts[1].Published.Equal(want) {
		t.Errorf("zone-less RSS date %v, want %v", posts[1].Published, want)
	}
}

func TestPosts_Unreadable(t *testing.T) {
	srv := platform(t)
	c := New(testOptions())
	now := time.Now()
	tests := []struct {
		name string
		src  Source
		want error
	}{
		{"weibo needs a cookie", Source{Kind: SourceWeibo, UID: "200", URL: srv.URL}, ErrNeedsCookie},
		{"weibo blocks", Source{Kind: SourceWeibo, UID: "432", URL: srv.URL}, ErrBlocked},
		{"wechat verification page", Source{Kind: SourceWeChat, URLs: []string{srv.URL + "/s/verify"}}, ErrBlocked},
	}
	for _, tt := range tests {
		if _, err := c.Posts(context.Background(), tt.src, now); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	for _, src := range []Source{{Kind: SourceFeed, URL: srv.URL + "/broken.xml"}, {Kind: SourceFeed, URL: srv.URL + "/missing.xml"}, {Kind: SourceFeed, URL: "http://127.0.0.1:1/feed"}} {
		var re *ReadError
		if _, err := c.Posts(context.Background(), src, now); !errors.As(err, &re) {
			t.Errorf("%s: %v, want a ReadError", src.URL, err)
		}
	}
}

// A feed longer than max_body_bytes is cut: it is reported as too large,
// not as an XML syntax error — and one exactly at the limit still reads.
func TestPosts_FeedOverTheSizeLimit(t *testing.T) {
	item := "<item><title>区政府召开常务会议</title><link>http://a/1</link><pubDate>Sun, 29 Nov 2026 09:00:00 +0800</pubDate></item>"
	feed := func(n int) string {
		return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>青溪发布</title>` + strings.Repeat(item, n) + "</channel></rss>"
	}
	big, small := feed(200), feed(2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big.xml" {
			io.WriteString(w, big)
			return
		}
		io.WriteString(w, small)
	}))
	defer srv.Close()
	opts := testOptions()
	opts.MaxBodyBytes = len(small)
	c := New(opts)
	if posts, err := c.Posts(context.Background(), Source{Kind: SourceFeed, URL: srv.URL + "/small.xml"}, time.Now()); err != nil || len(posts) != 2 {
		t.Errorf("a feed at the limit: %d posts, %v", len(posts), err)
	}
	_, err := c.Posts(context.Background(), Source{Kind: SourceFeed, URL: srv.URL + "/big.xml"}, time.Now())
	if !errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNotFeed) {
		t.Errorf("a feed over the limit: %v, want ErrTooLarge", err)
	}
}

// Feed dates as Chinese sites write them are read; one that no reader
// understands is kept as written, so the account is not called silent.
func TestPosts_FeedDateForms(t *testing.T) {
	items := ""
	for _, d := range []string{"2026/11/29 23:00", "2026年11月29日", "2026.11.29", "Sun, 29 Nov 2026 23:00:00 CST", "廿九日 晚"} {
		items += "<item><title>t</title><link>http://a/</link><pubDate>" + d + "</pubDate></item>"
	}
	feed := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>` + items + "</channel></rss>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feed) }))
	defer srv.Close()
	cst := time.FixedZone("CST", 8*3600)
	posts, err := New(testOptions()).Posts(context.Background(), Source{Kind: SourceFeed, URL: srv.URL}, time.Date(2026, 11, 30, 9, 0, 0, 0, cst))
	if err != nil || len(posts) != 5 {
		t.Fatalf("%d posts, %v", len(posts), err)
	}
	for i, want := range []time.Time{time.Date(2026, 11, 29, 23, 0, 0, 0, cst), time.Date(2026, 11, 29, 0, 0, 0, 0, cst), time.Date(2026, 11, 29, 0, 0, 0, 0, cst), time.Date(2026, 11, 29, 23, 0, 0, 0, cst)} {
		if !posts[i].Published.Equal(want) {
			t.Errorf("post %d: %v, want %v", i, posts[i].Published, want)
		}
	}
	if !posts[4].Published.IsZero() || posts[4].DateText != "廿九日 晚" {
		t.Errorf("unreadable date: %+v", posts[4])
	}
}
