-- The projected score (考评预估) of each target, recomputed after every
-- scan and kept per day (the day's last), so staff see when and why a score
-- dropped: detail holds the veto items and deductions as JSON.
CREATE TABLE scores (
    target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    day       TEXT NOT NULL,             -- YYYY-MM-DD in the office's zone
    score     REAL NOT NULL,
    health    INTEGER NOT NULL,
    failed    INTEGER NOT NULL DEFAULT 0, -- a veto item failed
    detail    TEXT NOT NULL DEFAULT '{}',
    at        TEXT NOT NULL,              -- when it was computed
    PRIMARY KEY (target_id, day)
);
CREATE INDEX scores_day ON scores(day);
