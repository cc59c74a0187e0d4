// Package config turns the YAML configuration file into one validated Config
// value. It is read once, at the edge (cmd/xunjian), and passed down as plain
// values: no package reads configuration on its own.
//
// Every error names the file and line it comes from, so an operator can fix a
// typo without guessing.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration of one xunjian installation.
type Config struct {
	Database string    `yaml:"database"`
	Listen   string    `yaml:"listen"`
	Timezone string    `yaml:"timezone"`
	RulesDir string    `yaml:"rules_dir"`
	Crawl    Crawl     `yaml:"crawl"`
	Checks   Checks    `yaml:"checks"`
	Sites    []Site    `yaml:"sites"`
	Accounts []Account `yaml:"accounts"`
	// UIBaseURL is the staff UI's public address, for links in digests
	// (see LinkBase).
	UIBaseURL string `yaml:"ui_base_url"`
	SMTP      SMTP   `yaml:"smtp"`
	Units     []Unit `yaml:"units"`
	// Leaders are the district's own leaders: their names (and each with
	// its titles) are protected terms whose near misses are serious errors.
	Leaders  []Leader `yaml:"leaders"`
	Digest   Digest   `yaml:"digest"`
	Schedule Schedule `yaml:"schedule"`
	// Jobs tune the job queue of a PostgreSQL deployment (serve enqueues,
	// workers run); SQLite runs the jobs in the serve process and ignores
	// them.
	Jobs   Jobs   `yaml:"jobs"`
	Triage Triage `yaml:"triage"`
	// Report are the office's own lines on the notice (通报).
	Report Report `yaml:"report"`
	// Scorecard adapts the projected score's deduction items to the local
	// 考评方案.
	Scorecard Scorecard `yaml:"scorecard"`

	// Location is Timezone loaded; set by Load and Default.
	Location *time.Location `yaml:"-"`
	// Path is the file the configuration was read from ("" for defaults).
	Path string `yaml:"-"`
}

// Crawl holds the politeness and budget settings shared by every site.
type Crawl struct {
	UserAgent        string   `yaml:"user_agent"`
	Concurrency      int      `yaml:"concurrency"`
	Delay            Duration `yaml:"delay"`
	Timeout          Duration `yaml:"timeout"`
	Retries          int      `yaml:"retries"`
	RecheckAfter     Duration `yaml:"recheck_after"`
	MaxBodyBytes     int      `yaml:"max_body_bytes"`
	MaxPages         int      `yaml:"max_pages"`
	MaxDepth         int      `yaml:"max_depth"`
	MaxQueryVariants int      `yaml:"max_query_variants"`
	CheckExternal    *bool    `yaml:"check_external"`
	ReadAttachments  *bool    `yaml:"read_attachments"`
	// CollapseRatio: a crawl that reads fewer than this share of the pages
	// of the site's last complete crawl (home page replaced by a redirect,
	// a WAF, maintenance or login page) closes no issue; 0 turns it off.
	CollapseRatio float64 `yaml:"collapse_ratio"`
	// CollapseMinDrop: …and reads at least this many pages fewer, so that a
	// site of a few pages is not judged on one or two pages.
	CollapseMinDrop int `yaml:"collapse_min_drop"`
	// Nightly is the refresh policy of the scheduled patrols between full
	// crawls.
	Nightly Nightly `yaml:"nightly"`
}

// Nightly: between full crawls, a patrol visits what can have changed —
// the home page and column lists, pages new or changed lately, pages with
// unresolved issues, dead links — and the rest of the site on a rotation.
type Nightly struct {
	Enabled     *bool `yaml:"enabled"`      // default true; false: every scan is a full crawl
	ArchiveDays int   `yaml:"archive_days"` // every page visited at least this often (7)
	RecentDays  int   `yaml:"recent_days"`  // pages new or changed within: every night (3)
	FullDays    int   `yaml:"full_days"`    // a full crawl when the last is this old (7; -1: only when asked)
	LinkDays    int   `yaml:"link_days"`    // a link checked good within this is not re-checked (7)
}

// On reports whether nightly patrols are incremental (the default).
func (n Nightly) On() bool { return n.Enabled == nil || *n.Enabled }

// Checks tune the checks. Zero values keep the national indicators'
// thresholds (the checks package holds them).
type Checks struct {
	HomepageDays     int           `yaml:"homepage_days"`      // home page: newest item at most this old
	HomepageWarnDays int           `yaml:"homepage_warn_days"` // early warning for the home page
	WarnRatio        float64       `yaml:"warn_ratio"`         // early warning at this share of a column's days
	ColumnClasses    []ColumnClass `yaml:"column_classes"`     // replaces the built-in classes when set
	ExemptKeywords   []string      `yaml:"exempt_keywords"`    // replaces the built-in list when set
	ProbeMinCount    int           `yaml:"probe_min_count"`    // probes a week needs before its share is judged
	ProbeWarnShare   float64       `yaml:"probe_warn_share"`   // early warning share of failed probes
	ProbeVetoShare   float64       `yaml:"probe_veto_share"`   // the veto line
	// PolicyRequired are the metadata fields every policy document must
	// fill (index, issuer, written, published by default).
	PolicyRequired []string `yaml:"policy_required"`
	// InterpretationTypes: 文件类型 words that require a 政策解读 (规范性).
	InterpretationTypes []string `yaml:"interpretation_types"`
	AccountDays         int      `yaml:"account_days"`      // new media: a post at least this often (14)
	AccountWarnDays     int      `yaml:"account_warn_days"` // early warning (10)
	// SuspectConfidence is how sure (0.5–0.999) the typo detector
	// (疑似错别字) must be to report: higher is quieter, 0 turns it off.
	// Unset: rules.DefaultSuspectConfidence (0.98).
	SuspectConfidence *float64 `yaml:"suspect_confidence"`
	// Interaction are the limits of 互动回应.
	Interaction Interaction `yaml:"interaction"`
}

// Interaction are the limits of 互动回应 (0 or empty: the indicator's).
type Interaction struct {
	LimitDays int      `yaml:"limit_days"` // a message unanswered longer fails the site (90: 3 months)
	WarnDays  int      `yaml:"warn_days"`  // early warning (60)
	QuietDays int      `yaml:"quiet_days"` // a channel with no reply for longer has stopped answering (60)
	Keywords  []string `yaml:"keywords"`   // words naming a channel (replace the built-in 留言, 咨询, 信箱, 投诉, 征集 …)
}

// policyFields are the names policy_required may use.
var policyFields = []string{"index", "topic", "issuer", "written", "published", "number", "title", "validity", "type"}

// ColumnClass is a kind of column and how fresh it must be kept.
type ColumnClass struct {
	Name     string   `yaml:"name"`
	Label    string   `yaml:"label"`
	Days     int      `yaml:"days"`
	Keywords []string `yaml:"keywords"`
}

// Site is one website to patrol.
type Site struct {
	Name         string   `yaml:"name"`
	URL          string   `yaml:"url"`
	AllowedHosts []string `yaml:"allowed_hosts"`
	Owner        string   `yaml:"owner"`
	Email        string   `yaml:"email"`
	// Tenant is the district the site belongs to in a database many share
	// (a city's): staff accounts given that tenant see its targets only.
	Tenant  string           `yaml:"tenant"`
	Columns []ColumnOverride `yaml:"columns"`
	// Chrome are CSS selectors (div.leftnav, #sidebar) of the site's own
	// template blocks when xunjian's template learning misses them: their
	// links are still checked, but they are never column items or content.
	Chrome []string `yaml:"chrome"`
}

// SMTP is the mail relay for digests.
type SMTP struct {
	Host         string `yaml:"host"`
	Port         int    `yaml:"port"`
	Security     string `yaml:"security"` // starttls (default), tls (implicit, 465), none (internal relay)
	Username     string `yaml:"username"`
	Password     string `yaml:"password"`
	PasswordFile string `yaml:"password_file"` // read at start; keeps the secret out of this file
	From         string `yaml:"from"`
	ReplyTo      string `yaml:"reply_to"`
}

// Schedule is when xunjian serve runs its jobs: cron expressions (minute
// hour day month weekday) in the configured time zone.
type Schedule struct {
	Scan         string `yaml:"scan"`         // every site and account
	Probe        string `yaml:"probe"`        // availability of each home page
	Digest       string `yaml:"digest"`       // the weekly digests
	Housekeeping string `yaml:"housekeeping"` // prune old probes and job runs
	KeepDays     int    `yaml:"keep_days"`    // how long probes and job runs are kept
}

// Jobs tune the job queue (River on PostgreSQL): how much each worker
// process takes on at once, and when a worker that went silent is given up.
type Jobs struct {
	// Scans is how many hosts one worker process patrols at once (each
	// host by one worker at a time, whichever machine).
	Scans int `yaml:"scans"`
	// RescueAfter is the longest one job may run — a host's patrol is
	// stopped then, keeping what it found and closing nothing — and how
	// soon a job whose worker died is handed to another (after this and a
	// lease). Longer than the longest full crawl of one host.
	RescueAfter Duration `yaml:"rescue_after"`
	// Lease is how long a scan holds its target without renewing it (every
	// quarter of it): after it, a killed scan's target is scanned afresh.
	Lease Duration `yaml:"lease"`
}

// Leader is one of the district's leaders: 李明, [区委副书记, 区长].
type Leader struct {
	Name   string   `yaml:"name"`
	Titles []string `yaml:"titles"`
}

// Unit is an owning unit (a department) and where its digest goes.
type Unit struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

// Triage configures how staff hand issues on.
type Triage struct {
	// DeadlineDays are the working days (Monday to Friday) an assigned
	// issue gets to be fixed when staff give no deadline, by severity.
	DeadlineDays DeadlineDays `yaml:"deadline_days"`
}

// DeadlineDays are working days by severity; 0 gives no default.
type DeadlineDays struct {
	High   int `yaml:"high"`
	Medium int `yaml:"medium"`
	Low    int `yaml:"low"`
}

// Report is what the office adapts on its notice (通报): the heading,
// the 文号 line, the addressees, the signature block, and the deadline it
// sets.
type Report struct {
	Title        string `yaml:"title"`         // default 政府网站与政务新媒体检查情况通报
	DocNumber    string `yaml:"doc_number"`    // 文号, e.g. 青政办〔2026〕12号; none by default
	Recipients   string `yaml:"recipients"`    // 主送, default 各有关单位：
	Issuer       string `yaml:"issuer"`        // the signature, default the first site's owner
	Contact      string `yaml:"contact"`       // 联系人及电话
	DeadlineDays int    `yaml:"deadline_days"` // working days to fix, default 10
	Examples     int    `yaml:"examples"`      // examples per category, default 5
}

// Scorecard overrides deduction items of the projected score by their id
// (README: 考评预估).
type Scorecard struct {
	Site    []ScoreItem `yaml:"site"`
	Account []ScoreItem `yaml:"account"`
}

// ScoreItem sets an item's points (the most it can lose), what each
// unresolved issue costs, or makes it one left to people.
type ScoreItem struct {
	ID     string   `yaml:"id"`
	Points *float64 `yaml:"points"`
	Each   *float64 `yaml:"each"`
	Manual *bool    `yaml:"manual"`
}

// Digest configures the weekly digests.
type Digest struct {
	Staff     []string `yaml:"staff"`      // the monitoring staff: they get the summary
	SendEmpty bool     `yaml:"send_empty"` // units with nothing open get a mail too
}

// LinkBase is the staff UI's full address for links read outside it (the
// digests' 处理 links): ui_base_url, else http:// and the listen address when
// others can reach that one — a host name, or an IP address that is not
// loopback, link-local or unspecified (0.0.0.0, :8080) — else "": there
// is no address a mail client could open, and digests are not sent.
func (c *Config) LinkBase() string {
	if c.UIBaseURL != "" {
		return c.UIBaseURL
	}
	host, port, err := net.SplitHostPort(c.Listen)
	if err != nil || host == "" || port == "" || port == "0" {
		return ""
	}
	if ip := net.ParseIP(host); ip != nil {
		if ip.IsLoopback() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() {
			return ""
		}
	} else if h := strings.ToLower(host); h == "localhost" || strings.HasSuffix(h, ".localhost") || !strings.Contains(h, ".") {
		return "" // localhost, or a bare name that mail readers elsewhere may not resolve
	}
	return "http://" + net.JoinHostPort(host, port)
}

// UnitEmails maps each owning unit to its address: the units list first,
// then the owners of sites, accounts and column overrides.
func (c *Config) UnitEmails() map[string]string {
	m := map[string]string{}
	add := func(unit, email string) {
		if unit != "" && email != "" && m[unit] == "" {
			m[unit] = email
		}
	}
	for _, u := range c.Units {
		add(u.Name, u.Email)
	}
	for _, s := range c.Sites {
		add(s.Owner, s.Email)
		for _, o := range s.Columns {
			add(o.Owner, o.Email)
		}
	}
	for _, a := range c.Accounts {
		add(a.Owner, a.Email)
	}
	return m
}

// Account is a government new-media account. Give exactly one source: feed
// (RSS/Atom/JSON Feed, e.g. from a local RSSHub or WeChat-to-RSS bridge),
// urls (WeChat article links), weibo_uid, or page (a list of dated items).
type Account struct {
	Name     string   `yaml:"name"`
	Platform string   `yaml:"platform"`
	ID       string   `yaml:"id"`
	Owner    string   `yaml:"owner"`
	Contact  string   `yaml:"contact"`
	Email    string   `yaml:"email"`
	Feed     string   `yaml:"feed"`
	URLs     []string `yaml:"urls"`
	WeiboUID string   `yaml:"weibo_uid"`
	WeiboAPI string   `yaml:"weibo_api"` // default https://m.weibo.cn
	Cookie   string   `yaml:"cookie"`    // Weibo answers -100 without one; secret
	Page     string   `yaml:"page"`
	Enabled  *bool    `yaml:"enabled"` // false: kept in the register, not checked
	Tenant   string   `yaml:"tenant"`  // the district, in a database many share (as a site's)
}

// ColumnOverride corrects the column register for one column (or every
// column under a URL ending in /): its class, exemption, owning unit.
type ColumnOverride struct {
	URL   string `yaml:"url"`  // a path on the site (/xwzx/zwyw/) or a full URL
	Name  string `yaml:"name"` // or the column's name
	Class string `yaml:"class"`
	Owner string `yaml:"owner"`
	Email string `yaml:"email"`
}

// builtinClasses are the class names of the built-in column classes.
var builtinClasses = []string{"news", "notice", "plan"}

// Duration is a time.Duration written as "200ms", "15s", "1h".
type Duration time.Duration

// UnmarshalYAML parses a Go duration string and reports its line when it is bad.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil || v < 0 {
		return &lineError{line: n.Line, msg: fmt.Sprintf("%q is not a duration (write e.g. 200ms, 15s, 2m)", n.Value)}
	}
	*d = Duration(v)
	return nil
}

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// DefaultUserAgent names the tool; operators should add who they are.
const DefaultUserAgent = "xunjian/0.1 (government website compliance monitor)"

// DefaultTimezone is the office's time zone when the configuration names
// none.
const DefaultTimezone = "Asia/Shanghai"

// OfficeZone is DefaultTimezone loaded; without a zone database, the fixed
// UTC+8 it has kept, without daylight saving, since 1991.
func OfficeZone() *time.Location {
	loc, err := time.LoadLocation(DefaultTimezone)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Default returns the configuration used when a key is absent: the national
// indicators' thresholds and polite crawling (2 connections, 200 ms apart).
func Default() Config {
	yes := true
	return Config{
		Database: "xunjian.db",
		Listen:   "127.0.0.1:8080",
		Timezone: DefaultTimezone,
		Location: OfficeZone(),
		Crawl: Crawl{
			UserAgent:        DefaultUserAgent,
			Concurrency:      2,
			Delay:            Duration(200 * time.Millisecond),
			Timeout:          Duration(15 * time.Second),
			Retries:          2,
			RecheckAfter:     Duration(10 * time.Second),
			MaxBodyBytes:     10 << 20,
			MaxPages:         20000,
			MaxDepth:         12,
			MaxQueryVariants: 30,
			CheckExternal:    &yes,
			CollapseRatio:    0.5,
			CollapseMinDrop:  3,
			Nightly:          Nightly{ArchiveDays: 7, RecentDays: 3, FullDays: 7, LinkDays: 7},
		},
		Schedule: Schedule{Scan: "30 2 * * *", Probe: "*/30 * * * *", Digest: "0 8 * * 1", Housekeeping: "0 4 * * *", KeepDays: 90},
		Jobs:     Jobs{Scans: 4, RescueAfter: Duration(3 * time.Hour), Lease: Duration(2 * time.Minute)},
		Triage:   Triage{DeadlineDays: DeadlineDays{High: 3, Medium: 10, Low: 20}},
		Report:   Report{Title: "政府网站与政务新媒体检查情况通报", Recipients: "各有关单位：", DeadlineDays: 10, Examples: 5},
	}
}

// cronReason says in plain words why robfig/cron refused an expression
// ("end of range (61) above maximum (59): 61" → "61 is out of range").
func cronReason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.Contains(msg, "range") {
		return fmt.Sprintf("%s is out of range (minute 0–59, hour 0–23, day 1–31, month 1–12, weekday 0–6)", msg[i+2:])
	}
	return "not a valid cron expression (" + msg + ")"
}

// lineError is a problem at one line of the file.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// Load reads and validates the file at path.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := Parse(data, path)
	if err != nil {
		return Config{}, err
	}
	return cfg, nil
}

var (
	yamlLine     = regexp.MustCompile(`line (\d+): (.*)`)
	unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)
)

// Parse reads configuration from data; name is used in error messages.
// Every error has the form "name:line: reason", every problem of the file
// at once, in file order.
func Parse(data []byte, name string) (Config, error) {
	cfg := Default()
	cfg.Path = name
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		// Not YAML: the parser's line is often where it gave up, above a
		// line indented wrongly; name that line when one is.
		if n := misindented(data); n > 0 {
			return Config{}, fmt.Errorf("config: %s:%d: the indentation does not match the lines above (indent a key by the same spaces as the other keys of its section)", name, n)
		}
		return Config{}, fmt.Errorf("config: %s", rewriteYAMLLine(name, root.Kind, err.Error()))
	}
	var errs []*lineError
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return Config{}, fmt.Errorf("config: %s", rewriteYAMLLine(name, 0, err.Error()))
		}
		for _, e := range te.Errors {
			errs = append(errs, decodeError(&root, e))
		}
	}
	errs = append(errs, cfg.validate(&root)...)
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *lineError) int { return a.line - b.line })
		lines := make([]string, len(errs))
		for i, e := range errs {
			lines[i] = fmt.Sprintf("%s:%d: %s", name, e.line, e.msg)
		}
		return Config{}, fmt.Errorf("config: %s", strings.Join(lines, "\n"))
	}
	return cfg, nil
}

var cannotUnmarshal = regexp.MustCompile("cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)")

// decodeError turns one of the decoder's messages into plain words with
// the key it concerns: "cannot unmarshal !!str `two` into int" at line 3 →
// `concurrency must be a whole number, got "two"`.
func decodeError(root *yaml.Node, msg string) *lineError {
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return &lineError{line: 1, msg: msg}
	}
	line, _ := strconv.Atoi(m[1])
	reason := m[2]
	if f := unknownField.FindStringSubmatch(reason); f != nil {
		return &lineError{line: line, msg: fmt.Sprintf("unknown key %q", f[1])}
	}
	if c := cannotUnmarshal.FindStringSubmatch(reason); c != nil {
		want := map[string]string{"int": "a whole number", "int64": "a whole number", "uint": "a whole number",
			"float64": "a number such as 0.7", "bool": "true or false", "string": "text", "config.Duration": "a duration such as 10s or 2m"}[c[3]]
		switch {
		case want != "":
		case strings.HasPrefix(c[3], "[]"):
			want = "a list (items on lines starting with - , or [a, b])"
		default:
			want = "a section (its keys on the lines below, indented)"
		}
		key := keyAt(root, line)
		if key == "" {
			key = "this value"
		}
		got := map[string]string{"seq": "a list", "map": "a section"}[c[1]]
		if got == "" {
			got = strconv.Quote(c[2])
		}
		return &lineError{line: line, msg: fmt.Sprintf("%s must be %s, got %s", key, want, got)}
	}
	return &lineError{line: line, msg: reason}
}

// keyAt is the key written on a line ("" when none is).
func keyAt(n *yaml.Node, line int) string {
	if n == nil {
		return ""
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Line == line {
				return n.Content[i].Value
			}
		}
	}
	for _, c := range n.Content {
		if k := keyAt(c, line); k != "" {
			return k
		}
	}
	return ""
}

// misindented is the first line whose indentation matches no section
// open above it (0 when every line fits): a key indented one space less
// or more than its neighbours, which YAML reports a line or more too
// early.
func misindented(data []byte) int {
	levels := []int{0} // indentation of the open sections, outermost first
	opens := false     // the previous line opened a section (ends with ":")
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimRight(raw, " \t\r")
		text := strings.TrimLeft(line, " ")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		indent := len(line) - len(text)
		top := levels[len(levels)-1]
		switch {
		case indent > top && opens:
			levels = append(levels, indent)
		case indent > top && (strings.HasPrefix(text, "- ") || text == "-"):
			levels = append(levels, indent)
		case indent > top:
			// a continuation of a flow value or a list item's next key
			if !strings.Contains(text, ":") {
				break
			}
			return i + 1
		default:
			for len(levels) > 1 && levels[len(levels)-1] > indent {
				levels = levels[:len(levels)-1]
			}
			if levels[len(levels)-1] != indent {
				return i + 1
			}
		}
		body := strings.TrimPrefix(text, "- ")
		if strings.HasPrefix(text, "- ") && strings.Contains(body, ":") {
			// "- name: x": the item's keys sit at the indentation of name
			levels = append(levels, indent+2)
		}
		opens = strings.HasSuffix(body, ":")
	}
	return 0
}

func rewriteYAMLLine(name string, _ yaml.Kind, msg string) string {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s:%s: %s", name, m[1], m[2])
	}
	return fmt.Sprintf("%s: %s", name, msg)
}

// lineOf finds the line of the value at a key path ("crawl", "concurrency");
// an integer element selects a sequence item. It returns 0 when absent.
func lineOf(root *yaml.Node, path ...string) int {
	n := root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, p := range path {
		if n == nil {
			return line
		}
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					next = n.Content[i+1]
					line = n.Content[i].Line
					break
				}
			}
			n = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
		default:
			return line
		}
	}
	return line
}

func (c *Config) validate(root *yaml.Node) []*lineError {
	var errs []*lineError
	bad := func(msg string, path ...string) {
		errs = append(errs, &lineError{line: max(lineOf(root, path...), 1), msg: msg})
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		bad(fmt.Sprintf("unknown time zone %q", c.Timezone), "timezone")
		loc = time.UTC
	}
	c.Location = loc
	if strings.TrimSpace(c.Database) == "" {
		bad("database must name a file", "database")
	}
	cr := &c.Crawl
	if cr.Concurrency < 1 || cr.Concurrency > 64 {
		bad(fmt.Sprintf("concurrency must be 1..64, got %d", cr.Concurrency), "crawl", "concurrency")
	}
	if cr.Timeout.D() < 100*time.Millisecond {
		bad("timeout must be at least 100ms", "crawl", "timeout")
	}
	if cr.Retries < 0 || cr.Retries > 5 {
		bad(fmt.Sprintf("retries must be 0..5, got %d", cr.Retries), "crawl", "retries")
	}
	if cr.MaxBodyBytes < 1024 {
		bad("max_body_bytes must be at least 1024", "crawl", "max_body_bytes")
	}
	if cr.MaxPages < 1 {
		bad("max_pages must be at least 1", "crawl", "max_pages")
	}
	if cr.MaxDepth < 0 {
		bad("max_depth must not be negative", "crawl", "max_depth")
	}
	if cr.MaxQueryVariants < 1 {
		bad("max_query_variants must be at least 1", "crawl", "max_query_variants")
	}
	if cr.CollapseRatio < 0 || cr.CollapseRatio > 1 {
		bad(fmt.Sprintf("collapse_ratio must be between 0 (off) and 1 (e.g. 0.5), got %v", cr.CollapseRatio), "crawl", "collapse_ratio")
	}
	if cr.CollapseMinDrop < 0 {
		bad("collapse_min_drop must not be negative", "crawl", "collapse_min_drop")
	}
	if n := cr.Nightly; n.ArchiveDays < 1 || n.ArchiveDays > 60 || n.RecentDays < 0 || n.LinkDays < 1 || n.FullDays < -1 || n.FullDays == 0 {
		bad(fmt.Sprintf("nightly: archive_days must be 1..60, recent_days not negative, link_days at least 1, full_days at least 1 (or -1: full crawls only when asked); got %d, %d, %d, %d",
			n.ArchiveDays, n.RecentDays, n.LinkDays, n.FullDays), "crawl", "nightly")
	}
	if strings.TrimSpace(cr.UserAgent) == "" {
		bad("user_agent must not be empty: name the operator so site owners know who crawls", "crawl", "user_agent")
	}
	if in := c.Checks.Interaction; in.LimitDays < 0 || in.WarnDays < 0 || in.QuietDays < 0 ||
		in.LimitDays > 0 && in.WarnDays > in.LimitDays {
		bad("interaction days must not be negative, and warn_days not above limit_days", "checks", "interaction")
	}
	if c.Report.DeadlineDays < 0 || c.Report.Examples < 0 {
		bad("report deadline_days and examples must not be negative", "report")
	}
	for kind, items := range map[string][]ScoreItem{"site": c.Scorecard.Site, "account": c.Scorecard.Account} {
		for _, it := range items {
			if it.ID == "" || it.Points != nil && *it.Points < 0 || it.Each != nil && *it.Each < 0 {
				bad("each scorecard item needs its id, and points and each must not be negative", "scorecard", kind)
			}
		}
	}
	ch := c.Checks
	if ch.HomepageDays < 0 || ch.HomepageWarnDays < 0 {
		bad("homepage_days and homepage_warn_days must not be negative", "checks")
	}
	if ch.HomepageDays > 0 && ch.HomepageWarnDays > ch.HomepageDays {
		bad("homepage_warn_days must not exceed homepage_days", "checks", "homepage_warn_days")
	}
	if ch.ProbeMinCount < 0 || ch.ProbeWarnShare < 0 || ch.ProbeWarnShare >= 1 || ch.ProbeVetoShare < 0 || ch.ProbeVetoShare >= 1 {
		bad("probe_min_count must not be negative; probe shares are fractions such as 0.05", "checks")
	}
	if ch.ProbeWarnShare > 0 && ch.ProbeVetoShare > 0 && ch.ProbeWarnShare > ch.ProbeVetoShare {
		bad("probe_warn_share must not exceed probe_veto_share", "checks", "probe_warn_share")
	}
	if ch.WarnRatio < 0 || ch.WarnRatio >= 1 {
		bad(fmt.Sprintf("warn_ratio must be between 0 and 1 (e.g. 0.7), got %v", ch.WarnRatio), "checks", "warn_ratio")
	}
	for i, f := range ch.PolicyRequired {
		if !slices.Contains(policyFields, f) {
			bad(fmt.Sprintf("policy_required: unknown field %q (use %s)", f, strings.Join(policyFields, ", ")), "checks", "policy_required", strconv.Itoa(i))
		}
	}
	classes := map[string]bool{"exempt": true}
	for _, n := range builtinClasses {
		classes[n] = len(ch.ColumnClasses) == 0
	}
	for i, cl := range ch.ColumnClasses {
		idx := strconv.Itoa(i)
		if cl.Name == "" || cl.Name == "exempt" || cl.Days <= 0 || len(cl.Keywords) == 0 {
			bad("a column class needs a name (not exempt), days > 0 and keywords", "checks", "column_classes", idx)
		}
		classes[cl.Name] = true
	}
	if c := ch.SuspectConfidence; c != nil && *c != 0 && (*c < 0.5 || *c > 0.999) {
		bad("suspect_confidence must be 0 (off) or between 0.5 and 0.999", "checks", "suspect_confidence")
	}
	if ch.AccountDays < 0 || ch.AccountWarnDays < 0 || (ch.AccountDays > 0 && ch.AccountWarnDays > ch.AccountDays) {
		bad("account_days and account_warn_days must be positive, the warning not after the limit", "checks")
	}
	if c.SMTP.PasswordFile != "" {
		data, err := os.ReadFile(c.SMTP.PasswordFile)
		if err != nil {
			bad(fmt.Sprintf("smtp password_file: %v", err), "smtp", "password_file")
		}
		c.SMTP.Password = strings.TrimSpace(string(data))
	}
	switch c.SMTP.Security {
	case "", "starttls", "tls", "none":
	default:
		bad(fmt.Sprintf("smtp security %q: use starttls, tls or none", c.SMTP.Security), "smtp", "security")
	}
	if c.UIBaseURL != "" {
		if !FullURL(c.UIBaseURL) {
			bad(fmt.Sprintf("ui_base_url %q must be the UI's full address as staff reach it, e.g. http://xunjian.qxq.gov.cn:8080", c.UIBaseURL), "ui_base_url")
		}
	}
	if c.SMTP.Host != "" && c.SMTP.From == "" {
		bad("smtp needs a from address", "smtp")
	}
	for _, job := range []struct{ key, expr string }{
		{"scan", c.Schedule.Scan}, {"probe", c.Schedule.Probe}, {"digest", c.Schedule.Digest}, {"housekeeping", c.Schedule.Housekeeping},
	} {
		if len(strings.Fields(job.expr)) != 5 {
			bad(fmt.Sprintf("schedule %s %q: write a cron expression of five fields (minute hour day month weekday)", job.key, job.expr), "schedule", job.key)
		} else if _, err := cron.ParseStandard(job.expr); err != nil {
			bad(fmt.Sprintf("schedule %s %q: %s", job.key, job.expr, cronReason(err)), "schedule", job.key)
		}
	}
	for _, d := range []struct {
		key  string
		days int
	}{{"high", c.Triage.DeadlineDays.High}, {"medium", c.Triage.DeadlineDays.Medium}, {"low", c.Triage.DeadlineDays.Low}} {
		if d.days < 0 || d.days > 120 {
			bad(fmt.Sprintf("triage deadline_days %s must be 0 (no default) to 120 working days, got %d", d.key, d.days), "triage", "deadline_days", d.key)
		}
	}
	if c.Jobs.Scans < 1 || c.Jobs.Scans > 64 {
		bad(fmt.Sprintf("jobs scans must be 1 to 64 hosts at once per worker, got %d", c.Jobs.Scans), "jobs", "scans")
	}
	if time.Duration(c.Jobs.Lease) < 4*time.Second {
		bad("jobs lease must be at least 4s (it is renewed every quarter of it)", "jobs", "lease")
	}
	if time.Duration(c.Jobs.RescueAfter) < 2*time.Duration(c.Jobs.Lease) {
		bad("jobs rescue_after must be at least twice the lease (a live scan renews its lease long before)", "jobs", "rescue_after")
	}
	if c.Schedule.KeepDays < 7 {
		bad("schedule keep_days must be at least 7 (the availability share needs a week)", "schedule", "keep_days")
	}
	for i, u := range c.Units {
		if u.Name == "" || !strings.Contains(u.Email, "@") {
			bad("a unit needs a name and an e-mail address", "units", strconv.Itoa(i))
		}
	}
	for i, l := range c.Leaders {
		if n := utf8.RuneCountInString(l.Name); n < 2 || n > 6 || strings.ContainsAny(l.Name, " \t") {
			bad("a leader needs a name of 2 to 6 characters", "leaders", strconv.Itoa(i), "name")
		}
	}
	for i, a := range c.Digest.Staff {
		if !strings.Contains(a, "@") {
			bad(fmt.Sprintf("staff address %q is not an e-mail address", a), "digest", "staff", strconv.Itoa(i))
		}
	}
	seen := map[string]bool{}
	for i, a := range c.Accounts {
		idx := strconv.Itoa(i)
		if strings.TrimSpace(a.Name) == "" {
			bad("an account needs a name", "accounts", idx)
		}
		if seen[a.Name] {
			bad(fmt.Sprintf("name %q is used twice", a.Name), "accounts", idx, "name")
		}
		seen[a.Name] = true
		n := 0
		for _, set := range []bool{a.Feed != "", len(a.URLs) > 0, a.WeiboUID != "", a.Page != ""} {
			if set {
				n++
			}
		}
		if n != 1 {
			bad(fmt.Sprintf("account %q needs exactly one source: feed, urls, weibo_uid or page", a.Name), "accounts", idx)
		}
		for _, u := range append([]string{a.Feed, a.Page, a.WeiboAPI}, a.URLs...) {
			if u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				bad(fmt.Sprintf("account %q: %q is not an http(s) address", a.Name, u), "accounts", idx)
			}
		}
	}
	for i, s := range c.Sites {
		idx := strconv.Itoa(i)
		if strings.TrimSpace(s.Name) == "" {
			bad("site needs a name", "sites", idx)
		}
		if seen[s.Name] {
			bad(fmt.Sprintf("site name %q is used twice (names of sites and accounts are unique)", s.Name), "sites", idx, "name")
		}
		seen[s.Name] = true
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(fmt.Sprintf("site %q: url %q must be an absolute http(s) URL", s.Name, s.URL), "sites", idx, "url")
		}
		for j, o := range s.Columns {
			jdx := strconv.Itoa(j)
			if o.URL == "" && o.Name == "" {
				bad("a column override needs a url or a name", "sites", idx, "columns", jdx)
			}
			if o.URL != "" && !strings.HasPrefix(o.URL, "/") && !strings.HasPrefix(o.URL, "http://") && !strings.HasPrefix(o.URL, "https://") {
				bad(fmt.Sprintf("column url %q must be a path starting with / or a full URL", o.URL), "sites", idx, "columns", jdx, "url")
			}
			if o.Class != "" && !classes[o.Class] {
				bad(fmt.Sprintf("unknown column class %q (use exempt or a class name from column_classes)", o.Class), "sites", idx, "columns", jdx, "class")
			}
		}
		for j, h := range s.AllowedHosts {
			if h == "" || strings.ContainsAny(h, "/ ") {
				bad(fmt.Sprintf("allowed_hosts entry %q must be a host name such as www.example.gov.cn", h), "sites", idx, "allowed_hosts", strconv.Itoa(j))
			}
		}
	}
	return errs
}

// Site returns the site named name.
func (c *Config) Site(name string) (Site, bool) {
	for _, s := range c.Sites {
		if s.Name == name {
			return s, true
		}
	}
	return Site{}, false
}

// ReadAttachmentsOn reports whether the site's .docx/.xlsx/.pdf attachments
// are downloaded and checked (default yes).
func (c Crawl) ReadAttachmentsOn() bool { return c.ReadAttachments == nil || *c.ReadAttachments }

// CheckExternalLinks reports whether links leaving the site are checked.
func (c Crawl) CheckExternalLinks() bool { return c.CheckExternal == nil || *c.CheckExternal }

// FullURL reports whether s is an absolute http(s) address with a host: a
// link a mail client or a browser elsewhere can open.
func FullURL(s string) bool {
	u, err := url.Parse(s)
	return s != "" && err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
