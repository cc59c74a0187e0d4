package demosite

import (
	"fmt"
	"github.com/xunjian/xunjian/config"
	"net/http"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Platforms stands in for the new-media platforms and feed bridges the
// district's accounts are read from: RSS, Atom (GBK), JSON Feed, WeChat
// article pages and the Weibo mobile API, each with known defects:
//
//	/feeds/qingxi.xml   青溪发布 (RSS): fresh; a post with a typo and a link to a shop
//	/feeds/wjw.xml      青溪卫健 (Atom, GBK): newest post 20 days old → stale_account
//	/feeds/jy.json      青溪教育 (JSON Feed): newest post 11 days old → early warning
//	/s/…                青溪文旅 (WeChat articles): one fresh, one deleted by its publisher
//	/weibo/… uid 100    青溪公安 (Weibo): a pinned post from yesterday, the rest 30 days old → stale
//	/weibo/… uid 200    青溪城管 (Weibo): the API wants a cookie (ok:-100) → account_unreachable
func Platforms(now time.Time) http.Handler {
	loc := config.OfficeZone()
	now = now.In(loc)
	ago := func(days int) time.Time { return now.AddDate(0, 0, -days) }
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feeds/qingxi.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>青溪发布</title><link>http://%s/</link>
<item><title>青溪区召开冬季安全生产部署会</title><link>http://%s/p/1</link><pubDate>%s</pubDate>
<description><![CDATA[<p>会议要求各单位既使在节假日，必须落实值班制度。</p>]]></description></item>
<item><title>青溪好物节开幕</title><link>http://%s/p/2</link><pubDate>%s</pubDate>
<description><![CDATA[<p>扶贫产品线上销售，<a href="https://item.taobao.com/item.htm?id=12345">点击购买</a>。</p>]]></description></item>
</channel></rss>`, r.Host, r.Host, ago(1).Format(time.RFC1123Z), r.Host, ago(3).Format(time.RFC1123Z))
	})
	mux.HandleFunc("GET /feeds/wjw.xml", func(w http.ResponseWriter, r *http.Request) {
		body := fmt.Sprintf(`<?xml version="1.0" encoding="gbk"?><feed xmlns="http://www.w3.org/2005/Atom"><title>青溪卫健</title>
<entry><title>流感疫苗接种指南</title><link href="http://%s/wjw/1"/><updated>%s</updated><content type="html">&lt;p&gt;请市民按时接种流感疫苗。&lt;/p&gt;</content></entry>
<entry><title>健康讲座进社区</title><link href="http://%s/wjw/2"/><updated>%s</updated><content type="html">&lt;p&gt;讲座通知。&lt;/p&gt;</content></entry>
</feed>`, r.Host, ago(20).Format(time.RFC3339), r.Host, ago(45).Format(time.RFC3339))
		out, _ := simplifiedchinese.GBK.NewEncoder().String(body)
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprint(w, out)
	})
	mux.HandleFunc("GET /feeds/jy.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/feed+json")
		fmt.Fprintf(w, `{"version":"https://jsonfeed.org/version/1.1","title":"青溪教育","items":[
{"id":"1","url":"http://%s/jy/1","title":"中小学寒假安排","content_html":"<p>寒假自1月20日开始。</p>","date_published":"%s"}]}`,
			r.Host, ago(11).Format("2006-01-02T15:04:05")) // no zone: Asia/Shanghai
	})
	mux.HandleFunc("GET /s/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.PathValue("id") == "deleted" {
			fmt.Fprint(w, `<html><body><div class="weui-msg"><p class="weui-msg__desc">该内容已被发布者删除</p></div></body></html>`)
			return
		}
		fmt.Fprintf(w, `<html><head><meta property="og:title" content="冬游青溪 温泉季启幕"></head><body>
<div id="js_content"><p>温泉季活动期间，游客可凭身份证享受优惠。咨询：李经理 13700001234。</p></div>
<script>var ct = "%d"; var nickname = "青溪文旅";</script></body></html>`, ago(4).Unix())
	})
	mux.HandleFunc("GET /weibo/api/container/getIndex", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		uid, container := r.URL.Query().Get("value"), r.URL.Query().Get("containerid")
		switch {
		case uid == "200":
			fmt.Fprint(w, `{"ok":-100,"url":"https://passport.weibo.cn/signin/welcome"}`)
		case container == "":
			fmt.Fprintf(w, `{"ok":1,"data":{"userInfo":{"screen_name":"青溪公安"},"tabsInfo":{"tabs":[{"tab_type":"profile","containerid":"230283%s"},{"tab_type":"weibo","containerid":"107603%s"}]}}}`, uid, uid)
		default:
			created := func(t time.Time) string { return t.Format("Mon Jan 02 15:04:05 -0700 2006") }
			fmt.Fprintf(w, `{"ok":1,"data":{"cards":[
{"card_type":9,"mblog":{"id":"501","created_at":"%s","text":"【置顶】反诈宣传月，请牢记96110。","isTop":1}},
{"card_type":9,"mblog":{"id":"402","created_at":"%s","text":"冬季交通安全提示。"}},
{"card_type":9,"mblog":{"id":"401","created_at":"%s","text":"户籍业务办理指南。"}}]}}`, created(ago(1)), created(ago(30)), created(ago(52)))
		}
	})
	return mux
}
