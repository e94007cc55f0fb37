package io.github.sqlitepool.it;

/**
 * What an application's {@code DataSource} is in a test: the starter's pool, or sqlite-jdbc's own
 * {@code SQLiteDataSource} (the yardstick of issue 14: what works there must work on the pool).
 */
public enum Database {

    /** The {@code SqlitePool} that sqlite-pool-starter configures from {@code spring.datasource.url}. */
    POOL,

    /** sqlite-jdbc's {@code SQLiteDataSource}, WAL and busy_timeout 5 s, no pool; the starter steps aside. */
    PLAIN_DRIVER
}
