-- A crawl that reads far fewer pages than the target's last complete crawl
-- (home page replaced by a redirect, a WAF or maintenance page) is recorded
-- as 'collapsed' and closes nothing; baseline_pages is the page count of the
-- complete crawl it was compared with (0: none was).
ALTER TABLE scans ADD COLUMN baseline_pages INTEGER NOT NULL DEFAULT 0;
