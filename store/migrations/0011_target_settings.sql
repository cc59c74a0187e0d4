-- Targets are read from the database only: the configuration file is synced
-- into it at start. managed marks a target the configuration declares (the
-- UI can pause it, not edit it); settings holds what the register's columns
-- do not: a site's allowed hosts, column corrections and chrome selectors,
-- a Weibo account's API address and cookie (JSON).
ALTER TABLE targets ADD COLUMN managed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE targets ADD COLUMN settings TEXT NOT NULL DEFAULT '';
