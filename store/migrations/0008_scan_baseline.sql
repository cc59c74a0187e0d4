-- A crawl that reads far fewer pages than the target's last complete crawl
-- (home page replaced by a redirect, a WAF, maintenance or login page) is
-- recorded as 'collapsed' and closes nothing.
-- pages_read: pages whose content was read and checked (HTML that answered
-- below 400 on the site's hosts, not a redirect to a page already read);
-- pages counts every fetch, error pages included. Older scans did not count
-- it: their fetch count stands in.
ALTER TABLE scans ADD COLUMN pages_read INTEGER NOT NULL DEFAULT 0;
UPDATE scans SET pages_read = pages;
-- baseline_pages: pages_read of the complete crawl this crawl was compared
-- with (0: none was).
ALTER TABLE scans ADD COLUMN baseline_pages INTEGER NOT NULL DEFAULT 0;
