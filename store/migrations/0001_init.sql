-- Targets: websites now, new-media accounts later.
CREATE TABLE targets (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL DEFAULT 'site',     -- site | account
    url        TEXT NOT NULL,
    owner      TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row per scan of one target.
CREATE TABLE scans (
    id              INTEGER PRIMARY KEY,
    target_id       INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    status          TEXT NOT NULL DEFAULT 'running', -- running | complete | partial | interrupted | failed
    pages           INTEGER NOT NULL DEFAULT 0,
    links           INTEGER NOT NULL DEFAULT 0,
    requests        INTEGER NOT NULL DEFAULT 0,
    bytes           INTEGER NOT NULL DEFAULT 0,
    issues_new      INTEGER NOT NULL DEFAULT 0,
    issues_open     INTEGER NOT NULL DEFAULT 0,
    issues_verified INTEGER NOT NULL DEFAULT 0,
    issues_reopened INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scans_target ON scans(target_id, id);

-- The pages of a site as last fetched (kept for incremental scans).
CREATE TABLE pages (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    status        INTEGER NOT NULL,
    content_type  TEXT NOT NULL DEFAULT '',
    encoding      TEXT NOT NULL DEFAULT '',
    content_hash  TEXT NOT NULL DEFAULT '',
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    depth         INTEGER NOT NULL DEFAULT 0,
    fetched_at    TEXT NOT NULL,
    last_scan_id  INTEGER NOT NULL,
    UNIQUE (target_id, url)
);

-- Every distinct link target of a site as last checked.
CREATE TABLE links (
    id           INTEGER PRIMARY KEY,
    target_id    INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    kind         TEXT NOT NULL,             -- page | attachment | image | resource
    internal     INTEGER NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    problem      TEXT NOT NULL DEFAULT '',  -- '' when it works
    detail       TEXT NOT NULL DEFAULT '',
    referrers    INTEGER NOT NULL DEFAULT 0,
    checked_at   TEXT NOT NULL,
    last_scan_id INTEGER NOT NULL,
    UNIQUE (target_id, url)
);

-- Issues: findings followed until fixed. fingerprint is stable across scans.
CREATE TABLE issues (
    id           INTEGER PRIMARY KEY,
    fingerprint  TEXT NOT NULL UNIQUE,
    target_id    INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    severity     TEXT NOT NULL,
    url          TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    message      TEXT NOT NULL,
    rule         TEXT NOT NULL,
    suspected    INTEGER NOT NULL DEFAULT 0,
    refs         TEXT NOT NULL DEFAULT '[]', -- JSON: every page showing it, latest scan
    status       TEXT NOT NULL DEFAULT 'open',
    owner        TEXT NOT NULL DEFAULT '',
    deadline     TEXT NOT NULL DEFAULT '',
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    last_scan_id INTEGER NOT NULL,
    seen_count   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX issues_target_status ON issues(target_id, status);
CREATE INDEX issues_category ON issues(category);

-- Every change of an issue's status: who, when, why.
CREATE TABLE issue_events (
    id          INTEGER PRIMARY KEY,
    issue_id    INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,  -- "scan" for the system, else a user name
    from_status TEXT NOT NULL,  -- '' when the issue was created
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    scan_id     INTEGER
);
CREATE INDEX issue_events_issue ON issue_events(issue_id, id);
