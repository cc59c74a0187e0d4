-- The column register a scan builds (and staff correct through configuration).
CREATE TABLE columns (
    id           INTEGER PRIMARY KEY,
    target_id    INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    name         TEXT NOT NULL,
    class        TEXT NOT NULL DEFAULT '',  -- news | notice | plan | exempt | '' (unknown)
    label        TEXT NOT NULL DEFAULT '',  -- the class in Chinese: 动态要闻类 …
    days         INTEGER NOT NULL DEFAULT 0,
    owner        TEXT NOT NULL DEFAULT '',
    items        INTEGER NOT NULL DEFAULT 0,
    undated      INTEGER NOT NULL DEFAULT 0,
    newest       TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD of the newest dated item
    empty        INTEGER NOT NULL DEFAULT 0,
    last_scan_id INTEGER NOT NULL,
    UNIQUE (target_id, url)
);

-- Availability probes of a target's home page.
CREATE TABLE probes (
    id        INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    ok        INTEGER NOT NULL,
    status    INTEGER NOT NULL DEFAULT 0,
    error     TEXT NOT NULL DEFAULT '',
    millis    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX probes_target_at ON probes(target_id, at);

-- A probe run is recorded as a scan of kind 'probe' so that its findings
-- follow the same lifecycle.
ALTER TABLE scans ADD COLUMN kind TEXT NOT NULL DEFAULT 'crawl'; -- crawl | probe

-- The version of the rule set whose rule reported an issue (wording rules).
ALTER TABLE issues ADD COLUMN rule_version TEXT NOT NULL DEFAULT '';
