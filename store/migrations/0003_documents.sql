-- Policy documents as last seen, with their disclosure metadata (reports
-- count them: documents published, interpretations, expired ones).
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    target_id    INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    index_no     TEXT NOT NULL DEFAULT '',
    issuer       TEXT NOT NULL DEFAULT '',
    written      TEXT NOT NULL DEFAULT '',
    published    TEXT NOT NULL DEFAULT '',
    number       TEXT NOT NULL DEFAULT '',
    validity     TEXT NOT NULL DEFAULT '',
    doc_type     TEXT NOT NULL DEFAULT '',
    last_scan_id INTEGER NOT NULL,
    UNIQUE (target_id, url)
);
