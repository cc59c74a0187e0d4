-- New-media accounts are targets too: where their posts are read, and who
-- answers for them.
ALTER TABLE targets ADD COLUMN platform TEXT NOT NULL DEFAULT '';    -- 微信公众号, 微博, 抖音 …
ALTER TABLE targets ADD COLUMN account_id TEXT NOT NULL DEFAULT '';  -- the platform's id of the account
ALTER TABLE targets ADD COLUMN source_kind TEXT NOT NULL DEFAULT ''; -- feed | wechat | weibo | html
ALTER TABLE targets ADD COLUMN source TEXT NOT NULL DEFAULT '';      -- feed URL, list URL, weibo uid, or article URLs (one a line)
ALTER TABLE targets ADD COLUMN contact TEXT NOT NULL DEFAULT '';
