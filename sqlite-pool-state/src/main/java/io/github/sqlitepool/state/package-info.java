/**
 * The {@link io.github.sqlitepool.state.StateManager}: durable story/epic processing state on
 * Spring's {@code JdbcTemplate}, with optimistic versions, schema migrations (SQL resources
 * per dialect), online backups on SQLite, and a PostgreSQL dialect.
 *
 * <p>May import: {@code pool} (configuration and statistics only), {@code jdbc} (exception
 * translation), Spring JDBC and transactions,
 * Jackson.
 */
package io.github.sqlitepool.state;
