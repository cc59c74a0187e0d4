-- One scan per target (and kind: crawl, probe) at a time, across processes.
-- The scan holding a target's lease renews it while it runs (a heartbeat)
-- and deletes it when it ends. A lease not renewed past expires_at belonged
-- to a process that died: the next scan takes it over and marks the dead
-- scan, still 'running', as 'interrupted'.
CREATE TABLE scan_leases (
    target_id   INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    scan_id     INTEGER NOT NULL,   -- the scan holding it
    holder      TEXT NOT NULL,      -- its host and process id, for the log
    acquired_at TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (target_id, kind)
);
