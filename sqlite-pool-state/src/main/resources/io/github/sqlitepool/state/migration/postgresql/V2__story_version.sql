-- Optimistic versioning; in step with the SQLite V2.
ALTER TABLE stories ADD COLUMN IF NOT EXISTS version BIGINT DEFAULT 1;
