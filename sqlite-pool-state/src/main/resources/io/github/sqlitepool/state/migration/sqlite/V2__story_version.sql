-- skip-if-column-exists: stories.version
-- Optimistic versioning. Later releases of the original tool already had this column.
ALTER TABLE stories ADD COLUMN version INTEGER DEFAULT 1;
