INSERT INTO migration_runs VALUES ('V2');
