-- A crawl that reads far fewer pages than the target's last complete crawl
-- (home page replaced by a redirect, a WAF, maintenance or login page) is
-- recorded as 'collapsed' and closes nothing.
-- pages_read: distinct pages whose content was read and checked (HTML that
-- answered below 400 on the site's hosts); pages counts every fetch, error
-- pages included. For older scans it is estimated from the pages they
-- fetched that no later scan fetched again: close for a target's last
-- scan, low for older ones (so a later scan is never judged collapsed for
-- want of an exact count).
ALTER TABLE scans ADD COLUMN pages_read INTEGER NOT NULL DEFAULT 0;
UPDATE scans SET pages_read = r.n FROM (SELECT last_scan_id AS id, count(DISTINCT content_hash) AS n FROM pages
    WHERE status BETWEEN 200 AND 399 AND content_type LIKE '%html%' GROUP BY last_scan_id) AS r
    WHERE r.id = scans.id;
-- baseline_pages: pages_read of the complete crawl this crawl was compared
-- with (0: none was).
ALTER TABLE scans ADD COLUMN baseline_pages INTEGER NOT NULL DEFAULT 0;
