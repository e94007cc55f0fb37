ALTER TABLE stories ADD COLUMN extra TEXT;
INSERT INTO no_such_table VALUES (1);
