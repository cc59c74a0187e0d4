-- Every weekly digest send, so a restart or a second run never sends the same
-- digest twice and failures stay visible.
CREATE TABLE digests (
    id         INTEGER PRIMARY KEY,
    unit       TEXT NOT NULL,
    week       TEXT NOT NULL,   -- 2026-W48
    address    TEXT NOT NULL,
    status     TEXT NOT NULL,   -- sent | failed (retried next run) | rejected (the address was refused)
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (unit, week)
);
