-- A city or province runs one database for many districts (issue 18): a
-- target belongs to a tenant (its district; '' in a district's own
-- database), and a user given a tenant sees that tenant's targets and
-- their issues only.
ALTER TABLE targets ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
CREATE INDEX targets_tenant ON targets (tenant);
-- A tenant's open counts (by status, category and severity) read this
-- index alone; it serves whatever (target_id, status) served.
DROP INDEX issues_target_status;
CREATE INDEX issues_target_status ON issues(target_id, status, category, severity);
