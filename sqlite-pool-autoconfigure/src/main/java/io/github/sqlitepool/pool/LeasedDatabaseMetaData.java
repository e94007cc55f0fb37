package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.github.sqlitepool.jdbc.generator.GenerateDelegation;

/**
 * The database metadata of a lease. sqlite-jdbc's own answers {@link #getConnection()} with the
 * pooled connection, which would let a caller run SQL past the lease (and its write lane), and it
 * runs its queries on that connection, which serves another lease once this one is closed. This
 * one answers the lease, works only while the lease is open, and hands out result sets whose
 * {@code getStatement()} is null, as JDBC allows for metadata results, and which the lease closes
 * when it ends.
 *
 * <p>Every method not written here checks the lease is open, then delegates; a result set it
 * returns goes through {@link #wrap(ResultSet)} ({@code GeneratedLeasedDatabaseMetaData}).
 */
@GenerateDelegation(guard = "checkUsable()")
abstract class LeasedDatabaseMetaData implements DatabaseMetaData {

    private final ConnectionLease lease;

    final DatabaseMetaData delegate;

    LeasedDatabaseMetaData(ConnectionLease lease, DatabaseMetaData delegate) {
        this.lease = lease;
        this.delegate = delegate;
    }

    final void checkUsable() throws SQLException {
        lease.checkOpen();
    }

    /** A metadata result set, which lives at most as long as the lease. */
    final ResultSet wrap(ResultSet driverResults) throws SQLException {
        return driverResults == null ? null : lease.metadataResults(driverResults);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        checkUsable();
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkUsable();
        return lease;
    }

    @Override
    public int getDriverMajorVersion() {
        return delegate.getDriverMajorVersion(); // the driver's version, known without a connection
    }

    @Override
    public int getDriverMinorVersion() {
        return delegate.getDriverMinorVersion(); // the driver's version, known without a connection
    }
}
