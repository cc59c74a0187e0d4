package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// PriorPage is a page of a site as the scans so far left it: what a nightly
// patrol needs to decide whether to visit it, and to ask the server whether
// it changed.
type PriorPage struct {
	URL, ETag, LastModified, Hash string
	Status, Depth                 int
	FetchedAt                     time.Time // last visited (read, or answered unchanged)
	ChangedAt                     time.Time // content last changed, or first seen; zero: unknown (seen by the first crawl)
}

// PriorLink is a link target as last checked.
type PriorLink struct {
	URL, Kind, Problem, Detail string
	Internal                   bool
	Status                     int
	CheckedAt                  time.Time
}

// LastFullScan is the target's last complete full crawl (not a nightly
// patrol): its id and when it started. ok is false when there is none.
func (s *Store) LastFullScan(ctx context.Context, targetID int64) (id int64, at time.Time, ok bool, err error) {
	var started string
	err = s.db.QueryRowContext(ctx, `SELECT id, started_at FROM scans WHERE target_id = ? AND kind = ? AND status = ?
		AND incremental = 0 ORDER BY id DESC LIMIT 1`, targetID, KindCrawl, ScanComplete).Scan(&id, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, false, nil
	}
	if err != nil {
		return 0, time.Time{}, false, s.wrap("last full scan", err)
	}
	return id, parseTime(started), true, nil
}

// LastHomeLinks is how many of the site's pages the home page linked to at
// the target's last complete crawl that counted them; ok is false when
// none did.
func (s *Store) LastHomeLinks(ctx context.Context, targetID int64) (n int, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT home_links FROM scans WHERE target_id = ? AND kind = ? AND status = ?
		AND home_links > 0 ORDER BY id DESC LIMIT 1`, targetID, KindCrawl, ScanComplete).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return n, err == nil, s.wrap("last home links", err)
}

// Prior hands over, row by row, the target's pages, link targets and
// columns seen by scan since or later: the site as its last full crawl
// and the patrols after it knew it. Rows only older scans saw are gone from
// the site.
func (s *Store) Prior(ctx context.Context, targetID, since int64, page func(PriorPage), link func(PriorLink), column func(url string)) error {
	rows, err := s.db.QueryContext(ctx, `SELECT url, etag, last_modified, content_hash, status, depth, fetched_at, changed_at
		FROM pages WHERE target_id = ? AND last_scan_id >= ?`, targetID, since)
	if err != nil {
		return s.wrap("read pages", err)
	}
	for rows.Next() {
		var p PriorPage
		var fetched, changed string
		if err := rows.Scan(&p.URL, &p.ETag, &p.LastModified, &p.Hash, &p.Status, &p.Depth, &fetched, &changed); err != nil {
			rows.Close()
			return s.wrap("read page", err)
		}
		p.FetchedAt, p.ChangedAt = parseTime(fetched), parseTime(changed)
		page(p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.wrap("read pages", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT url, kind, internal, status, problem, detail, checked_at
		FROM links WHERE target_id = ? AND last_scan_id >= ?`, targetID, since)
	if err != nil {
		return s.wrap("read links", err)
	}
	for rows.Next() {
		var l PriorLink
		var checked string
		if err := rows.Scan(&l.URL, &l.Kind, &l.Internal, &l.Status, &l.Problem, &l.Detail, &checked); err != nil {
			rows.Close()
			return s.wrap("read link", err)
		}
		l.CheckedAt = parseTime(checked)
		link(l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.wrap("read links", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT url FROM columns WHERE target_id = ? AND last_scan_id >= ?`, targetID, since)
	if err != nil {
		return s.wrap("read columns", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return s.wrap("read column", err)
		}
		column(u)
	}
	return s.wrap("read columns", rows.Err())
}
