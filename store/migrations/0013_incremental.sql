-- Nightly patrols read part of a site (issue 17). A scan says whether it
-- was one; a page when its content last changed (or first appeared), so
-- the refresh policy can visit what changed lately every night.
ALTER TABLE scans ADD COLUMN incremental INTEGER NOT NULL DEFAULT 0;
-- How many of the site's pages the home page linked to: a nightly patrol's
-- home page is held to the last complete scan's (a login or WAF page
-- links to none).
ALTER TABLE scans ADD COLUMN home_links INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN changed_at TEXT NOT NULL DEFAULT '';
CREATE INDEX pages_target_scan ON pages (target_id, last_scan_id);
CREATE INDEX links_target_scan ON links (target_id, last_scan_id);
