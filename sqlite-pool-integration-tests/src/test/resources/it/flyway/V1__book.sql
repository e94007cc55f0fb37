CREATE TABLE book (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
INSERT INTO book (id, title) VALUES (1, 'Flyway on SQLite');
