/**
 * The SQLite connection pool, usable without Spring.
 *
 * <p>Public API: {@link io.github.sqlitepool.pool.SqlitePool} (the {@code DataSource}),
 * {@link io.github.sqlitepool.pool.UnpooledSqliteDataSource}, the statistics records and
 * {@link io.github.sqlitepool.pool.PoolListener}. Everything else here is the package-private core:
 * the idle connections and their waiters, the pooled connection and its statement cache, the
 * lease and the wrappers that keep every JDBC object bound to it, the write lane and the leak
 * detector.
 *
 * <p>May import: the JDK, sqlite-jdbc, SLF4J, {@code pool.config} and {@code pool.sql}. No Spring.
 */
package io.github.sqlitepool.pool;
