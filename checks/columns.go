package checks

import (
	"cmp"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/xunjian/xunjian/crawler/extract"
)

// PageFacts is what the column checks keep of one fetched page.
type PageFacts struct {
	URL        string
	IsHome     bool
	Title      string
	ColumnName string // <meta name="ColumnName">
	ColumnType string // <meta name="ColumnType">, e.g. 动态要闻, 通知公告
	Crumb      string // the last part of the page's breadcrumb (当前位置)
	IsArticle  bool   // a detail page (ArticleTitle/PubDate meta), not a list
	List       extract.List
	TextLen    int // characters of main text: a static page (机构职能) is no empty column
}

// ColumnClass is a kind of column and how fresh it must be kept.
type ColumnClass struct {
	Name     string   // news, notice, plan … (stable: used in rules and config)
	Label    string   // 动态要闻类 …
	Days     int      // newest item at most this old; 0: exempt
	Keywords []string // a column whose name contains one belongs here
}

// ColumnOverride is staff's correction of the register for one column,
// matched by URL (or URL prefix ending in /) or by name.
type ColumnOverride struct {
	URL, Name string
	Class     string // a class name, or "exempt"
	Owner     string
}

// ColumnRules configure the freshness checks. Defaults: DefaultColumnRules.
type ColumnRules struct {
	Classes        []ColumnClass // first match wins
	ExemptKeywords []string      // annual reports, historical topics
	HomepageDays   int           // the home page must show an item this new
	HomepageWarn   int           // early warning for the home page
	WarnRatio      float64       // early warning at this share of a class's days
	Overrides      []ColumnOverride
}

// DefaultColumnRules are the national indicators' thresholds
// (国办秘函〔2019〕19号): news 2 weeks, notices and policy 6 months,
// personnel and plans (commonly) 1 year; home page 2 weeks, warned at 10
// days as commercial monitors do.
func DefaultColumnRules() ColumnRules {
	return ColumnRules{
		Classes: []ColumnClass{
			{Name: "news", Label: "动态要闻类", Days: 14, Keywords: []string{"要闻", "动态", "工作进展", "新闻", "图片", "视频", "快讯", "简报"}},
			{Name: "notice", Label: "通知公告、政策文件类", Days: 183, Keywords: []string{"通知", "公告", "公示", "政策", "文件", "规范性", "法规", "解读"}},
			{Name: "plan", Label: "人事、规划计划类", Days: 365, Keywords: []string{"人事", "任免", "招考", "招聘", "规划", "计划", "总结", "预决算", "统计"}},
		},
		ExemptKeywords: []string{"年报", "年度报告", "专题", "专栏", "历史", "回顾", "网站地图", "关于我们", "联系我们", "English"},
		HomepageDays:   14,
		HomepageWarn:   10,
		WarnRatio:      0.7,
	}
}

// Column is one entry of a site's column register.
type Column struct {
	URL     string // first list page
	Name    string
	Type    string // the ColumnType meta tag, when the CMS sets one
	Class   string // a class name; "" when unknown (listed, not judged); "exempt"
	Label   string
	Days    int
	Owner   string // from an override; "" for the site's owner
	Pages   int    // list pages seen (pagination)
	Items   int
	Undated int
	Newest  time.Time // newest dated item; zero when none
	Empty   bool      // no items, or only a placeholder
	// Explained: the page says why it is empty; not counted as empty.
	Explained   bool
	Placeholder bool           // the page says 暂无信息
	TextLen     int            // longest main text of its pages
	Future      []extract.Item // items dated after the day of the scan
}

// minContentText is the main text (in characters) above which a page with no
// list items is a content page rather than an empty column.
const minContentText = 60

// pagination strips the page part of a list URL: index_2.html, ?page=3.
var pagination = regexp.MustCompile(`(?i)(index|list|default)_\d+\.(s?html?|jsp|php|aspx?)$`)

var pageParams = map[string]bool{"page": true, "pageno": true, "pageindex": true, "p": true, "curpage": true, "pagenum": true, "pn": true}

// columnKey groups the pages of one paginated column.
func columnKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if pagination.MatchString(u.Path) {
		u.Path = path.Dir(u.Path) + "/"
		u.RawPath = ""
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if pageParams[strings.ToLower(k)] {
				q.Del(k)
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Columns builds the column register from the pages of one crawl. A page is
// a column's list page when it is no article and either the navigation or a
// "更多" link points at it, it names its column in a ColumnName meta tag, or
// it lists at least three dated items. Its name is the ColumnName tag, else
// the breadcrumb's last part, else the navigation's anchor, else the title. nav maps a URL to the anchor text of
// the navigation or "更多" links pointing at it. Items dated after the day of
// now are set apart as Future and do not count as updates.
func Columns(pages []PageFacts, nav map[string]string, rules ColumnRules, now time.Time) []Column {
	tomorrow := dayOf(now).AddDate(0, 0, 1)
	byKey := map[string]*Column{}
	var order []string
	for _, p := range pages {
		if p.IsHome || p.IsArticle {
			continue
		}
		dated := 0
		for _, it := range p.List.Items {
			if it.Dated {
				dated++
			}
		}
		_, linked := nav[p.URL]
		if !linked && p.ColumnName == "" && dated < 3 {
			continue
		}
		key := columnKey(p.URL)
		c := byKey[key]
		if c == nil {
			c = &Column{URL: key}
			byKey[key] = c
			order = append(order, key)
		}
		c.Pages++
		c.Type = cmp.Or(c.Type, p.ColumnType)
		if c.Name == "" || key == p.URL {
			c.Name = cmp.Or(p.ColumnName, p.Crumb, nav[p.URL], strings.TrimSpace(strings.Split(p.Title, "_")[0]), c.Name)
		}
		for _, it := range p.List.Items {
			c.Items++
			if !it.Dated {
				c.Undated++
				continue
			}
			if !it.Date.Before(tomorrow) {
				c.Future = append(c.Future, it)
				continue
			}
			if it.Date.After(c.Newest) {
				c.Newest = it.Date
			}
		}
		c.Explained = c.Explained || p.List.Explained
		c.TextLen = max(c.TextLen, p.TextLen)
		c.Placeholder = c.Placeholder || p.List.Placeholder
	}
	slices.Sort(order)
	out := make([]Column, 0, len(order))
	for _, key := range order {
		c := byKey[key]
		// Empty: nothing listed, and either a placeholder or hardly any
		// text — a page of prose (机构职能, 领导简介) is content, not an
		// empty list.
		c.Empty = c.Items == 0 && (c.Placeholder || c.TextLen < minContentText)
		rules.classify(c)
		out = append(out, *c)
	}
	return out
}

func (r ColumnRules) classify(c *Column) {
	for _, o := range r.Overrides {
		if (o.URL != "" && (c.URL == o.URL || strings.HasSuffix(o.URL, "/") && strings.HasPrefix(c.URL, o.URL))) || (o.Name != "" && o.Name == c.Name) {
			c.Owner = cmp.Or(o.Owner, c.Owner)
			if o.Class != "" {
				c.Class = o.Class
			}
		}
	}
	if c.Class == "" {
		for _, k := range r.ExemptKeywords {
			if strings.Contains(c.Name, k) {
				c.Class = "exempt"
			}
		}
	}
	// The name decides; the CMS's ColumnType helps when the name says nothing.
	for _, text := range []string{c.Name, c.Type} {
		for _, cl := range r.Classes {
			if c.Class == "" && text != "" && slices.ContainsFunc(cl.Keywords, func(k string) bool { return strings.Contains(text, k) }) {
				c.Class = cl.Name
			}
		}
	}
	for _, cl := range r.Classes {
		if cl.Name == c.Class {
			c.Label, c.Days = cl.Label, cl.Days
		}
	}
	if c.Class == "exempt" {
		c.Label = "不考核"
	}
}

// Freshness rules.
const (
	RuleStaleColumn   = "stale_column.late"    // newest item older than the class allows
	RuleStaleWarning  = "stale_column.warning" // inside the line, close to it
	RuleStaleUndated  = "stale_column.undated" // items without a visible date
	RuleFutureDate    = "stale_column.future"  // items dated after today: faked dates?
	RuleEmptyColumn   = "empty_column.empty"   // no items
	RulePlaceholder   = "empty_column.placeholder"
	RuleHomepageStale = "homepage_stale.late"
	RuleHomepageWarn  = "homepage_stale.warning"
)

// Freshness judges the register and the home page at now: stale, nearly
// stale, undated, future-dated and empty columns, and a home page with
// nothing new. Evidence names the column and its newest date (stable until
// the column changes); the message says how late it is.
func Freshness(cols []Column, home *PageFacts, now time.Time, rules ColumnRules) []Finding {
	var out []Finding
	today := dayOf(now)
	for _, c := range cols {
		name := "栏目“" + c.Name + "”"
		for _, it := range c.Future {
			out = append(out, Finding{Category: StaleColumn, Severity: High, URL: c.URL, Rule: RuleFutureDate,
				Evidence: fmt.Sprintf("%s：%s（%s）", name, it.Title, it.Date.Format("2006-01-02")),
				Message:  "发布日期晚于今天，疑似虚假更新日期（“安全”类单项否决风险），请核实并更正"})
		}
		if c.Class == "exempt" {
			continue
		}
		switch {
		case c.Empty && c.Explained:
		case c.Empty && (c.Days > 0 || c.Placeholder):
			// A classified column with nothing listed, or any column that
			// says "暂无信息". An unclassified page with little text may be
			// a service page or an embedded platform: not judged on guesswork.
			rule, what := RuleEmptyColumn, "栏目无任何信息"
			if c.Placeholder {
				rule, what = RulePlaceholder, "栏目只显示“暂无信息”类占位提示"
			}
			out = append(out, Finding{Category: EmptyColumn, Severity: Medium, URL: c.URL, Rule: rule,
				Evidence: name + "无内容", Message: what + "（空白栏目，≥5 个即单项否决）；请补充内容，或删除栏目，或在栏目页说明暂无信息的原因"})
		case c.Days == 0: // unclassified: listed, not judged for freshness
		case c.Newest.IsZero():
			out = append(out, Finding{Category: StaleColumn, Severity: Medium, URL: c.URL, Rule: RuleStaleUndated,
				Evidence: name + "列表未标注发布日期",
				Message:  fmt.Sprintf("栏目 %d 条信息均无发布日期，按未更新计（%s栏目要求 %s内更新）；请显示发布日期", c.Items, c.Label, span(c.Days))})
		default:
			age := int(today.Sub(dayOf(c.Newest)).Hours() / 24)
			evidence := fmt.Sprintf("%s最近更新 %s", name, c.Newest.Format("2006-01-02"))
			switch {
			case age > c.Days:
				out = append(out, Finding{Category: StaleColumn, Severity: Medium, URL: c.URL, Rule: RuleStaleColumn,
					Evidence: evidence,
					Message:  fmt.Sprintf("已 %d 天未更新，%s栏目要求 %s内更新", age, c.Label, span(c.Days))})
			case float64(age) >= rules.WarnRatio*float64(c.Days):
				out = append(out, Finding{Category: StaleColumn, Severity: Low, URL: c.URL, Rule: RuleStaleWarning,
					Evidence: evidence,
					Message:  fmt.Sprintf("预警：已 %d 天未更新，%s栏目要求 %s内更新，还剩 %d 天", age, c.Label, span(c.Days), c.Days-age)})
			}
		}
	}
	if home != nil {
		out = append(out, homepage(home, now, rules)...)
	}
	return out
}

func homepage(home *PageFacts, now time.Time, rules ColumnRules) []Finding {
	var newest time.Time
	var title string
	for _, it := range home.List.Items {
		if it.Dated && it.Date.After(newest) && !it.Date.After(now.Add(24*time.Hour)) {
			newest, title = it.Date, it.Title
		}
	}
	if newest.IsZero() {
		return []Finding{{Category: HomepageStale, Severity: High, URL: home.URL, Rule: RuleHomepageStale,
			Evidence: "首页无带发布日期的信息",
			Message:  fmt.Sprintf("首页链接的信息均无发布日期，按未更新计（首页 %d 天内须有更新，否则单项否决）", rules.HomepageDays)}}
	}
	age := int(dayOf(now).Sub(dayOf(newest)).Hours() / 24)
	ev := fmt.Sprintf("首页最新信息 %s：%s", newest.Format("2006-01-02"), title)
	switch {
	case age > rules.HomepageDays:
		return []Finding{{Category: HomepageStale, Severity: High, URL: home.URL, Rule: RuleHomepageStale, Evidence: ev,
			Message: fmt.Sprintf("首页已 %d 天无新信息，超过 %d 天即单项否决", age, rules.HomepageDays)}}
	case age >= rules.HomepageWarn:
		return []Finding{{Category: HomepageStale, Severity: Medium, URL: home.URL, Rule: RuleHomepageWarn, Evidence: ev,
			Message: fmt.Sprintf("预警：首页已 %d 天无新信息，超过 %d 天即单项否决", age, rules.HomepageDays)}}
	}
	return nil
}

func dayOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func span(days int) string {
	switch {
	case days%365 == 0:
		return fmt.Sprintf("%d年", days/365)
	case days >= 180 && days <= 186:
		return "6个月"
	case days%7 == 0:
		return fmt.Sprintf("%d周", days/7)
	}
	return fmt.Sprintf("%d天", days)
}

// Veto counts the register against the lines of the 栏目不更新 veto item.
type Veto struct {
	Late           int // news late (>2 weeks) plus notices/policy late (>6 months); veto at 5
	LongNotUpdated int // personnel, plans … late; veto at 10
	Empty          int // empty columns; veto at 5
}

// VetoCounts counts a scan's freshness findings against the veto lines.
func VetoCounts(fs []Finding, cols []Column) Veto {
	class := map[string]string{}
	for _, c := range cols {
		class[c.URL] = c.Class
	}
	var v Veto
	for _, f := range fs {
		switch {
		case f.Category == EmptyColumn:
			v.Empty++
		case f.Rule == RuleStaleColumn || f.Rule == RuleStaleUndated:
			if class[f.URL] == "plan" {
				v.LongNotUpdated++
			} else {
				v.Late++
			}
		}
	}
	return v
}
