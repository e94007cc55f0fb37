package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A statement created through a {@link ConnectionLease}. Every execution goes through
 * {@link ConnectionLease#execute}, the one place where the pool sees the SQL that runs;
 * {@link #getConnection()} answers the lease, never the pooled connection behind it.
 *
 * @param <S> the driver's statement type
 */
class LeasedStatement<S extends Statement> implements Statement {

    final ConnectionLease lease;

    final S delegate;

    LeasedStatement(ConnectionLease lease, S delegate) {
        this.lease = lease;
        this.delegate = delegate;
    }

    /** The SQL a batch runs, when one statement text covers the whole batch; else null. */
    String batchSql() {
        return null;
    }

    @Override
    public void close() throws SQLException {
        try {
            delegate.close();
        } finally {
            lease.forget(this);
        }
    }

    @Override
    public Connection getConnection() {
        return lease;
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        delegate.addBatch(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return lease.execute(this, sql, () -> delegate.executeLargeUpdate(sql));
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return lease.execute(this, batchSql(), delegate::executeLargeBatch);
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return delegate.getLargeUpdateCount();
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        delegate.setLargeMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return delegate.getLargeMaxRows();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "LeasedStatement[" + delegate + "]";
    }

    @Override
    public void cancel() throws SQLException {
        delegate.cancel();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        delegate.closeOnCompletion();
    }

    @Override
    public boolean execute(String sql, int[] keys) throws SQLException {
        return lease.execute(this, sql, () -> delegate.execute(sql, keys));
    }

    @Override
    public boolean execute(String sql, String[] keys) throws SQLException {
        return lease.execute(this, sql, () -> delegate.execute(sql, keys));
    }

    @Override
    public boolean execute(String sql, int keys) throws SQLException {
        return lease.execute(this, sql, () -> delegate.execute(sql, keys));
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return lease.execute(this, sql, () -> delegate.execute(sql));
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return lease.execute(this, batchSql(), delegate::executeBatch);
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        return lease.execute(this, sql, () -> delegate.executeQuery(sql));
    }

    @Override
    public int executeUpdate(String sql, int[] keys) throws SQLException {
        return lease.execute(this, sql, () -> delegate.executeUpdate(sql, keys));
    }

    @Override
    public int executeUpdate(String sql, String[] keys) throws SQLException {
        return lease.execute(this, sql, () -> delegate.executeUpdate(sql, keys));
    }

    @Override
    public int executeUpdate(String sql, int keys) throws SQLException {
        return lease.execute(this, sql, () -> delegate.executeUpdate(sql, keys));
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return lease.execute(this, sql, () -> delegate.executeUpdate(sql));
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return delegate.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return delegate.getFetchSize();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return delegate.getGeneratedKeys();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return delegate.getMaxFieldSize();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return delegate.getMaxRows();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return delegate.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int a0) throws SQLException {
        return delegate.getMoreResults(a0);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return delegate.getQueryTimeout();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return delegate.getResultSet();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return delegate.getResultSetConcurrency();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return delegate.getResultSetHoldability();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return delegate.getResultSetType();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return delegate.getUpdateCount();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return delegate.isCloseOnCompletion();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return delegate.isClosed();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return delegate.isPoolable();
    }

    @Override
    public void setCursorName(String a0) throws SQLException {
        delegate.setCursorName(a0);
    }

    @Override
    public void setEscapeProcessing(boolean a0) throws SQLException {
        delegate.setEscapeProcessing(a0);
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        delegate.setFetchDirection(a0);
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        delegate.setFetchSize(a0);
    }

    @Override
    public void setMaxFieldSize(int a0) throws SQLException {
        delegate.setMaxFieldSize(a0);
    }

    @Override
    public void setMaxRows(int a0) throws SQLException {
        delegate.setMaxRows(a0);
    }

    @Override
    public void setPoolable(boolean a0) throws SQLException {
        delegate.setPoolable(a0);
    }

    @Override
    public void setQueryTimeout(int a0) throws SQLException {
        delegate.setQueryTimeout(a0);
    }
}
