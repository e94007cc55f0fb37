/**
 * Spring JDBC support for SQLite that is not auto-configuration: {@link
 * io.github.sqlitepool.jdbc.SqliteExceptionTranslator}, which maps SQLite's result codes to Spring's
 * {@code DataAccessException} hierarchy, for any {@code JdbcTemplate} or transaction manager.
 *
 * <p>May import: sqlite-jdbc, Spring JDBC. No Spring Boot.
 */
package io.github.sqlitepool.jdbc;
