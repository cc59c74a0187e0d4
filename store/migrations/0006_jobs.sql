-- Every run of a scheduled job: staff see when the nightly scan ran and why
-- it failed.
CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_name ON job_runs(name, id);
