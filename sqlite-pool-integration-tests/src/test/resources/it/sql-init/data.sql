INSERT INTO book (id, title) VALUES (1, 'spring.sql.init on SQLite');
