package io.github.sqlitepool.autoconfigure.metrics;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.SqlitePool;

import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.metadata.AbstractDataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;

/**
 * What Spring Boot's {@code db} health check and {@code jdbc.connections.*} metrics need
 * to know about a {@link SqlitePool}. The pool has a fixed size, so min equals max.
 */
public final class SqlitePoolDataSourcePoolMetadata extends AbstractDataSourcePoolMetadata<SqlitePool> {

    /** Metadata read live from {@code pool}. */
    public SqlitePoolDataSourcePoolMetadata(SqlitePool pool) {
        super(pool);
    }

    /**
     * Metadata for every {@link SqlitePool}, also behind a wrapping data source; null for
     * other data sources, so that Spring Boot asks its other providers.
     */
    public static DataSourcePoolMetadataProvider provider() {
        return SqlitePoolDataSourcePoolMetadata::of;
    }

    private static DataSourcePoolMetadata of(DataSource dataSource) {
        SqlitePool pool = DataSourceUnwrapper.unwrap(dataSource, SqlitePool.class);
        return pool == null ? null : new SqlitePoolDataSourcePoolMetadata(pool);
    }

    @Override
    public Integer getActive() {
        return getDataSource().stats().active();
    }

    @Override
    public Integer getIdle() {
        return getDataSource().stats().idle();
    }

    @Override
    public Integer getMax() {
        return getDataSource().config().maxConnections();
    }

    @Override
    public Integer getMin() {
        return getDataSource().config().maxConnections();
    }

    @Override
    public String getValidationQuery() {
        return "SELECT 1";
    }

    /** Leases are handed out, and returned, in auto-commit mode. */
    @Override
    public Boolean getDefaultAutoCommit() {
        return Boolean.TRUE;
    }
}
