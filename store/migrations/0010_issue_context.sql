-- What staff need beside an issue after the page changed (快照): the passage
-- as it read when the issue was found (set once, never updated), and the
-- page's title, column and publication date as the last scan read them.
ALTER TABLE issues ADD COLUMN snapshot TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN published TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN column_name TEXT NOT NULL DEFAULT '';
