-- The sample's own table, managed by Flyway next to the StateManager's `stories` table.
-- One row per applied status change made through the REST API (an audit trail).
CREATE TABLE status_changes (
    id          INTEGER PRIMARY KEY,
    story_path  TEXT    NOT NULL,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    note        TEXT,
    changed_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);

CREATE INDEX idx_status_changes_story ON status_changes (story_path, id);
