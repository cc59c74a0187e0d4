package patrol

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/demosite"
	"github.com/xunjian/xunjian/scan"
)

func TestParseRegister_XLSXAndCSV(t *testing.T) {
	sheet := [][]string{
		{"序号", "主办单位", "账号名称", "平台", "账号ID", "联系人", "邮箱", "订阅地址", "备注"}, // any order, extra columns
		{"1", "区委宣传部", "青溪发布", "微信公众号", "qingxifabu", "张三", "xcb@qxq.gov.cn", "http://rss.local/qingxi.xml", ""},
		{"2", "区公安分局", "青溪公安", "微博", "100", "李四", "", "", ""},
		{"3", "区教育局", "", "今日头条", "", "", "", "", "已注销"},                                           // no name: a bad row
		{"4", "区卫健局", "青溪卫健", "抖音", "wjw", "王五", "wjw.qxq.gov.cn", "http://rss.local/wjw.xml", ""}, // bad e-mail
		{"5", "区文旅局", "青溪文旅", "微信公众号", "", "", "", "", ""},                                         // no source
		{"6", "区委宣传部", "青溪发布", "微信公众号", "", "", "", "http://rss.local/x.xml", ""},                  // duplicate
	}
	var csv strings.Builder
	for _, r := range sheet {
		csv.WriteString(strings.Join(r, ",") + "\r\n")
	}
	gbkCSV, _ := simplifiedchinese.GBK.NewEncoder().String(csv.String())
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"register.xlsx", demosite.Xlsx("账号", sheet)},
		{"register.csv", []byte("\uFEFF" + csv.String())},
		{"register-gbk.csv", []byte(gbkCSV)}, // as Excel on Chinese Windows saves it
	} {
		t.Run(f.name, func(t *testing.T) {
			rows, err := attachment.Rows(f.name, f.data)
			if err != nil {
				t.Fatal(err)
			}
			accts, errs := ParseRegister(rows)
			if len(accts) != 2 || accts[0].Name != "青溪发布" || accts[0].Source.Kind != crawler.SourceFeed ||
				accts[1].Source.Kind != crawler.SourceWeibo || accts[1].Source.UID != "100" || accts[0].Owner != "区委宣传部" {
				t.Errorf("accounts %+v", accts)
			}
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			got := strings.Join(msgs, "\n")
			for _, want := range []string{"row 4: 账号名称 is empty", "row 5 (青溪卫健): 邮箱", "row 6 (青溪文旅): no source", "row 7: 青溪发布 is already on row 2"} {
				if !strings.Contains(got, want) {
					t.Errorf("errors lack %q:\n%s", want, got)
				}
			}
		})
	}
}

func TestRegisterRoundTrip(t *testing.T) {
	in := []scan.Account{{Name: "青溪文旅", Platform: "微信公众号", Owner: "区文旅局", Source: crawler.Source{Kind: crawler.SourceWeChat, URLs: []string{"http://a/s/1", "http://a/s/2"}}}}
	rows := RegisterRows(in)
	out, errs := ParseRegister(rows)
	if len(errs) != 0 || len(out) != 1 || len(out[0].Source.URLs) != 2 || out[0].Owner != "区文旅局" {
		t.Errorf("round trip: %+v %v", out, errs)
	}
}
