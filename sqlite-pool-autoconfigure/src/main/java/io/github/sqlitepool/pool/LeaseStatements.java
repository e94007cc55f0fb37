package io.github.sqlitepool.pool;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The statements and metadata result sets a {@link ConnectionLease} hands out: wrapped, tracked in
 * its {@link LeaseResources} until closed, and prepared statements taken from (and, once closed,
 * given back to) the statement cache of the connection the lease runs on. Static, so that a
 * lease costs no more objects for it.
 */
final class LeaseStatements {

    private LeaseStatements() {
    }

    /** The lease's wrapper of {@code driver}'s statement. */
    static Statement wrap(ConnectionLease lease, LeaseResources resources, Statement driver) throws SQLException {
        return track(lease, resources, new GeneratedLeasedStatement<>(lease, driver));
    }

    /** The lease's wrapper of {@code driver}'s prepared statement of {@code sql}, not cached. */
    static PreparedStatement wrap(ConnectionLease lease, LeaseResources resources, PreparedStatement driver,
            String sql) throws SQLException {
        return track(lease, resources, new GeneratedLeasedPreparedStatement(lease, driver, sql));
    }

    /** Prepares {@code sql} on the lease's connection, through its statement cache when it is on. */
    static PreparedStatement prepare(ConnectionLease lease, LeaseResources resources, String sql)
            throws SQLException {
        StatementCache cache = lease.connection().statements();
        if (cache.enabled()) {
            // a hit first: only cacheable text was ever put back, so a hit needs no look at the text
            PreparedStatement cached = cache.take(sql);
            if (cached != null) {
                return track(lease, resources, new GeneratedLeasedPreparedStatement(lease, cached, sql, cache));
            }
            if (StatementCache.cacheable(sql)) {
                cache.missed();
                return track(lease, resources,
                        new GeneratedLeasedPreparedStatement(lease, lease.delegate.prepareStatement(sql), sql, cache));
            }
        }
        return wrap(lease, resources, lease.delegate.prepareStatement(sql), sql);
    }

    /** A result set of the lease's database metadata, closed when the lease ends. */
    static LeasedResultSet metadataResults(ConnectionLease lease, LeaseResources resources, ResultSet driverResults)
            throws SQLException {
        LeasedResultSet results = new GeneratedLeasedResultSet(lease, driverResults);
        if (!resources.add(results)) {
            results.closeWithLease(); // aborted from another thread meanwhile
            lease.checkOpen();
        }
        return results;
    }

    private static <S extends LeasedStatement<?>> S track(ConnectionLease lease, LeaseResources resources,
            S statement) throws SQLException {
        if (!resources.add(statement)) {
            statement.closeWithLease(); // aborted from another thread meanwhile
            lease.checkOpen();
        }
        return statement;
    }
}
