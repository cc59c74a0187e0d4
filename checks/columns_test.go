package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/crawler/extract"
)

var (
	cst   = time.FixedZone("CST", 8*3600)
	today = time.Date(2026, 11, 26, 10, 0, 0, 0, cst)
)

func daysAgo(n int) time.Time { return time.Date(2026, 11, 26, 0, 0, 0, 0, cst).AddDate(0, 0, -n) }

func items(ages ...int) extract.List {
	var l extract.List
	for _, a := range ages {
		if a < -1000 {
			l.Items = append(l.Items, extract.Item{Title: "无日期"})
			continue
		}
		l.Items = append(l.Items, extract.Item{Title: "条目", URL: "x", Date: daysAgo(a), Dated: true})
	}
	return l
}

const undated = -9999

func TestColumns_Register(t *testing.T) {
	s := "http://www.qxq.gov.cn"
	pages := []PageFacts{
		{URL: s + "/", IsHome: true, List: items(3)},
		{URL: s + "/xwzx/zwyw/", ColumnName: "政务要闻", List: items(20, 25)},
		{URL: s + "/xwzx/zwyw/index_1.html", ColumnName: "政务要闻", List: items(3, 40)}, // page 2 (odd order) still counts
		{URL: s + "/xwzx/zwyw/202611/t1.html", ColumnName: "政务要闻", IsArticle: true, List: items(1, 2, 3)},
		{URL: s + "/zwgk/tzgg/", Title: "通知公告_青溪区人民政府", List: items(200)},            // named by title
		{URL: s + "/jgzn/", Title: "机构职能_青溪区", TextLen: 800},                         // a content page
		{URL: s + "/ndbb/", ColumnName: "政府信息公开年报", List: items(800)},                // exempt by keyword
		{URL: s + "/zt/", List: items(1, 2, 3), Title: "某专题活动"},                      // ≥3 dated items, exempt name
		{URL: s + "/misc.html", List: items(5)},                                      // not a column
		{URL: s + "/bmdt/list.jsp?page=2&col=7", ColumnName: "部门动态", List: items(4)}, // paginated by query
		{URL: s + "/bmdt/list.jsp?col=7", ColumnName: "部门动态", List: items(2)},
		{URL: s + "/zwgk/jdhy/", ColumnName: "回应关切", ColumnType: "通知公告", List: items(10)}, // classed by ColumnType
		{URL: s + "/zwgk/ghjh/", Crumb: "规划计划", Title: "列表页", List: items(30, 31, 32)},    // named by breadcrumb
	}
	nav := map[string]string{s + "/zwgk/tzgg/": "", s + "/jgzn/": "机构职能"}
	rules := DefaultColumnRules()
	rules.Overrides = []ColumnOverride{{URL: s + "/xwzx/", Owner: "区融媒体中心"}, {Name: "部门动态", Class: "exempt"}}
	cols := Columns(pages, nav, rules, today)
	byURL := map[string]Column{}
	for _, c := range cols {
		byURL[c.URL] = c
	}
	if c := byURL[s+"/zwgk/jdhy/"]; c.Class != "notice" {
		t.Errorf("回应关切 (ColumnType 通知公告) %+v", c)
	}
	if c := byURL[s+"/zwgk/ghjh/"]; c.Name != "规划计划" || c.Class != "plan" {
		t.Errorf("规划计划 (breadcrumb) %+v", c)
	}
	if len(cols) != 8 {
		t.Fatalf("%d columns: %+v", len(cols), cols)
	}
	zwyw := byURL[s+"/xwzx/zwyw/"]
	if zwyw.Name != "政务要闻" || zwyw.Class != "news" || zwyw.Pages != 2 || zwyw.Items != 4 || !zwyw.Newest.Equal(daysAgo(3)) || zwyw.Owner != "区融媒体中心" {
		t.Errorf("政务要闻 %+v", zwyw)
	}
	if c := byURL[s+"/zwgk/tzgg/"]; c.Name != "通知公告" || c.Class != "notice" || c.Days != 183 {
		t.Errorf("通知公告 %+v", c)
	}
	if c := byURL[s+"/jgzn/"]; c.Empty || c.Class != "" {
		t.Errorf("机构职能 (a content page) %+v", c)
	}
	if c := byURL[s+"/ndbb/"]; c.Class != "exempt" {
		t.Errorf("年报 %+v", c)
	}
	if c := byURL[s+"/bmdt/list.jsp?col=7"]; c.Class != "exempt" || c.Pages != 2 {
		t.Errorf("部门动态 (override) %+v", c)
	}
	if _, ok := byURL[s+"/misc.html"]; ok {
		t.Error("a page with one dated link became a column")
	}
}

func TestFreshness(t *testing.T) {
	rules := DefaultColumnRules()
	col := func(name, class string, l extract.List) Column {
		c := Column{URL: "http://x/" + name + "/", Name: name, Class: class}
		cs := Columns([]PageFacts{{URL: c.URL, ColumnName: name, List: l, TextLen: len(l.Items) * 10}}, nil, rules, today)
		if len(cs) == 1 {
			c = cs[0]
		}
		return c
	}
	tests := []struct {
		name string
		col  Column
		rule string // "" = no finding
		msg  string
	}{
		{"news fresh", col("政务要闻", "", items(3, 10)), "", ""},
		{"news at the line", col("政务要闻", "", items(14)), RuleStaleWarning, "还剩 0 天"},
		{"news early warning at day 10", col("政务要闻", "", items(10)), RuleStaleWarning, "预警：已 10 天未更新"},
		{"news day 9: quiet", col("政务要闻", "", items(9)), "", ""},
		{"news stale", col("政务要闻", "", items(38, 50)), RuleStaleColumn, "已 38 天未更新，动态要闻类栏目要求 2周内更新"},
		{"notice within 6 months", col("通知公告", "", items(120)), "", ""},
		{"notice stale", col("通知公告", "", items(200)), RuleStaleColumn, "要求 6个月内更新"},
		{"personnel within a year", col("人事信息", "", items(300)), RuleStaleWarning, ""},
		{"personnel stale", col("人事信息", "", items(402)), RuleStaleColumn, "要求 1年内更新"},
		{"undated items count as not updated", col("政务要闻", "", items(undated, undated)), RuleStaleUndated, "2 条信息均无发布日期"},
		{"empty", col("工作动态", "", extract.List{}), RuleEmptyColumn, "空白栏目"},
		{"placeholder", col("互动交流", "", extract.List{Placeholder: true}), RulePlaceholder, "暂无信息"},
		{"unclassified page with little text (an embedded service)", col("在线办事", "", extract.List{}), "", ""},
		{"explained empty column is exempt", col("财政资金", "", extract.List{Explained: true}), "", ""},
		{"exempt class is never judged", col("政府信息公开年报", "", items(800)), "", ""},
		{"unknown class: listed, not judged", col("机构概况", "", items(800)), "", ""},
		{"future-dated item", col("部门动态", "", items(-5, 3)), RuleFutureDate, "疑似虚假更新日期"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Freshness([]Column{tt.col}, nil, today, rules)
			if tt.rule == "" {
				if len(fs) != 0 {
					t.Errorf("false alarm: %+v (column %+v)", fs, tt.col)
				}
				return
			}
			if len(fs) != 1 || fs[0].Rule != tt.rule || !strings.Contains(fs[0].Message+fs[0].Evidence, tt.msg) {
				t.Errorf("got %+v, want rule %s with %q (column %+v)", fs, tt.rule, tt.msg, tt.col)
			}
		})
	}
}

func TestFreshness_FutureItemDoesNotHideStaleness(t *testing.T) {
	rules := DefaultColumnRules()
	cols := Columns([]PageFacts{{URL: "http://x/yw/", ColumnName: "要闻", List: items(-30, 40)}}, nil, rules, today)
	fs := Freshness(cols, nil, today, rules)
	var rules2 []string
	for _, f := range fs {
		rules2 = append(rules2, f.Rule)
	}
	if strings.Join(rules2, ",") != RuleFutureDate+","+RuleStaleColumn {
		t.Errorf("findings %v", rules2)
	}
}

func TestFreshness_Homepage(t *testing.T) {
	rules := DefaultColumnRules()
	tests := []struct {
		name string
		list extract.List
		rule string
	}{
		{"fresh", items(2, 30), ""},
		{"day 10: warning", items(10, 30), RuleHomepageWarn},
		{"day 16: veto risk", items(16), RuleHomepageStale},
		{"only a future item", items(-3), RuleHomepageStale},
		{"nothing dated", items(undated), RuleHomepageStale},
	}
	for _, tt := range tests {
		fs := Freshness(nil, &PageFacts{URL: "http://x/", IsHome: true, List: tt.list}, today, rules)
		got := ""
		if len(fs) > 0 {
			got = fs[0].Rule
		}
		if got != tt.rule {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.rule)
		}
	}
}

func TestVetoCounts(t *testing.T) {
	cols := []Column{{URL: "a", Class: "news"}, {URL: "b", Class: "notice"}, {URL: "c", Class: "plan"}, {URL: "d"}}
	fs := []Finding{
		{Category: StaleColumn, Rule: RuleStaleColumn, URL: "a"}, {Category: StaleColumn, Rule: RuleStaleUndated, URL: "b"},
		{Category: StaleColumn, Rule: RuleStaleColumn, URL: "c"}, {Category: StaleColumn, Rule: RuleStaleWarning, URL: "a"},
		{Category: EmptyColumn, Rule: RuleEmptyColumn, URL: "d"},
	}
	if v := VetoCounts(fs, cols); v != (Veto{Late: 2, LongNotUpdated: 1, Empty: 1}) {
		t.Errorf("veto %+v", v)
	}
}
