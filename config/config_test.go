package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParse_ExampleFile(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "xunjian.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sites) != 1 || cfg.Sites[0].Name != "青溪区人民政府门户网站" || len(cfg.Sites[0].AllowedHosts) != 2 {
		t.Errorf("sites %+v", cfg.Sites)
	}
	def := Default()
	if cfg.Crawl.Delay != def.Crawl.Delay || cfg.Crawl.Timeout != def.Crawl.Timeout || cfg.Crawl.MaxPages != def.Crawl.MaxPages ||
		cfg.Crawl.CollapseRatio != def.Crawl.CollapseRatio || cfg.Crawl.CollapseMinDrop != def.Crawl.CollapseMinDrop {
		t.Errorf("example disagrees with defaults: %+v vs %+v", cfg.Crawl, def.Crawl)
	}
	if cfg.Location.String() != "Asia/Shanghai" {
		t.Errorf("location %v", cfg.Location)
	}
	if cfg.Jobs != def.Jobs {
		t.Errorf("example's jobs %+v, defaults %+v", cfg.Jobs, def.Jobs)
	}
}

func TestParse_DefaultsFillGaps(t *testing.T) {
	cfg, err := Parse([]byte("sites:\n  - name: 站\n    url: http://www.example.gov.cn/\n"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Crawl.Concurrency != 2 || cfg.Crawl.Delay.D() != 200*time.Millisecond || cfg.Crawl.Timeout.D() != 15*time.Second || !cfg.Crawl.CheckExternalLinks() ||
		cfg.Crawl.CollapseRatio != 0.5 || cfg.Crawl.CollapseMinDrop != 3 {
		t.Errorf("defaults not applied: %+v", cfg.Crawl)
	}
}

func TestParse_ErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top-level key", "databse: x.db\n", `x.yaml:1: unknown key "databse"`},
		{"unknown nested key", "crawl:\n  concurency: 3\n", `x.yaml:2: unknown key "concurency"`},
		{"bad duration", "crawl:\n  delay: fast\n", `x.yaml:2: "fast" is not a duration`},
		{"wrong type", "crawl:\n  concurrency: many\n", `x.yaml:2: concurrency must be a whole number, got "many"`},
		{"a list where a section belongs", "crawl: [a, b]\n", "x.yaml:1: crawl must be a section"},
		{"triage days out of range", "triage:\n  deadline_days: {high: -1}\n", "x.yaml:2: triage deadline_days high must be 0 (no default) to 120 working days"},
		{"cron minute out of range", "schedule:\n  scan: \"61 * * * *\"\n", `x.yaml:2: schedule scan "61 * * * *": 61 is out of range`},
		{"cron weekday out of range", "schedule:\n  digest: \"0 8 * * 9\"\n", `x.yaml:2: schedule digest "0 8 * * 9": 9 is out of range`},
		{"a key indented one space too far", "database: x.db\ncrawl:\n  concurrency: 4\n  timeout: 10s\n   retries: 2\n", "x.yaml:5: the indentation does not match"},
		{"a key indented one space too little", "database: x.db\ncrawl:\n  concurrency: 4\n timeout: 10s\nchecks:\n  warn_ratio: 0.7\n", "x.yaml:4: the indentation does not match"},
		{"out of range", "crawl:\n  user_agent: a\n  concurrency: 0\n", "x.yaml:3: concurrency must be 1..64"},
		{"relative ui_base_url", "ui_base_url: xunjian.qxq.gov.cn:8080\n", `x.yaml:1: ui_base_url "xunjian.qxq.gov.cn:8080" must be the UI's full address`},
		{"bad site url", "sites:\n  - name: 站\n    url: www.example.gov.cn\n", `x.yaml:3: site "站": url "www.example.gov.cn" must be an absolute http(s) URL`},
		{"duplicate site", "sites:\n  - name: 站\n    url: http://a/\n  - name: 站\n    url: http://b/\n", `x.yaml:4: site name "站" is used twice`},
		{"bad host", "sites:\n  - name: 站\n    url: http://a/\n    allowed_hosts: [http://b/]\n", "x.yaml:4: allowed_hosts entry"},
		{"jobs lease too short", "jobs:\n  lease: 1s\n", "x.yaml:2: jobs lease must be at least 4s"},
		{"jobs rescue before the lease ends", "jobs:\n  lease: 10m\n  rescue_after: 15m\n", "x.yaml:3: jobs rescue_after must be at least twice the lease"},
		{"jobs scans", "jobs:\n  scans: 0\n", "x.yaml:2: jobs scans must be 1 to 64"},
		{"bad time zone", "timezone: Mars/Base\n", `x.yaml:1: unknown time zone "Mars/Base"`},
		{"not yaml", "sites: [\n", "x.yaml:"},
		{"account without a source", "accounts:\n  - name: 青溪发布\n    platform: 微信公众号\n", `x.yaml:2: account "青溪发布" needs exactly one source`},
		{"account with two sources", "accounts:\n  - name: 青溪发布\n    feed: http://a/\n    page: http://b/\n", "x.yaml:2: account"},
		{"account bad url", "accounts:\n  - name: 青溪发布\n    feed: rss.local/x\n", `"rss.local/x" is not an http(s) address`},
		{"site and account share a name", "accounts:\n  - name: 站\n    feed: http://a/\nsites:\n  - name: 站\n    url: http://a/\n", `x.yaml:5: site name "站" is used twice`},
		{"unknown policy field", "checks:\n  policy_required: [index, wenhao]\n", `x.yaml:2: policy_required: unknown field "wenhao"`},
		{"bad warn ratio", "checks:\n  warn_ratio: 1.5\n", "x.yaml:2: warn_ratio must be between 0 and 1"},
		{"suspect confidence out of range", "checks:\n  suspect_confidence: 1.5\n", "x.yaml:2: suspect_confidence must be 0 (off) or between 0.5 and 0.999"},
		{"leader without a name", "leaders:\n  - titles: [区长]\n", "x.yaml:2: a leader needs a name of 2 to 6 characters"},
		{"collapse ratio as a percentage", "crawl:\n  user_agent: a\n  collapse_ratio: 50\n", "x.yaml:3: collapse_ratio must be between 0 (off) and 1"},
		{"negative collapse floor", "crawl:\n  collapse_min_drop: -1\n", "x.yaml:2: collapse_min_drop must not be negative"},
		{"nightly without an archive round", "crawl:\n  nightly:\n    archive_days: 0\n", "x.yaml:2: nightly: archive_days must be 1..60"},
		{"nightly full crawls never", "crawl:\n  nightly:\n    full_days: 0\n", "full_days at least 1 (or -1: full crawls only when asked)"},
		{"warn after the line", "checks:\n  homepage_days: 10\n  homepage_warn_days: 12\n", "x.yaml:3: homepage_warn_days must not exceed"},
		{"probe shares", "checks:\n  probe_warn_share: 0.06\n  probe_veto_share: 0.05\n", "x.yaml:2: probe_warn_share must not exceed"},
		{"incomplete class", "checks:\n  column_classes:\n    - name: news\n      days: 10\n", "x.yaml:3: a column class needs"},
		{"override without target", "sites:\n  - name: 站\n    url: http://a/\n    columns:\n      - owner: 区卫健委\n", "x.yaml:5: a column override needs a url or a name"},
		{"override bad url", "sites:\n  - name: 站\n    url: http://a/\n    columns:\n      - url: xwzx/\n", `x.yaml:5: column url "xwzx/" must be a path`},
		{"override unknown class", "sites:\n  - name: 站\n    url: http://a/\n    columns:\n      - name: 要闻\n        class: daily\n", `x.yaml:6: unknown column class "daily"`},
		{"class from custom list only", "checks:\n  column_classes:\n    - name: fast\n      days: 10\n      keywords: [要闻]\nsites:\n  - name: 站\n    url: http://a/\n    columns:\n      - name: 要闻\n        class: news\n", `x.yaml:11: unknown column class "news"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "x.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// Every problem of a file at once, in file order, each at its line.
func TestParse_EveryErrorInFileOrder(t *testing.T) {
	yaml := "database: x.db\ncrawl:\n  concurrency: two\n  retries: 9\nchecks:\n  warn_ratio: 3\n  bogus: 1\nschedule:\n  scan: \"61 * * * *\"\n"
	_, err := Parse([]byte(yaml), "x.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimPrefix(err.Error(), "config: "), "\n") {
		lines = append(lines, l[:strings.Index(l[len("x.yaml:"):], ":")+len("x.yaml:")])
	}
	if got := strings.Join(lines, " "); got != "x.yaml:3 x.yaml:4 x.yaml:6 x.yaml:7 x.yaml:9" {
		t.Errorf("lines %s, want 3 4 6 7 9:\n%v", got, err)
	}
	for _, jargon := range []string{"unmarshal", "!!str", "int"} {
		if strings.Contains(err.Error(), jargon) {
			t.Errorf("Go jargon %q in %v", jargon, err)
		}
	}
}

// The digests' links start with ui_base_url, else with the listen address
// when it is one others can reach.
func TestLinkBase(t *testing.T) {
	for _, tc := range []struct{ base, listen, want string }{
		{"https://xunjian.qxq.gov.cn", "127.0.0.1:8080", "https://xunjian.qxq.gov.cn"},
		{"", "127.0.0.1:8080", ""},
		{"", "localhost:8080", ""},
		{"", ":8080", ""},
		{"", "0.0.0.0:8080", ""},
		{"", "[::]:8080", ""},
		{"", "[::1]:8080", ""},
		{"", "xunjian:8080", ""},
		{"", "10.12.0.5:8080", "http://10.12.0.5:8080"},
		{"", "[fd00::5]:8080", "http://[fd00::5]:8080"},
		{"", "xunjian.qxq.gov.cn:8080", "http://xunjian.qxq.gov.cn:8080"},
		{"", "10.12.0.5", ""},
	} {
		c := Config{UIBaseURL: tc.base, Listen: tc.listen}
		if got := c.LinkBase(); got != tc.want {
			t.Errorf("ui_base_url %q, listen %q: %q, want %q", tc.base, tc.listen, got, tc.want)
		}
	}
}

func TestLoad_MissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("err = %v", err)
	}
}

func TestParse_EmptyFileIsDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.yaml")
	os.WriteFile(path, nil, 0o644)
	if _, err := Load(path); err != nil {
		t.Errorf("empty file: %v", err)
	}
}

func TestParse_PasswordFile(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "smtp.password")
	os.WriteFile(pw, []byte("s3cret\n"), 0o600)
	cfg, err := Parse([]byte("smtp:\n  host: smtp.qxq.gov.cn\n  from: x@qxq.gov.cn\n  password_file: "+pw+"\n"), "x.yaml")
	if err != nil || cfg.SMTP.Password != "s3cret" {
		t.Errorf("password %q, %v", cfg.SMTP.Password, err)
	}
	if _, err := Parse([]byte("smtp:\n  host: h\n  from: x@y\n  password_file: /nonexistent/pw\n"), "x.yaml"); err == nil || !strings.Contains(err.Error(), "x.yaml:4: smtp password_file") {
		t.Errorf("missing password file: %v", err)
	}
}

// collapse_ratio: 0 turns the guard off; it is not taken for "absent".
func TestParse_CollapseGuardOff(t *testing.T) {
	cfg, err := Parse([]byte("crawl:\n  collapse_ratio: 0\n  collapse_min_drop: 0\n"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Crawl.CollapseRatio != 0 || cfg.Crawl.CollapseMinDrop != 0 {
		t.Errorf("collapse guard %v / %d, want off", cfg.Crawl.CollapseRatio, cfg.Crawl.CollapseMinDrop)
	}
}
