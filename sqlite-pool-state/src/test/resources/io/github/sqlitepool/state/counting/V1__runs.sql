-- Records each run, so that a test can tell a script applied twice.
CREATE TABLE IF NOT EXISTS migration_runs (script TEXT NOT NULL);

INSERT INTO migration_runs VALUES ('V1');
