package scan

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/crawler/extract"
	"github.com/xunjian/xunjian/rules"
)

// BenchmarkPageChecks is the per-page work of a scan besides fetching and
// parsing (extract's BenchmarkParse): the text checks, the wording rules,
// policy and column facts, on a typical 6 KB article page. A regression
// here shows in bench/run.sh as pages/s.
func BenchmarkPageChecks(b *testing.B) {
	set, err := rules.Load("")
	if err != nil {
		b.Fatal(err)
	}
	body := `<html><head><meta charset="utf-8"><title>区政府召开常务会议_青溪区人民政府</title>
<meta name="ColumnName" content="政务要闻"><meta name="PubDate" content="2026-11-20 10:19"></head><body>
<div class="header"><a href="/">首页</a></div><div class="nav"><ul><li><a href="/xwzx/">新闻</a></li></ul></div>
<div class="main"><h1>区政府召开常务会议</h1><div class="info">发布时间：2026-11-20 10:19　来源：区政府办公室</div>` +
		strings.Repeat("<p>会议强调，要坚持以人民为中心的发展思想，扎实做好各项工作，推动全区经济社会高质量发展，确保完成全年目标任务。</p>", 40) +
		`</div><div class="footer">主办单位：青溪区人民政府办公室　联系电话：0571-88880000</div></body></html>`
	u, _ := url.Parse("http://www.qxq.gov.cn/xwzx/zwyw/202611/t20261120_1.html")
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	doc := extract.ParseWith([]byte(body), u, extract.Options{Now: now})
	page := &crawler.Page{PageRecord: crawler.PageRecord{URL: u.String()}, Doc: doc}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var f pageFacts
		f.add(page, now, set)
	}
}
