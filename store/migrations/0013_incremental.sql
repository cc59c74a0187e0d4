-- Nightly patrols read part of a site (issue 17). A scan says whether it
-- was one; a page when its content last changed (or first appeared), so
-- the refresh policy can visit what changed lately every night.
ALTER TABLE scans ADD COLUMN incremental INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN changed_at TEXT NOT NULL DEFAULT '';
CREATE INDEX pages_target_scan ON pages (target_id, last_scan_id);
CREATE INDEX links_target_scan ON links (target_id, last_scan_id);
