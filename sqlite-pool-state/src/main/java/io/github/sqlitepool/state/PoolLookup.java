package io.github.sqlitepool.state;

import java.sql.SQLException;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.UnpooledSqliteDataSource;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;

/** Finds this project's SQLite data sources behind a {@code DataSource}, when they are there. */
final class PoolLookup {

    private PoolLookup() {
    }

    /** The pool behind {@code dataSource}, or null when it is another kind of data source. */
    static SqlitePool pool(DataSource dataSource) {
        return unwrap(dataSource, SqlitePool.class);
    }

    /** The configuration of the pool or unpooled SQLite data source behind it, or null. */
    static SqlitePoolConfig config(DataSource dataSource) {
        SqlitePool pool = pool(dataSource);
        if (pool != null) {
            return pool.config();
        }
        UnpooledSqliteDataSource unpooled = unwrap(dataSource, UnpooledSqliteDataSource.class);
        return unpooled == null ? null : unpooled.config();
    }

    private static <T> T unwrap(DataSource dataSource, Class<T> type) {
        try {
            return dataSource.isWrapperFor(type) ? dataSource.unwrap(type) : null;
        }
        catch (SQLException ex) {
            // A wrapper that cannot say what it wraps is, for our purposes, not one of ours.
            return null;
        }
    }
}
