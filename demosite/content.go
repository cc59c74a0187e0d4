package demosite

import (
	"fmt"
	"html/template"
	"time"
)

// The sample district: 青溪区 (fictional). Every defect below is deliberate;
// DEFECTS.md beside this file lists them, and the demo and the tests rely on
// them.

type column struct {
	Name, Type, URL string
	Parent          string // breadcrumb parent name
	Empty           bool
}

type metaField struct{ Label, Value string }

type attachment struct{ Name, URL string }

type article struct {
	Column      string
	Path        string
	Title       string
	DaysAgo     int
	Source      string
	Body        template.HTML
	Meta        []metaField
	Attachments []attachment
	GBK         bool // served GBK-encoded, charset declared only in a late <meta>
	GBKHeader   bool // served GBK-encoded, charset declared only in the HTTP header

	PubDate string // filled from DaysAgo
	Date    string
}

var columns = []column{
	{Name: "政务要闻", Type: "动态要闻", URL: "/xwzx/zwyw/", Parent: "新闻中心"},
	{Name: "部门动态", Type: "动态要闻", URL: "/xwzx/bmdt/", Parent: "新闻中心"},
	{Name: "通知公告", Type: "通知公告", URL: "/zwgk/tzgg/", Parent: "政务公开"},
	{Name: "政策文件", Type: "政策文件", URL: "/zwgk/zcwj/", Parent: "政务公开"},
	{Name: "人事信息", Type: "人事信息", URL: "/zwgk/rsxx/", Parent: "政务公开"},
	{Name: "规划计划", Type: "规划计划", URL: "/zwgk/ghjh/", Parent: "政务公开"},
	{Name: "互动交流", Type: "互动交流", URL: "/hdjl/", Empty: true},
}

// homeBlocks are the columns shown on the home page, in order.
var homeBlocks = []string{"政务要闻", "通知公告", "政策文件"}

func articles(now time.Time) []article {
	list := []article{
		{Column: "政务要闻", Path: "/xwzx/zwyw/202611/t20261110_1101.html", DaysAgo: 16, Source: "区应急管理局",
			Title: "青溪区召开2026年安全生产工作推进会",
			Body: `<p>11月10日，青溪区召开2026年安全生产工作推进会，区委常委、常务副区长王建国出席会议并讲话。</p>
<p>会议要求，各街道、各部门要压实安全生产责任，督促重点企业按装视频监控和可燃气体报警装置；既使在节假日期间，各单位必须落实24小时值班值守制度。</p>
<p>会议通报了前三季度全区安全生产形势，区安监局通报了专项检查中发现的问题。详见<a href="/xwzx/zwyw/202301/t20230105_0001.html">2023年安全生产工作要点</a>。</p>`},
		{Column: "政务要闻", Path: "/xwzx/zwyw/202611/t20261105_1100.html", DaysAgo: 21, Source: "区政府办公室",
			Title: "区领导带队检查冬季供暖保障工作",
			Body: `<p>为贯彻落实《中华人民共合国安全生产法》,确保群众温暖过冬,11月5日，区领导带队检查冬季供暖保障工作。</p>
<p>检查组一行先后来到热源厂、换热站和老旧小区，详细了解设备运行和应急抢修准备情况。</p>
<p>相关报道见<a href="/xwzx/zwyw/old_article.html">往期报道</a>。</p>`},
		{Column: "政务要闻", Path: "/xwzx/zwyw/202610/t20261008_1099.html", DaysAgo: 49, Source: "区发展和改革局", GBK: true,
			Title: "区长调研重点项目建设",
			Body: `<p>10月8日，区长李明调研全区重点项目建设情况，强调要倒排工期、挂图作战，确保全年目标任务圆满完成。</p>
<p>调研中，李明指出，要持续优化营商环境，主动服务企业，帮助企业解决用地、用工、融资等方面的实际困难，积极开拓北朝鲜等周边市场。</p>`},
		{Column: "部门动态", Path: "/xwzx/bmdt/202611/t20261124_3003.html", DaysAgo: 2, Source: "区卫生健康局",
			Title: "区卫生健康局开展冬季传染病防控培训",
			Body: `<p>11月24日，区卫生健康局组织开展冬季传染病防控业务培训，全区各医疗卫生机构业务骨干共120余人参加培训。</p>
<p>培训要求，各单位要及时消除预检分诊环节的安全引患，会同区人民检查院做好涉疫案件法律监督衔接工作。</p>
<div style="display:none"><a href="{{EXTERNAL}}/casino/">澳门葡京娱乐城</a></div>`},
		{Column: "部门动态", Path: "/xwzx/bmdt/202611/t20261123_3005.html", DaysAgo: 3, Source: "区应急管理局", GBKHeader: true,
			Title: "区应急管理局开展冬季消防安全检查",
			Body: `<p>11月23日，区应急管理局联合区消防救援大队开展冬季消防安全检查，重点检查人员密集场所和“九小”场所。</p>
<p>检查组要求各单位对照问题清单逐项整改，统筹布署冬季火灾防控工作，确保不发生较大以上火灾事故。</p>`},
		{Column: "部门动态", Path: "/xwzx/bmdt/202612/t20261201_3004.html", DaysAgo: -5, Source: "区城管局",
			Title: "区城管局部署冬季道路除雪工作", // dated in the future: a faked date?
			Body:  `<p>区城管局召开专题会议，部署今冬道路除雪保畅工作。</p>`},
		{Column: "部门动态", Path: "/xwzx/bmdt/202611/t20261121_3002.html", DaysAgo: 5, Source: "区教育局",
			Title: "区教育局召开中小学安全工作会议",
			Body:  `<p>会议强调，要紧盯校园安全重点环节，抓好食品安全、交通安全和消防安全，全力守护师生平安。</p>`},
		{Column: "部门动态", Path: "/xwzx/bmdt/202611/t20261117_3001.html", DaysAgo: 9, Source: "区民政局",
			Title: "区民政局走访慰问困难群众",
			Body:  `<p>区民政局组织干部深入社区走访慰问困难群众，送去慰问金和生活物资，并详细了解其生活情况。联系人手机：13812345678。</p>`},
		{Column: "通知公告", Path: "/zwgk/tzgg/202605/t20260510_2102.html", DaysAgo: 200, Source: "区民政局",
			Title: "关于2026年第二季度城乡居民最低生活保障对象的公示",
			Body: `<p>根据《社会救助暂行办法》等有关规定，经个人申请、街道审核、区民政局审批，现将2026年第二季度新增城乡居民最低生活保障对象公示如下：</p>
<table class="gs"><tr><th>姓名</th><th>身份证号码</th><th>联系电话</th><th>保障人数</th></tr>
<tr><td>张某</td><td>11010519491231002X</td><td>13900001111</td><td>2</td></tr>
<tr><td>李某</td><td>33010619800101****</td><td>139****2222</td><td>1</td></tr></table>
<p>公示期为7天。如有异议，请在公示期内向区民政局反映。</p>`,
			Attachments: []attachment{{Name: "低保对象名册.xlsx", URL: "/zwgk/tzgg/202605/P020260510_dbmc.xlsx"}, {Name: "公示原件.pdf", URL: "/zwgk/tzgg/202605/P020260510_gsyj.pdf"}}},
		{Column: "通知公告", Path: "/zwgk/tzgg/202604/t20260420_2101.html", DaysAgo: 220, Source: "区政府办公室",
			Title: "关于开展2026年度政府网站自查工作的通知",
			Body:  `<p>各街道办事处，区政府各部门：为进一步提升政府网站建设管理水平，现就开展2026年度政府网站自查工作通知如下。</p>`},
		{Column: "政策文件", Path: "/zwgk/zcwj/202608/t20260828_4003.html", DaysAgo: 140, Source: "区政府办公室",
			Title: "青溪区人民政府关于印发《青溪区优化营商环境若干措施》的通知",
			Meta: []metaField{{"索引号", "11330199MB0000000X/2026-00012"}, {"主题分类", "综合政务"}, {"发文机关", "青溪区人民政府"},
				{"成文日期", "2026-08-20"}, {"发布日期", "2026-08-28"}, {"文号", "青政发〔2026〕5号"}, {"有效性", "有效"}, {"文件类型", "规范性文件"}},
			Body: `<p>各街道办事处，区政府各部门：</p><p>现将《青溪区优化营商环境若干措施》印发给你们，请认真贯彻执行。</p>
<p>一、市场主体登记按照国家工商行政管理总局有关规定办理。二、合同争议依照《中华人民共和国合同法》处理。</p>`,
			Attachments: []attachment{{Name: "青溪区优化营商环境若干措施.docx", URL: "/zwgk/zcwj/202608/P020260828_csw.docx"}}},
		{Column: "政策文件", Path: "/zwgk/zcwj/202606/t20260628_4002.html", DaysAgo: 151, Source: "区政府办公室",
			Title: "青溪区人民政府办公室关于加强农村集体资产管理的通知",
			Meta: []metaField{{"索引号", "11330199MB0000000X/2026-00009"}, {"发文机关", "青溪区人民政府办公室"},
				{"成文日期", "2026-06-30"}, {"发布日期", "2026-06-28"}, {"文号", ""}, {"有效性", "失效"}},
			Body:        `<p>为规范农村集体资产管理，防止集体资产流失，经区政府同意，现就有关事项通知如下。</p>`,
			Attachments: []attachment{{Name: "农村集体资产清查表.wps", URL: "/zwgk/zcwj/202606/P020260628_qcb.wps"}}},
		{Column: "政策文件", Path: "/zwgk/zcwj/201905/t20190510_4001.html", DaysAgo: 2757, Source: "区政府办公室",
			Title: "青溪区人民政府关于进一步规范行政事业性收费的通知",
			Meta: []metaField{{"索引号", "11330199MB0000000X/2019-00021"}, {"发文机关", "青溪区人民政府"},
				{"成文日期", "2019-05-06"}, {"发布日期", "2019-05-10"}, {"文号", "青政发[2019]8号"}, {"有效性", "有效"}},
			Body:        `<p>根据国家工商行政管理总局和国家质量监督检验检疫总局有关规定，现就进一步规范行政事业性收费通知如下。</p>`,
			Attachments: []attachment{{Name: "收费目录.pdf", URL: "/zwgk/zcwj/201905/P020190510_sfml.pdf"}}},
		{Column: "人事信息", Path: "/zwgk/rsxx/202510/t20251020_5001.html", DaysAgo: 402, Source: "区人力资源和社会保障局",
			Title: "青溪区人民政府关于王某某等同志职务任免的通知",
			Body:  `<p>经区人民政府研究决定：任命王某某为区农业农村局副局长；免去刘某某的区农业农村局副局长职务。</p>`},
		{Column: "规划计划", Path: "/zwgk/ghjh/202608/t20260818_6001.html", DaysAgo: 100, Source: "区发展和改革局",
			Title: "青溪区2026年国民经济和社会发展计划",
			Body:  `<p>2026年全区经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，一般公共预算收入增长5%。</p>`},
	}
	// Older news, enough for the list to span two pages.
	topics := []string{"区政府召开常务会议", "区领导督导防汛备汛工作", "全区营商环境建设推进会召开", "区政府与高校签署战略合作协议",
		"区领导调研基层社会治理工作", "全区招商引资工作会议召开", "区政府党组专题学习会召开", "区领导检查森林防火工作",
		"全区农业农村工作会议召开", "区领导调研民生实事项目", "青溪区开展消防安全宣传月活动", "区政府召开防汛防台工作部署会",
		"区领导慰问一线环卫工人", "青溪区举办就业招聘会", "区领导调研乡村振兴工作", "全区经济运行分析会召开",
		"区政府召开安全生产专题会议", "青溪区推进老旧小区改造", "区领导调研教育工作", "区领导调研文化旅游产业发展",
		"全区优化营商环境大会召开", "区领导调研生态环境保护工作"}
	for i, t := range topics {
		days := 60 + i*9
		d := now.AddDate(0, 0, -days)
		list = append(list, article{
			Column: "政务要闻", DaysAgo: days, Source: "区政府办公室", Title: t,
			Path: fmt.Sprintf("/xwzx/zwyw/%s/t%s_%d.html", d.Format("200601"), d.Format("20060102"), 1000+i),
			Body: template.HTML("<p>" + t + "。会议强调，要坚持以人民为中心的发展思想，扎实做好各项工作，推动全区经济社会高质量发展。</p>"),
		})
	}
	return list
}

// letter is a message to 区长信箱, the district's consultation channel.
type letter struct {
	No, URL, Title, Body, Asked, Answered, Status, Unit, Reply string
}

// letters are the mailbox's messages: one answered in time, one unanswered
// for 100 days (past 3 months: 互动回应差, a veto), one for 65 days (the
// early warning), one asked last week — and the last reply 110 days ago, so
// the mailbox has stopped answering.
func letters(now time.Time) []letter {
	day := func(ago int) string { return now.AddDate(0, 0, -ago).Format("2006-01-02") }
	return []letter{
		{No: "20260001", URL: "/hdjl/ldxx/art_1.html", Title: "关于小区停车难的反映", Asked: day(120), Answered: day(110), Status: "已办结",
			Body: "府前路小区车位紧张，希望增设停车位。", Unit: "区住房和城乡建设局", Reply: "经现场查看，已协调增设临时停车位40个。"},
		{No: "20260002", URL: "/hdjl/ldxx/art_2.html", Title: "关于学区划分的咨询", Asked: day(100), Status: "办理中",
			Body: "请问新建小区的学区如何划分？"},
		{No: "20260003", URL: "/hdjl/ldxx/art_3.html", Title: "关于路灯维修的咨询", Asked: day(65), Status: "办理中",
			Body: "青溪路东段路灯已损坏多日，何时维修？"},
		{No: "20260004", URL: "/hdjl/ldxx/art_4.html", Title: "关于公交线路调整的建议", Asked: day(6), Status: "已受理",
			Body: "建议增开通往区政务服务中心的公交线路。"},
	}
}
