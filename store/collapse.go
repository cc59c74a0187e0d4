package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CollapseGuard tells a crawl that ran to its end but read far fewer
// pages than the target's last complete crawl — the home page replaced by
// a script redirect, a WAF, maintenance or login page, robots.txt suddenly
// disallowing — from a complete one. Such a crawl did not look at the pages
// its issues are on, so it must not declare them fixed.
type CollapseGuard struct {
	// Ratio: a crawl reading fewer than Ratio × the last complete crawl's
	// pages is collapsed. 0 turns the guard off.
	Ratio float64
	// MinDrop: and it must read at least this many pages fewer, so that a
	// site of a handful of pages is not judged on one or two pages more
	// or less.
	MinDrop int
}

// DefaultCollapseGuard: fewer than half the pages, and at least 3 fewer.
var DefaultCollapseGuard = CollapseGuard{Ratio: 0.5, MinDrop: 3}

// Collapsed reports whether a crawl of pages pages, compared with a last
// complete crawl of baseline pages (0: there was none), is collapsed.
// Exactly Ratio × baseline pages is not collapsed.
func (g CollapseGuard) Collapsed(pages, baseline int) bool {
	if g.Ratio <= 0 || baseline <= 0 {
		return false
	}
	// The tolerance keeps "exactly at the ratio" exact for ratios that
	// have no exact binary form (0.3 × 10 is 3.0000000000000004).
	return float64(pages) < g.Ratio*float64(baseline)-1e-9 && baseline-pages >= g.MinDrop
}

// CollapseFormat is the reason a collapsed scan gives, with its page count
// and the last complete scan's. Translations key on it.
const CollapseFormat = "本次仅抓取 %d 页（上次 %d 页），疑似首页跳转、拦截或维护，未复查关闭任何问题"

// NightlyCollapseFormat is the reason a collapsed nightly patrol gives: its
// home page links to far fewer of the site's pages than at the last full
// crawl (it reads pages by their addresses, so it is the home page that
// shows the site replaced by a login, WAF or maintenance page).
const NightlyCollapseFormat = "首页仅链接 %d 个本站页面（上次全面扫描时 %d 个），疑似首页跳转、拦截或维护，未复查关闭任何问题"

// CollapseNote is the reason a collapsed scan gives, in Chinese.
func CollapseNote(pages, baseline int) string { return fmt.Sprintf(CollapseFormat, pages, baseline) }

// CollapseNoteOf is the reason a collapsed scan of the kind gives.
func CollapseNoteOf(incremental bool, pages, baseline int) string {
	if incremental {
		return fmt.Sprintf(NightlyCollapseFormat, pages, baseline)
	}
	return CollapseNote(pages, baseline)
}

// LastCompletePages is the number of pages the target's last complete crawl
// read (Scan.PagesRead; collapsed, partial and interrupted crawls do not
// count); ok is false when it has none yet.
func (s *Store) LastCompletePages(ctx context.Context, targetID int64) (pages int, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT pages_read FROM scans WHERE target_id = ? AND kind = ? AND status = ?
		AND incremental = 0 ORDER BY id DESC LIMIT 1`, targetID, KindCrawl, ScanComplete).Scan(&pages)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return pages, err == nil, s.wrap("last complete scan", err)
}
