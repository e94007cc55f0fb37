/**
 * What a pool is configured with, validated in one place: {@link io.github.sqlitepool.pool.config.SqlitePoolConfig},
 * the typed PRAGMA settings, the {@code jdbc:sqlite:} URL, and the factory that opens and
 * configures one sqlite-jdbc connection.
 *
 * <p>May import: the JDK, sqlite-jdbc, SLF4J. Nothing else of this project.
 */
package io.github.sqlitepool.pool.config;
