package patrol

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/crawler"
	"github.com/xunjian/xunjian/scan"
	"github.com/xunjian/xunjian/store"
)

// The office's account register (mirrored from the national new-media filing
// system) is a sheet with Chinese headers; columns may come in any order and
// extra columns are ignored.
var registerHeaders = map[string]string{
	"账号名称": "name", "名称": "name", "账号": "name", "新媒体名称": "name",
	"平台": "platform", "平台类型": "platform", "类型": "platform",
	"账号ID": "id", "账号id": "id", "ID": "id", "微信号": "id", "UID": "id", "uid": "id",
	"主办单位": "owner", "开办主体": "owner", "主管单位": "owner",
	"联系人": "contact", "邮箱": "email", "电子邮箱": "email", "联系邮箱": "email",
	"订阅地址": "feed", "RSS": "feed", "rss": "feed", "订阅源": "feed",
	"文章链接": "urls", "列表页": "page", "主页": "page",
}

// RegisterColumns are the export's headers, in order.
var RegisterColumns = []string{"账号名称", "平台", "账号ID", "主办单位", "联系人", "邮箱", "订阅地址", "文章链接", "列表页"}

// ParseRegister reads the register's rows (the first row is the header).
// A bad row is reported with its row number (as the spreadsheet shows it)
// and skipped; the others are imported.
func ParseRegister(rows [][]string) ([]scan.Account, []error) {
	if len(rows) == 0 {
		return nil, []error{fmt.Errorf("row 1: the sheet is empty")}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		if key, ok := registerHeaders[strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))]; ok {
			if _, dup := col[key]; !dup {
				col[key] = i
			}
		}
	}
	if _, ok := col["name"]; !ok {
		return nil, []error{fmt.Errorf("row 1: no 账号名称 column (headers: %s)", strings.Join(rows[0], ", "))}
	}
	get := func(row []string, key string) string {
		if i, ok := col[key]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var out []scan.Account
	var errs []error
	seen := map[string]int{}
	for n, row := range rows[1:] {
		line := n + 2
		a := scan.Account{Name: get(row, "name"), Platform: get(row, "platform"), ID: get(row, "id"),
			Owner: get(row, "owner"), Contact: get(row, "contact"), Email: get(row, "email")}
		if a.Name == "" {
			if strings.TrimSpace(strings.Join(row, "")) != "" {
				errs = append(errs, fmt.Errorf("row %d: 账号名称 is empty", line))
			}
			continue
		}
		if prev, dup := seen[a.Name]; dup {
			errs = append(errs, fmt.Errorf("row %d: %s is already on row %d", line, a.Name, prev))
			continue
		}
		src, err := sourceOf(get(row, "feed"), get(row, "urls"), get(row, "page"), a.Platform, a.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("row %d (%s): %v", line, a.Name, err))
			continue
		}
		if a.Email != "" && !strings.Contains(a.Email, "@") {
			errs = append(errs, fmt.Errorf("row %d (%s): 邮箱 %q is not an e-mail address", line, a.Name, a.Email))
			continue
		}
		a.Source = src
		seen[a.Name] = line
		out = append(out, a)
	}
	return out, errs
}

// sourceOf picks an account's source: a feed, article links, a list page,
// or, for Weibo, its uid.
func sourceOf(feed, urls, page, platform, id string) (crawler.Source, error) {
	switch {
	case feed != "":
		return crawler.Source{Kind: crawler.SourceFeed, URL: feed}, validURL(feed)
	case urls != "":
		list := strings.FieldsFunc(urls, func(r rune) bool { return r == ';' || r == '；' || r == ',' || r == '，' || r == ' ' || r == '\n' })
		for _, u := range list {
			if err := validURL(u); err != nil {
				return crawler.Source{}, err
			}
		}
		return crawler.Source{Kind: crawler.SourceWeChat, URLs: list}, nil
	case page != "":
		return crawler.Source{Kind: crawler.SourceHTML, URL: page}, validURL(page)
	case strings.Contains(platform, "微博") && id != "":
		return crawler.Source{Kind: crawler.SourceWeibo, UID: id}, nil
	}
	return crawler.Source{}, fmt.Errorf("no source: give 订阅地址, 文章链接 or 列表页 (or a 微博 账号ID)")
}

func validURL(u string) error {
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return fmt.Errorf("%q is not an http(s) address", u)
	}
	return nil
}

// RegisterRows is the register as rows for export, header first.
func RegisterRows(accts []scan.Account) [][]string {
	rows := [][]string{RegisterColumns}
	for _, a := range accts {
		feed, page, urls, id := "", "", "", a.ID
		switch a.Source.Kind {
		case crawler.SourceWeibo:
			id = cmp.Or(a.Source.UID, a.ID)
		case crawler.SourceFeed:
			feed = a.Source.URL
		case crawler.SourceHTML:
			page = a.Source.URL
		case crawler.SourceWeChat:
			urls = strings.Join(a.Source.URLs, "\n")
		}
		platform := a.Platform
		if a.Source.Kind == crawler.SourceWeibo && !strings.Contains(platform, "微博") {
			platform = "微博" // the import reads a Weibo account from 平台 and 账号ID
		}
		rows = append(rows, []string{a.Name, platform, id, a.Owner, a.Contact, a.Email, feed, urls, page})
	}
	return rows
}

// AccountOf turns a stored account target back into an account.
func AccountOf(t store.Target) scan.Account {
	a := scan.Account{TargetID: t.ID, Name: t.Name, Platform: t.Platform, ID: t.AccountID, Owner: t.Owner, Contact: t.Contact, Email: t.Email}
	a.Source.Kind = t.SourceKind
	switch t.SourceKind {
	case crawler.SourceWeibo:
		a.Source.UID, a.Source.URL = t.Source, t.Settings.API
	case crawler.SourceWeChat:
		a.Source.URLs = strings.Fields(t.Source)
	default:
		a.Source.URL = t.Source
	}
	return a
}

// Register reads the account register and puts the accounts typed in the
// UI's form in their stored form (the web package's Register).
type Register struct{}

// ReadRegister reads an account register (.xlsx or .csv; the file's name
// tells which) into targets to save. Bad rows are listed with their row
// numbers; err is a file that could not be read at all, one that implements
// TooLarge() bool when it was past the reading bounds (a bomb).
func (Register) ReadRegister(name string, data []byte) (ts []store.Target, bad []error, err error) {
	rows, err := attachment.Rows(name, data)
	if errors.Is(err, attachment.ErrTooLarge) {
		return nil, nil, tooLarge{err}
	}
	if err != nil {
		return nil, nil, err
	}
	accts, bad := ParseRegister(rows)
	for _, a := range accts {
		ts = append(ts, a.Target())
	}
	return ts, bad, nil
}

// AccountTarget is an account as staff typed it (its source as one
// address, or article addresses one a line) in its stored form: the
// addresses normalised, the account's own address derived.
func (Register) AccountTarget(t store.Target) store.Target {
	n := AccountOf(t).Target()
	n.Enabled = t.Enabled
	return n
}

// Rows is the register of the stored accounts, header first, for export.
func (Register) Rows(ts []store.Target) [][]string {
	var accts []scan.Account
	for _, t := range ts {
		accts = append(accts, AccountOf(t))
	}
	return RegisterRows(accts)
}

// tooLarge is a register past the reading bounds.
type tooLarge struct{ error }

func (e tooLarge) TooLarge() bool { return true }
func (e tooLarge) Unwrap() error  { return e.error }
