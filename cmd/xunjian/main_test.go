package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"golang.org/x/text/encoding/simplifiedchinese"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/attachment/attachmenttest"
	"github.com/xunjian/xunjian/demosite"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestDemo is the README's first command: the built-in sample site is
// scanned and every known link defect is found, and nothing else.
func TestDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	code, out, errs := runCLI(t, "demo", "--exit", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"完整扫描", "重定向循环", "域名无法解析", "HTTP 404", "HTTP 500", "疑似", "联系我们", "图片无法访问", "附件无法访问",
		"单项否决线（栏目不更新）：超期栏目 2/5，长期未更新 1/10，空白栏目 1/5", "首页已 16 天无新信息"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	code, out, errs = runCLI(t, "issues", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("issues: exit %d %s", code, errs)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	// The demo's known defects (DEFECTS.md) that today's checks find: a
	// category and a piece of the evidence each.
	want := []struct{ category, evidence string }{
		{"dead_link", "/lxwm/"}, {"dead_link", "/hdjl/zxts/"}, {"dead_link", "/zwfw/zxbl/"},
		{"dead_link", "/static/img/focus2.jpg"}, {"dead_link", "/zwfw/bszn/download/sqb.doc"},
		{"dead_link", "/old-portal/"}, {"dead_link", "qxq-archive.invalid/"},
		{"dead_link", "/xwzx/zwyw/202301/t20230105_0001.html"}, {"dead_link", "/xwzx/zwyw/old_article.html"},
		{"dead_link", "/zwgk/tzgg/202605/P020260510_gsyj.pdf"}, {"dead_link", "/zwgk/zcwj/202606/P020260628_qcb.wps"},
		{"homepage_stale", "首页最新信息"},
		{"stale_column", "栏目“政务要闻”最近更新"}, {"stale_column", "栏目“通知公告”最近更新"},
		{"stale_column", "栏目“人事信息”最近更新"}, {"stale_column", "栏目“政策文件”最近更新"},
		{"stale_column", "区城管局部署冬季道路除雪工作"}, {"empty_column", "栏目“互动交流”无内容"},
		{"site_unreachable", "首页可用性"},
		{"privacy_leak", "110105********002X"}, {"privacy_leak", "139****1111"}, {"privacy_leak", "138****5678"},
		{"punctuation", "安全生产法》,确保"},
		{"serious_error", "中华人民共合国"}, {"typo", "按装视频"}, {"typo", "既使在节假日"},
		{"typo", "统筹布署冬季火灾防控"},          // on the page declared GBK in the HTTP header only
		{"typo", "及时消除预检分诊环节的安全引患"},     // the typo detector (疑似错别字)
		{"serious_error", "会同区人民检查院做好"}, // a near miss of a protected term
		{"obsolete_name", "区安监局"}, {"obsolete_name", "按照国家工商行政管理总局"}, {"obsolete_name", "根据国家工商行政管理总局"},
		{"obsolete_name", "国家质量监督检验检疫总局有关规定"}, {"obsolete_name", "《中华人民共和国合同法》"},
		{"sensitive_word", "北朝鲜"},
		{"policy_metadata", "有效性：失效"}, {"policy_metadata", "文号：（空）"}, {"policy_metadata", "成文日期：2026-06-30，发布日期：2026-06-28"},
		{"policy_metadata", "文件类型：规范性文件"}, {"policy_metadata", "文号：青政发[2019]8号"},
		// The spreadsheet's two IDs and two mobiles: one issue of the file.
		{"privacy_leak", "［工作表“低保对象名册”］1 张某 110105********002X 139****1111"},
		{"privacy_leak", "［第1页］Mr Li, mobile 139****5678"}, {"typo", "［正文］一、全区各部门要再接再励"},
		{"dark_link", "/casino/"},
		// 互动回应: 区长信箱 and the dead 在线投诉
		{"interaction_unanswered", "关于学区划分的咨询（留言"}, {"interaction_unanswered", "关于路灯维修的咨询（留言"},
		{"interaction_unanswered", "区长信箱"}, {"interaction_unanswered", "在线投诉"},
		// the new-media accounts
		{"stale_account", "账号“青溪卫健”最近发布"}, {"stale_account", "账号“青溪公安”最近发布"}, {"stale_account", "账号“青溪教育”最近发布"},
		{"account_unreachable", "账号“青溪城管”"}, {"account_unreachable", "/s/deleted"}, {"privacy_leak", "李经理 137****1234"},
		{"typo", "既使在节假日，必须落实"}, {"dark_link", "item.taobao.com"},
	}
	matched := make([]bool, len(want))
	for _, is := range list {
		for _, key := range []string{"id", "target", "category", "severity", "url", "evidence", "message", "rule", "status", "first_seen", "last_seen"} {
			if _, ok := is[key]; !ok {
				t.Errorf("issue lacks %q: %v", key, is)
			}
		}
		found := false
		for i, w := range want {
			if is["category"] == w.category && strings.Contains(is["evidence"].(string), w.evidence) {
				matched[i], found = true, true
			}
		}
		if !found {
			t.Errorf("unexpected issue (a false alarm on the sample site): %s %s %s", is["category"], is["evidence"], is["message"])
		}
	}
	for i, ok := range matched {
		if !ok {
			t.Errorf("the demo no longer finds %v", want[i])
		}
	}
	// The column register, as staff see it to correct it.
	code, out, _ = runCLI(t, "columns", "--db", db)
	for _, want := range []string{"政务要闻", "动态要闻类", "未分类（只查空白）", "不考核", "183 天", "空"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("columns: exit %d, lacks %q:\n%s", code, want, out)
		}
	}
	// Staff mark one as a false positive, then change their mind.
	id := fmt.Sprint(list[0]["id"])
	if code, _, errs := runCLI(t, "issues", "ignore", id, "--db", db); code != 2 || !strings.Contains(errs, "--reason") {
		t.Errorf("ignore without a reason: exit %d %s", code, errs)
	}
	if code, out, errs := runCLI(t, "issues", "ignore", id, "--db", db, "--reason", "外站维护中", "--by", "张三"); code != 0 || !strings.Contains(out, "已忽略") {
		t.Errorf("ignore: exit %d %s %s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "issues", "--db", db, "--status", "ignored", "--format", "csv"); code != 0 || strings.Count(out, "\n") != 2 || !strings.HasPrefix(out, "\uFEFF编号") {
		t.Errorf("ignored list as csv: exit %d\n%s", code, out)
	}
	if code, out, errs := runCLI(t, "issues", "reopen", id, "--db", db); code != 0 || !strings.Contains(out, "重新出现") {
		t.Errorf("reopen: exit %d %s %s", code, out, errs)
	}
	// Every status is a filter of its own; unresolved (the default) is
	// all that still needs work, the reopened one too.
	lines := func(args ...string) int {
		code, out, errs := runCLI(t, append([]string{"issues", "--db", db, "--format", "csv"}, args...)...)
		if code != 0 {
			t.Fatalf("issues %v: exit %d %s", args, code, errs)
		}
		return strings.Count(out, "\n") - 1
	}
	all, unresolved, open, reopened := lines("--status", "all"), lines(), lines("--status", "open"), lines("--status", "reopened")
	if reopened != 1 || unresolved != lines("--status", "unresolved") || open+reopened > unresolved || open == 0 || all < unresolved {
		t.Errorf("status filters: all %d, unresolved %d, open %d, reopened %d", all, unresolved, open, reopened)
	}
}

func TestScan_WithConfig(t *testing.T) {
	site := demoSite(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfg, []byte(`database: `+filepath.Join(dir, "x.db")+`
crawl:
  delay: 0s
  timeout: 2s
  retries: 0
  recheck_after: 50ms
  check_external: false
sites:
  - name: 示例区
    url: `+site.URL+`/
`), 0o644)
	code, out, errs := runCLI(t, "scan", "--config", cfg, "--quiet")
	if code != 0 || !strings.Contains(out, "巡检完成：示例区") {
		t.Fatalf("scan: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, _ = runCLI(t, "issues", "--config", cfg, "--category", "dead_link", "--output", filepath.Join(dir, "out.csv"), "--format", "csv")
	data, _ := os.ReadFile(filepath.Join(dir, "out.csv"))
	if code != 0 || !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) || !strings.Contains(string(data), "/lxwm/") {
		t.Errorf("export: exit %d, file %q", code, data)
	}
	code, _, _ = runCLI(t, "issues", "--config", cfg, "--category", "dead_link", "--output", filepath.Join(dir, "out.xlsx"), "--format", "xlsx")
	data, _ = os.ReadFile(filepath.Join(dir, "out.xlsx"))
	if rows, err := attachment.Rows("out.xlsx", data); code != 0 || err != nil || len(rows) < 2 || rows[0][0] != "编号" {
		t.Errorf("xlsx export: exit %d, %v", code, err)
	}
	if code, _, errs := runCLI(t, "issues", "--config", cfg, "--format", "xlsx"); code != 2 || !strings.Contains(errs, "--output") {
		t.Errorf("xlsx to a terminal: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "scan", "--config", cfg, "--target", "没有这个站"); code != 1 || !strings.Contains(errs, "没有这个站") {
		t.Errorf("unknown target: exit %d %s", code, errs)
	}
}

func TestCLI_Errors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("sites:\n  - name: 站\n    url: http://x/\n    ower: 办公室\n"), 0o644)
	badChrome := filepath.Join(dir, "chrome.yaml")
	os.WriteFile(badChrome, []byte("sites:\n  - name: 示例区\n    url: http://x/\n    chrome: [\"div.leftnav\", \"div[class=\"]\n"), 0o644)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"scan"}, 2, "--config FILE is required"},
		{[]string{"scan", "--config", bad}, 1, bad + `:4: unknown key "ower"`},
		{[]string{"scan", "--config", filepath.Join(dir, "missing.yaml")}, 1, "missing.yaml"},
		{[]string{"scan", "--config", badChrome}, 1, `sites[0] (示例区) chrome: extract: selector "div[class="`},
		{[]string{"issues", "--db", filepath.Join(dir, "x.db"), "--format", "pdf"}, 2, "--format"},
		{[]string{"issues", "--db", filepath.Join(dir, "x.db"), "--status", "done"}, 2, "--status"},
		{[]string{"issues", "--db", filepath.Join(dir, "x.db"), "--category", "typos"}, 2, "not a category"},
		{[]string{"issues", "ignore", "abc", "--reason", "x"}, 2, "needs an issue id"},
		{[]string{"issues", "ignore", "42", "--reason", "x", "--db", filepath.Join(dir, "x.db")}, 1, "not found"},
	}
	for _, tt := range tests {
		code, _, errs := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
}

func TestProbe_RecordsAndJudges(t *testing.T) {
	site := httptest.NewServer(demosite.New(time.Now(), "http://127.0.0.1:1"))
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfg, []byte("database: "+filepath.Join(dir, "x.db")+`
crawl:
  timeout: 1s
checks:
  probe_min_count: 2
sites:
  - name: 示例区
    url: `+site.URL+`/
`), 0o644)
	code, out, errs := runCLI(t, "probe", "--config", cfg)
	if code != 0 || !strings.Contains(out, "示例区：首页可访问（HTTP 200") || !strings.Contains(out, "近 7 天探测 1 次，失败 0 次") {
		t.Fatalf("probe up: exit %d\n%s\n%s", code, out, errs)
	}
	site.Close() // the site goes down
	code, out, _ = runCLI(t, "probe", "--config", cfg)
	if code != 0 || !strings.Contains(out, "首页无法访问：连接被拒绝") || !strings.Contains(out, "失败 1 次（50.0%）") {
		t.Fatalf("probe down: exit %d\n%s", code, out)
	}
	_, out, _ = runCLI(t, "issues", "--config", cfg, "--format", "json", "--category", "site_unreachable")
	if !strings.Contains(out, `"rule": "site_unreachable.probes"`) {
		t.Errorf("no availability issue:\n%s", out)
	}
}

func TestCheckAndRulesCheck(t *testing.T) {
	dir := t.TempDir()
	draft := filepath.Join(dir, "草稿.html")
	os.WriteFile(draft, []byte(`<html><head><title>关于做好安全生产工作的通知</title></head><body><div class="main">
<p>各单位要督促企业按装监控设备。</p><p>依据《中华人民共和国安全生产法》，做好工作。</p></div></body></html>`), 0o644)
	code, out, errs := runCLI(t, "check", draft, "--format", "json")
	if code != 1 { // problems found: a publishing workflow stops
		t.Fatalf("check: exit %d %s", code, errs)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0]["rule"] != "typo.T001" || list[0]["line"] != float64(2) {
		t.Errorf("check json: %v %s", err, out)
	}
	if code, _, errs := runCLI(t, "check", filepath.Join(dir, "nope.txt")); code != 2 || !strings.Contains(errs, "文件不存在") {
		t.Errorf("missing file: exit %d %s", code, errs)
	}
	// A 2004 notice names 农业部 rightly: judged at its own date; the same
	// text without a date is judged today.
	old := filepath.Join(dir, "2004.txt")
	os.WriteFile(old, []byte("关于做好春耕生产工作的通知\n根据农业部有关要求，做好春耕工作。\n青溪县人民政府\n2004年3月5日\n"), 0o644)
	if code, out, _ := runCLI(t, "check", old); code != 0 {
		t.Errorf("2004 notice: exit %d %s", code, out)
	}
	// Chinese numerals; a 2024 cover with a 2004 annex is judged at 2024.
	os.WriteFile(old, []byte("关于做好春耕生产工作的通知\n根据农业部有关要求，做好春耕工作。\n青溪县人民政府\n二〇〇四年三月十五日\n"), 0o644)
	if code, out, _ := runCLI(t, "check", old); code != 0 {
		t.Errorf("2004 notice in Chinese numerals: exit %d %s", code, out)
	}
	os.WriteFile(old, []byte("关于转发农业部通知的通知\n请遵照执行。\n青溪县人民政府\n2024年3月5日\n附件\n根据农业部有关要求。\n2004年3月5日\n"), 0o644)
	if code, out, _ := runCLI(t, "check", old); code != 1 || !strings.Contains(out, "农业农村部") {
		t.Errorf("2024 cover with a 2004 annex: exit %d %s", code, out)
	}
	os.WriteFile(old, []byte("根据农业部有关要求，做好春耕工作。\n"), 0o644)
	if code, out, _ := runCLI(t, "check", old); code != 1 || !strings.Contains(out, "农业农村部") {
		t.Errorf("undated: exit %d %s", code, out)
	}
	// Nothing to check is no clean bill: exit 2.
	for name, data := range map[string][]byte{"empty.txt": nil, "old.doc": []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 binary"), "bin.txt": []byte("MZ\x00\x00\x01binary")} {
		f := filepath.Join(dir, name)
		os.WriteFile(f, data, 0o644)
		if code, _, errs := runCLI(t, "check", f); code != 2 {
			t.Errorf("%s: exit %d %s", name, code, errs)
		}
	}
	// A draft past the reading bounds is refused with its own message.
	bomb := filepath.Join(dir, "bomb.xlsx")
	os.WriteFile(bomb, attachmenttest.XLSXCells(), 0o644)
	if code, _, errs := runCLI(t, "check", bomb); code != 2 || !strings.Contains(errs, "文件过大或已损坏") {
		t.Errorf("bomb: exit %d %s", code, errs)
	}
	// --config: the district's leaders and the detector's threshold.
	cfgFile := filepath.Join(dir, "x.yaml")
	os.WriteFile(cfgFile, []byte("database: "+filepath.Join(dir, "x.db")+"\nchecks:\n  suspect_confidence: 0\nleaders:\n  - name: 王建国\n    titles: [区委书记]\n  - name: 李明华\n    titles: [区长]\n"), 0o644)
	leaderDraft := filepath.Join(dir, "leaders.txt")
	os.WriteFile(leaderDraft, []byte("区长王建国主持会议，要及时消除安全引患。\n"), 0o644)
	if code, out, _ := runCLI(t, "check", leaderDraft, "--config", cfgFile); code != 1 || !strings.Contains(out, "职务") || strings.Contains(out, "疑似错别字") {
		t.Errorf("check --config: exit %d %s", code, out)
	}
	clean := filepath.Join(dir, "clean.txt")
	os.WriteFile(clean, []byte("各单位要按时完成安全生产检查。\n"), 0o644)
	if code, out, errs := runCLI(t, "check", clean); code != 0 || !strings.Contains(out, "未发现问题") {
		t.Errorf("clean draft: exit %d %s %s", code, out, errs)
	}
	// GBK text, a masked number's line.
	gbkDraft := filepath.Join(dir, "gbk.txt")
	gbkText, _ := simplifiedchinese.GBK.NewEncoder().String("关于做好冬季安全工作的通知\n联系人：王某，手机：13812345678\n请按装烟感报警器。\n")
	os.WriteFile(gbkDraft, []byte(gbkText), 0o644)
	code, out, _ = runCLI(t, "check", gbkDraft, "--format", "json")
	var gl []map[string]any
	if err := json.Unmarshal([]byte(out), &gl); code != 1 || err != nil || len(gl) != 2 {
		t.Fatalf("GBK draft: exit %d %v %s", code, err, out)
	}
	for _, f := range gl {
		if want := map[string]float64{"privacy_leak": 2, "typo": 3}[f["category"].(string)]; f["line"] != want {
			t.Errorf("%v: line %v, want %v", f["category"], f["line"], want)
		}
	}
	bad := filepath.Join(dir, "rules")
	os.Mkdir(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "typos.tsv"), []byte("X1\t青溪县\n"), 0o644)
	if code, _, errs := runCLI(t, "rules", "check", bad); code != 1 || !strings.Contains(errs, filepath.Join(bad, "typos.tsv")+":1: expected 3 to 5") {
		t.Errorf("rules check: exit %d %s", code, errs)
	}
	if code, out, _ := runCLI(t, "rules", "check"); code != 0 || !strings.Contains(out, "规则文件无误") {
		t.Errorf("built-in rules: exit %d %s", code, out)
	}
}

func TestAccounts_ImportExportScan(t *testing.T) {
	plat := httptest.NewServer(demosite.Platforms(time.Now()))
	defer plat.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	reg := filepath.Join(dir, "账号台账.xlsx")
	os.WriteFile(reg, demosite.Xlsx("台账", [][]string{
		{"账号名称", "平台", "账号ID", "主办单位", "联系人", "邮箱", "订阅地址"},
		{"青溪卫健", "微信公众号", "wjw", "区卫生健康局", "王五", "wjw@qxq.gov.cn", plat.URL + "/feeds/wjw.xml"},
		{"", "抖音", "", "区某局", "", "", ""},
	}), 0o644)
	code, out, errs := runCLI(t, "accounts", "import", reg, "--db", db)
	if code != 0 || !strings.Contains(out, "已导入 1 个账号") || !strings.Contains(errs, "row 3: 账号名称 is empty") {
		t.Fatalf("import: exit %d %s %s", code, out, errs)
	}
	cfg := filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfg, []byte("database: "+db+`
crawl:
  timeout: 2s
  recheck_after: 10ms
accounts:
  - name: 青溪城管
    platform: 微博
    owner: 区城管局
    weibo_uid: "200"
    weibo_api: `+plat.URL+`/weibo
`), 0o644)
	code, out, errs = runCLI(t, "scan", "--config", cfg, "--quiet")
	if code != 0 || !strings.Contains(out, "政务新媒体 2 个") || !strings.Contains(out, "青溪城管：无法读取") {
		t.Fatalf("scan: exit %d\n%s\n%s", code, out, errs)
	}
	_, out, _ = runCLI(t, "issues", "--config", cfg, "--format", "json")
	for _, want := range []string{`"target": "青溪卫健"`, `"category": "stale_account"`, `"owner": "区卫生健康局"`, `"target": "青溪城管"`, `"category": "account_unreachable"`} {
		if !strings.Contains(out, want) {
			t.Errorf("issues lack %s", want)
		}
	}
	xlsx := filepath.Join(dir, "导出.xlsx")
	if code, out, _ := runCLI(t, "accounts", "export", xlsx, "--db", db); code != 0 || !strings.Contains(out, "已导出 2 个账号") {
		t.Errorf("export: exit %d %s", code, out)
	}
	code, out, _ = runCLI(t, "accounts", "import", xlsx, "--db", db)
	if code != 0 || !strings.Contains(out, "已导入 2 个账号") {
		t.Errorf("re-import of the export: exit %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "accounts", "list", "--db", db); code != 0 || !strings.Contains(out, "青溪城管") {
		t.Errorf("list: exit %d %s", code, out)
	}
}

func TestDigest_DryRunOnTheDemo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errs := runCLI(t, "demo", "--exit", "--db", db); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	cfg := filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfg, []byte("database: "+db+`
ui_base_url: http://xunjian.qxq.gov.cn:8080
units:
  - name: 青溪区人民政府办公室
    email: zwgk@qxq.gov.cn
  - name: 区卫生健康局
    email: wjw@qxq.gov.cn
digest:
  staff: [jc@qxq.gov.cn]
`), 0o644)
	week := reports.WeekOf(time.Now().In(time.FixedZone("CST", 8*3600))).String()
	out := filepath.Join(dir, "eml")
	code, stdout, errs := runCLI(t, "digest", "--config", cfg, "--dry-run", "--week", week, "--out", out)
	if code != 0 {
		t.Fatalf("digest: exit %d %s", code, errs)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.eml"))
	// One per owning unit of the demo's issues (the site's office and the
	// six accounts' units) and the staff summary.
	if len(files) != 8 || !strings.Contains(stdout, "未发送") {
		t.Errorf("%d files: %v\n%s", len(files), files, stdout)
	}
	if code, _, errs := runCLI(t, "digest", "--config", cfg); code != 1 || !strings.Contains(errs, "no smtp host") {
		t.Errorf("sending without smtp: exit %d %s", code, errs)
	}
	// Without ui_base_url (and a listen address only this machine reaches)
	// the links would be relative: nothing is sent, and the reason is said.
	os.WriteFile(cfg, []byte("database: "+db+`
smtp:
  host: 127.0.0.1
  port: 1
  security: none
  from: xunjian@qxq.gov.cn
units:
  - name: 区卫生健康局
    email: wjw@qxq.gov.cn
`), 0o644)
	if code, _, errs := runCLI(t, "digest", "--config", cfg); code != 1 || !strings.Contains(errs, "未配置 ui_base_url") || !strings.Contains(errs, "/issues/70") {
		t.Errorf("sending without ui_base_url: exit %d %s", code, errs)
	}
	code, stdout, errs = runCLI(t, "digest", "--config", cfg, "--dry-run", "--week", week, "--out", filepath.Join(dir, "eml2"))
	if code != 0 || !strings.Contains(stdout, "未配置 ui_base_url") {
		t.Errorf("dry run without ui_base_url: exit %d %s %s", code, stdout, errs)
	}
}

// xunjian serve on a fresh database catches up the nightly scan at once,
// records the run, and stops cleanly on a signal.
func TestServe_CatchUpAndStop(t *testing.T) {
	site := demoSite(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xunjian.yaml")
	db := filepath.Join(dir, "x.db")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	uiAddr := ln.Addr().String()
	ln.Close()
	os.WriteFile(cfg, []byte("database: "+db+`
listen: `+uiAddr+`
crawl:
  delay: 0s
  timeout: 2s
  recheck_after: 10ms
  check_external: false
sites:
  - name: 示例区
    url: `+site.URL+`/
`), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var out bytes.Buffer
	go func() { done <- run(ctx, []string{"serve", "--config", cfg}, &out, io.Discard) }()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// A bound, not a measure: under -race, with the other packages' tests
	// beside it, the catch-up scan of the sample site takes about 20 s.
	deadline := time.Now().Add(90 * time.Second)
	for {
		runs, _ := st.JobRuns(context.Background(), 10)
		i := slices.IndexFunc(runs, func(r store.JobRun) bool { return r.Name == "scan" && !r.Finished.IsZero() })
		if i >= 0 {
			if runs[i].Error != "" {
				t.Fatalf("scan run failed: %+v", runs[i])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no finished scan run: %+v", runs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The staff UI answers, behind its login.
	res, err := http.Get("http://" + uiAddr + "/issues")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/login" {
		t.Errorf("UI: %d at %s", res.StatusCode, res.Request.URL)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit %d", code)
	}
	// The first start created an administrator and said so, once.
	if !regexp.MustCompile(`已创建管理员：用户名 admin，密码 [A-Za-z0-9]{16}`).MatchString(out.String()) {
		t.Errorf("no first administrator in the output:\n%s", out.String())
	}
	list, _ := st.Issues(context.Background(), store.Filter{})
	if len(list) == 0 {
		t.Error("the catch-up scan saved no issue")
	}
}

// demoSite serves the sample district site (and its "external" sites) on
// loopback until the test ends.
func demoSite(t *testing.T) *httptest.Server {
	ext := httptest.NewServer(demosite.External())
	t.Cleanup(ext.Close)
	site := httptest.NewServer(demosite.New(time.Now(), ext.URL))
	t.Cleanup(site.Close)
	return site
}

// The README's first command, as a person runs it: the demo scans, then
// serves the staff UI with a printed login, where the scan's issues are.
func TestDemo_ServesUI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"demo", "--ui", "127.0.0.1:0", "--db", db}, pw, io.Discard)
		pw.Close()
	}()
	var uiURL, password string
	lines := bufio.NewScanner(pr)
	for lines.Scan() && (uiURL == "" || password == "") {
		if m := regexp.MustCompile(`管理界面（staff UI）：(\S+)`).FindStringSubmatch(lines.Text()); m != nil {
			uiURL = m[1]
		}
		if m := regexp.MustCompile(`用户名 admin，密码 (\S+?)（`).FindStringSubmatch(lines.Text()); m != nil {
			password = m[1]
		}
	}
	go io.Copy(io.Discard, pr)
	if uiURL == "" || password == "" {
		t.Fatalf("no UI address or login printed (%q, %q)", uiURL, password)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(uiURL+"login", url.Values{"name": {"admin"}, "password": {password}, "next": {"/issues?category=dead_link"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "共 11 项") {
		t.Errorf("dead links in the UI: %d %s", res.StatusCode, regexp.MustCompile(`共 \d+ 项`).FindString(string(body)))
	}
	// "Scan now" from the UI runs the same scan again, visibly.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sites, _ := st.Targets(context.Background(), "site")
	before, _ := st.ScansOf(context.Background(), store.KindCrawl, 100)
	res, err = c.PostForm(fmt.Sprintf("%stargets/%d/scan", uiURL, sites[0].ID), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Request.URL.Path != "/scans" {
		t.Fatalf("scan now: %d at %s", res.StatusCode, res.Request.URL)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		after, _ := st.ScansOf(context.Background(), store.KindCrawl, 100)
		if len(after) > len(before) && after[0].Status == store.ScanComplete {
			if after[0].New != 0 || after[0].StillOpen < 40 {
				t.Errorf("the second scan: %+v", after[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scan started from the UI did not finish")
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("demo exit %d", code)
	}
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	runCLI(t, "users", "add", "zhang", "--db", db)
	code, out, errs := runCLI(t, "backup", filepath.Join(dir, "copy.db"), "--db", db)
	if code != 0 || !strings.Contains(out, "已备份到") {
		t.Fatalf("backup: exit %d %s %s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "users", "list", "--db", filepath.Join(dir, "copy.db")); code != 0 || !strings.Contains(out, "zhang") {
		t.Errorf("the copy: %s", out)
	}
	if code, _, errs := runCLI(t, "backup", filepath.Join(dir, "copy.db"), "--db", db); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("backup over a file: exit %d %s", code, errs)
	}
}

func TestUsers(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	code, out, errs := runCLI(t, "users", "add", "zhang", "--role", "staff", "--db", db)
	m := regexp.MustCompile(`初始密码：([A-Za-z0-9]{16})`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("add: exit %d %s %s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "users", "add", "zhang", "--db", db); code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("add twice: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "users", "add", "li", "--role", "boss", "--db", db); code != 1 || !strings.Contains(errs, "role") {
		t.Errorf("bad role: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "users", "add", "wjw", "--role", "owner", "--db", db); code != 1 || !strings.Contains(errs, "unit") {
		t.Errorf("owner without a unit: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "users", "add", "wjw", "--role", "owner", "--unit", "区卫健委", "--db", db); code != 0 {
		t.Errorf("owner: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "users", "add", "dh", "--tenant", "东湖区", "--db", db); code != 0 {
		t.Errorf("a district's staff: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "users", "add", "root2", "--role", "admin", "--tenant", "东湖区", "--db", db); code != 1 || !strings.Contains(errs, "administrator manages every tenant") {
		t.Errorf("an administrator with a tenant: exit %d %s", code, errs)
	}
	runCLI(t, "users", "disable", "zhang", "--db", db)
	code, out, _ = runCLI(t, "users", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "zhang") || !strings.Contains(out, "已停用") || !strings.Contains(out, "区卫健委") || !strings.Contains(out, "东湖区") {
		t.Errorf("list: %s", out)
	}
	code, out, _ = runCLI(t, "users", "reset", "zhang", "--db", db)
	if code != 0 || strings.Contains(out, m[1]) || !regexp.MustCompile(`[A-Za-z0-9]{16}`).MatchString(out) {
		t.Errorf("reset: %s", out)
	}
	if code, _, _ := runCLI(t, "users", "reset", "nobody", "--db", db); code != 1 {
		t.Errorf("reset nobody: exit %d", code)
	}
}

// A configuration with a cron expression out of range stops every command
// at once, before serve creates the first administrator.
func TestServe_BadCronStopsBeforeTheFirstAdministrator(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	cfg := filepath.Join(dir, "x.yaml")
	os.WriteFile(cfg, []byte("database: "+db+"\nlisten: 127.0.0.1:0\nschedule:\n  scan: \"61 * * * *\"\n"), 0o644)
	for _, cmd := range []string{"serve", "scan"} {
		code, out, errs := runCLI(t, cmd, "--config", cfg)
		if code == 0 || !strings.Contains(errs, "x.yaml:4: schedule scan \"61 * * * *\": 61 is out of range") || strings.Contains(out+errs, "admin") {
			t.Errorf("%s: exit %d\n%s%s", cmd, code, out, errs)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("the database was created")
	}
}

// The small things of the command line: the version line, a missing
// --config in one line (not the whole usage), the owner role in the help.
func TestCLI_VersionUsageHelp(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "xunjian ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("version: %d %q", code, out)
	}
	code, out, errs := runCLI(t, "scan")
	if code != 2 || out != "" || strings.Count(errs, "\n") != 2 || !strings.Contains(errs, "--config FILE is required") {
		t.Errorf("scan without --config: %d\n%s", code, errs)
	}
	code, _, errs = runCLI(t, "bogus")
	if code != 2 || strings.Count(errs, "\n") != 2 || strings.Contains(errs, "bogus -h") {
		t.Errorf("unknown command: %d\n%s", code, errs)
	}
	if _, out, _ := runCLI(t, "help"); !strings.Contains(out, "--role admin|staff|owner --unit") {
		t.Errorf("help does not list the owner role:\n%s", out)
	}
}

// The demo without --db: its first scan is #1, and its temporary folder is
// gone when it ends.
func TestDemo_FirstScanAndNoLeftovers(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	code, out, errs := runCLI(t, "demo", "--exit")
	if code != 0 || !strings.Contains(out, "扫描 #1：") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if left, _ := filepath.Glob(filepath.Join(os.TempDir(), "xunjian-demo-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// An account's newest post is given on the office's date everywhere: a
// post at 18:30 UTC on 10 November is 11 November in Beijing, in the scan's
// summary as in the issue.
func TestScan_AccountDatesInTheOfficeZone(t *testing.T) {
	feed := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>青溪发布</title>` +
		`<item><title>区政府召开常务会议</title><link>http://a/1</link><pubDate>Tue, 10 Nov 2026 18:30:00 GMT</pubDate></item></channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feed) }))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfg, []byte("database: "+filepath.Join(dir, "x.db")+"\ntimezone: Asia/Shanghai\naccounts:\n  - name: 青溪发布\n    owner: 区融媒体中心\n    feed: "+srv.URL+"/rss.xml\n"), 0o644)
	code, out, errs := runCLI(t, "scan", "--config", cfg, "--quiet")
	if code != 0 || !strings.Contains(out, "最近发布 2026-11-11") {
		t.Fatalf("scan: exit %d\n%s\n%s", code, out, errs)
	}
	_, out, _ = runCLI(t, "issues", "--config", cfg, "--format", "json")
	if strings.Contains(out, "2026-11-10") || !strings.Contains(out, "最近发布 2026-11-11") {
		t.Errorf("issues give another date:\n%s", out)
	}
}

// A scan whose home page cannot be read says so in its summary, first.
func TestScan_UnreachableHomeInTheSummary(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer site.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xunjian.yaml")
	os.WriteFile(cfg, []byte("database: "+filepath.Join(dir, "x.db")+"\ncrawl:\n  timeout: 1s\n  retries: 0\n  recheck_after: 10ms\nsites:\n  - name: 示例区\n    url: "+site.URL+"/\n"), 0o644)
	code, out, errs := runCLI(t, "scan", "--config", cfg, "--quiet")
	if !strings.Contains(out, "首页无法访问：HTTP 500") || strings.Contains(out, "（扫描 #1，不完整（") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
}
