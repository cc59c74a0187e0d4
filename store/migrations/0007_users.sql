-- Staff UI: people, their sessions, and what the issue list filters and sorts on.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'staff', -- admin | staff | owner
    unit          TEXT NOT NULL DEFAULT '',      -- owner: the owning unit whose issues the user sees
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    last_login    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,               -- sha256 of the cookie's token; the token itself is never stored
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Counts by status, category and severity read this index alone.
CREATE INDEX issues_status ON issues(status, category, severity);
-- The list's default order (store.severityRank, then category, page, id).
CREATE INDEX issues_rank ON issues(CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, category, url, id);
CREATE INDEX issues_first_seen ON issues(first_seen);
CREATE INDEX issues_owner ON issues(owner);
CREATE INDEX issues_last_seen ON issues(last_seen);
CREATE INDEX issues_deadline ON issues(deadline);

-- 1 once staff assigned the issue to an owner: scans no longer move it with the register.
ALTER TABLE issues ADD COLUMN owner_set INTEGER NOT NULL DEFAULT 0;
UPDATE issues SET owner_set = 1 WHERE status = 'assigned';
