-- The original tool's table, unchanged, so that databases it wrote open as they are.
CREATE TABLE IF NOT EXISTS stories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    epic_path TEXT NOT NULL,
    story_path TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    iteration INTEGER DEFAULT 0,
    qa_result TEXT,
    error_message TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    phase TEXT
);

CREATE INDEX IF NOT EXISTS idx_stories_story_path ON stories (story_path);

CREATE INDEX IF NOT EXISTS idx_stories_status ON stories (status);
