package extract

import (
	"net/url"
	"reflect"
	"testing"
)

func TestPolicyOf_LabelVariants(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/zwgk/zcwj/")
	want := Policy{Index: "11330199MB0000000X/2026-00012", Issuer: "青溪区人民政府", Written: "2026-08-20",
		Published: "2026-08-28", Number: "青政发〔2026〕5号", Validity: "有效", Type: "规范性文件"}
	tests := []struct{ name, html string }{
		{"th/td table", `<table class="xxgk"><tr><th>索引号：</th><td>11330199MB0000000X/2026-00012</td><th>主题分类：</th><td>综合政务</td></tr>
<tr><th>发文机关：</th><td>青溪区人民政府</td><th>成文日期：</th><td>2026-08-20</td></tr>
<tr><th>发布日期：</th><td>2026-08-28</td><th>文号：</th><td>青政发〔2026〕5号</td></tr>
<tr><th>有效性：</th><td>有效</td><th>文件类型：</th><td>规范性文件</td></tr></table>`},
		{"label：value cells", `<table><tr><td>索 引 号：11330199MB0000000X/2026-00012</td><td>分类：综合政务</td></tr>
<tr><td>发布机构：青溪区人民政府</td><td>发文日期：2026-08-20</td></tr><tr><td>公开日期：2026-08-28</td><td>发文字号：青政发〔2026〕5号</td></tr>
<tr><td>时效：有效</td><td>文种：规范性文件</td></tr></table>`},
		{"definition list", `<dl><dt>索引号</dt><dd>11330199MB0000000X/2026-00012</dd><dt>发文机关</dt><dd>青溪区人民政府</dd>
<dt>成文日期</dt><dd>2026-08-20</dd><dt>发布日期</dt><dd>2026-08-28</dd><dt>文件编号</dt><dd>青政发〔2026〕5号</dd>
<dt>效力状态</dt><dd>有效</dd><dt>文件类型</dt><dd>规范性文件</dd></dl>`},
		{"label：value lines", `<div class="info"><p>索引号：11330199MB0000000X/2026-00012　　发文机关：青溪区人民政府</p>
<p>成文日期：2026-08-20 发布日期：2026-08-28</p><p>文号：青政发〔2026〕5号　有效性：有效　文件类型：规范性文件</p></div>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.html), u)
			p, ok := d.Policy, d.IsPolicy
			if !ok {
				t.Fatalf("not recognised: %+v", p)
			}
			p.Present, p.Topic, p.Title, p.Keywords = nil, "", "", ""
			if !reflect.DeepEqual(p, want) {
				t.Errorf("got  %+v\nwant %+v", p, want)
			}
		})
	}
}

func TestPolicyOf_EmptyValueAndNoPolicy(t *testing.T) {
	u, _ := url.Parse("http://www.qxq.gov.cn/")
	d := Parse([]byte(`<table><tr><th>索引号：</th><td>X/2026-00001</td><th>文号：</th><td></td></tr><tr><th>发文机关：</th><td>区政府</td></tr></table>`), u)
	p, ok := d.Policy, d.IsPolicy
	if !ok || !p.Present["number"] || p.Number != "" {
		t.Errorf("an empty 文号 is a present label with no value: %+v", p)
	}
	if d := Parse([]byte(`<p>发布时间：2026-11-20　来源：区政府办公室</p><p>正文</p>`), u); d.IsPolicy {
		t.Error("an ordinary article is no policy document")
	}
}
