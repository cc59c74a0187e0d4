package patrol

import (
	"strings"
	"testing"

	"github.com/xunjian/xunjian/config"
	"github.com/xunjian/xunjian/web"
)

// The settings page shows the effective thresholds, every name of it has
// an English translation, and no secret.
func TestSettings(t *testing.T) {
	cfg := config.Default()
	cfg.SMTP = config.SMTP{Host: "smtp.qxq.gov.cn", Port: 587, Username: "xunjian", Password: "s3cret-pass"}
	cfg.Checks.AccountDays = 10
	set := Describe(cfg, "abc123")
	var all []string
	for _, s := range set {
		all = append(all, s.Group+" "+s.Name+" "+s.Value)
		if !web.HasEnglish(s.Group) || !web.HasEnglish(s.Name) {
			t.Errorf("no English for %q / %q", s.Group, s.Name)
		}
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"14 天内须有新信息", "10 天内须有新发布", "5% 单项否决", "smtp.qxq.gov.cn:587", "规则版本 abc123",
		"少于上次完整扫描的 50% 且至少少 3 页时",
		// Policy fields by the names the findings use, schedules in words.
		"政策文件必备要素 索引号、发文机关、成文日期、发布日期", "夜间巡检 每天 02:30（30 2 * * *）", "可用性探测 每 30 分钟",
		"每周周报 每周一 08:00", "数据清理 每天 04:00（0 4 * * *），保留 90 天"} {
		if !strings.Contains(text, want) {
			t.Errorf("settings lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "index, issuer") {
		t.Errorf("policy fields shown as configuration keys:\n%s", text)
	}
	if strings.Contains(text, "s3cret-pass") {
		t.Error("the SMTP password is shown")
	}
}
