package io.github.sqlitepool.pool;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.ClientInfoStatus;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;


/**
 * The connection a caller gets from {@link SqlitePool#getConnection()}: a lease on one
 * pooled connection, valid until {@link #close()} hands it back to its {@link LeaseOwner}.
 *
 * <p>The lease is where the pool meets the caller's work. Statement executions reach
 * {@link #execute}, and the transaction boundaries ({@link #setAutoCommit}, {@link #commit},
 * {@link #rollback()}, {@link #setReadOnly}) are implemented here, so the pool's write
 * discipline can be enforced without the caller's code knowing it.
 *
 * <p>Read-only mode is implemented with {@code PRAGMA query_only}: sqlite-jdbc can only set
 * read-only when a connection is opened, which a pool cannot do per lease.
 *
 * <p>When the lease holds the write lane (when the owner has one) is decided by its
 * {@link LeaseTransaction}, to which the transaction boundaries and every execution delegate.
 */
final class ConnectionLease implements Connection {

    private static final AtomicIntegerFieldUpdater<ConnectionLease> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(ConnectionLease.class, "closed");

    private final LeaseOwner pool;

    final PooledConnection entry;

    private final Connection delegate;

    private final List<LeasedStatement<?>> openStatements = new ArrayList<>(4);

    private final Thread owner = Thread.currentThread();

    /** When the lease was taken, or {@link #NOT_TIMED}: a clock read only when someone listens. */
    private final long leasedAtNanos;

    /** {@link #leasedAtNanos()} of a lease taken while no listener was registered. */
    static final long NOT_TIMED = Long.MIN_VALUE;

    private volatile int closed;

    private boolean isolationChanged;

    /** The transaction state and the lane; created with the lease. */
    private final LeaseTransaction transaction;

    ConnectionLease(LeaseOwner pool, PooledConnection entry, long leasedAtNanos) {
        this.pool = pool;
        this.entry = entry;
        this.leasedAtNanos = leasedAtNanos;
        this.delegate = entry.raw();
        this.transaction = new LeaseTransaction(pool, entry, () -> !openStatements.isEmpty());
    }

    /** When the lease was taken, in {@link System#nanoTime()} terms, or {@link #NOT_TIMED}. */
    long leasedAtNanos() {
        return leasedAtNanos;
    }

    /**
     * Runs one execution of {@code sql} on this lease; {@code sql} is null when the text is
     * not known (a batch of different statements).
     */
    <T> T execute(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        checkOpen();
        statement.endResults();
        T result;
        try {
            result = route(statement, sql, call);
        } catch (SQLException | RuntimeException e) {
            // the driver may have failed before resetting the statement's earlier result (an
            // INSERT ... RETURNING that still holds SQLite's write lock): reset it, so that the
            // lane kept for that result can go
            statement.resetAfterFailure(e);
            resultDone(statement);
            throw e;
        }
        statement.executed(result instanceof ResultSet || Boolean.TRUE.equals(result));
        return result;
    }

    private <T> T route(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        return transaction.route(statement, sql, call);
    }

    /** The statement's earlier result, if it kept the lane, is gone (closed or replaced). */
    private void resultDone(LeasedStatement<?> statement) {
        transaction.resultDone(statement);
    }

    void checkOpen() throws SQLException {
        if (closed != 0) {
            throw new SQLException("connection is closed", "08003");
        }
    }

    private void checkOpenForClientInfo() throws SQLClientInfoException {
        if (closed != 0) {
            throw new SQLClientInfoException("connection is closed", Map.<String, ClientInfoStatus>of());
        }
    }

    private <S extends LeasedStatement<?>> S track(S statement) {
        openStatements.add(statement);
        return statement;
    }

    void forget(LeasedStatement<?> statement) {
        resultDone(statement);
        for (int i = openStatements.size() - 1; i >= 0; i--) {
            if (openStatements.get(i) == statement) {
                openStatements.remove(i);
                return;
            }
        }
    }

    /**
     * Puts the connection back in the state a new lease expects: statements closed, an open
     * transaction rolled back, auto-commit on, read-only off, isolation and warnings cleared.
     *
     * @throws SQLException when the connection cannot be reset and must be replaced
     */
    void reset() throws SQLException {
        SQLException failure = null;
        for (int i = openStatements.size() - 1; i >= 0; i--) {
            try {
                openStatements.get(i).delegate.close();
            } catch (SQLException e) {
                failure = e;
            }
        }
        openStatements.clear();
        if (failure != null) {
            throw failure;
        }
        if (delegate.isClosed()) {
            throw new SQLException("pooled connection was closed underneath its lease");
        }
        transaction.reset();
        if (isolationChanged) {
            delegate.setTransactionIsolation(entry.defaultIsolation());
        }
        delegate.clearWarnings();
    }

    // --- statements -------------------------------------------------------------------------

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return track(new LeasedStatement<>(this, delegate.createStatement()));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        checkOpen();
        return track(new LeasedStatement<>(this, delegate.createStatement(resultSetType, resultSetConcurrency)));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        checkOpen();
        return track(new LeasedStatement<>(this,
                delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability)));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        StatementCache cache = entry.statements();
        if (cache.enabled()) {
            // a hit first: only cacheable text was ever put back, so a hit needs no look at the text
            PreparedStatement cached = cache.take(sql);
            if (cached != null) {
                return track(new LeasedPreparedStatement(this, cached, sql, cache));
            }
            if (StatementCache.cacheable(sql)) {
                cache.missed();
                return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql), sql, cache));
            }
        }
        return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql, autoGeneratedKeys), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql, columnIndexes), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql, columnNames), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this,
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this,
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw noStoredProcedures();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        throw noStoredProcedures();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        throw noStoredProcedures();
    }

    private SQLException noStoredProcedures() throws SQLException {
        checkOpen();
        return new SQLFeatureNotSupportedException("SQLite has no stored procedures: prepareCall is not supported");
    }

    // --- transaction boundaries --------------------------------------------------------------

    /** See {@link LeaseTransaction#setAutoCommit}: a transaction begins deferred and lane-free. */
    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        transaction.setAutoCommit(autoCommit);
    }

    /** Commits and lets the lane go; refused, with its cause, when SQLite already rolled the transaction back. */
    @Override
    public void commit() throws SQLException {
        checkOpen();
        transaction.commit();
    }

    /** Rolls back and lets the lane go; a transaction SQLite already rolled back by itself counts as rolled back. */
    @Override
    public void rollback() throws SQLException {
        checkOpen();
        transaction.rollback();
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        delegate.rollback(savepoint);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        transaction.setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return transaction.readOnly();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        delegate.setTransactionIsolation(level);
        isolationChanged = level != entry.defaultIsolation();
    }

    // --- life cycle ---------------------------------------------------------------------------

    /** Hands the connection back to the pool; a second call does nothing. */
    @Override
    public void close() throws SQLException {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            try {
                pool.release(this);
            } finally {
                dropWriteLane();
            }
        }
    }

    /** Ends the lease's claim on the lane, in whatever state it was left. */
    private void dropWriteLane() {
        transaction.end();
    }

    @Override
    public boolean isClosed() {
        return closed != 0;
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("isValid timeout must not be negative, was " + timeout);
        }
        return closed == 0 && delegate.isValid(timeout);
    }

    /** Closes the pooled connection itself (it will be replaced) and ends the lease. */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort needs an executor");
        }
        if (CLOSED.compareAndSet(this, 0, 1)) {
            try {
                entry.interrupt(); // abort is called from other threads: do not wait for a running statement
                delegate.close();
            } finally {
                try {
                    pool.release(this);
                } finally {
                    dropWriteLane();
                }
            }
        }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        checkOpen();
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        checkOpen();
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "ConnectionLease[" + pool.name() + ", owner=" + owner.getName() + (closed != 0 ? ", closed" : "") + "]";
    }

    // --- plain delegation ---------------------------------------------------------------------

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        delegate.clearWarnings();
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        checkOpen();
        return delegate.createArrayOf(a0, a1);
    }

    @Override
    public Blob createBlob() throws SQLException {
        checkOpen();
        return delegate.createBlob();
    }

    @Override
    public Clob createClob() throws SQLException {
        checkOpen();
        return delegate.createClob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        checkOpen();
        return delegate.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        checkOpen();
        return delegate.createSQLXML();
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        checkOpen();
        return delegate.createStruct(a0, a1);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return delegate.getAutoCommit();
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return delegate.getCatalog();
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        return delegate.getClientInfo();
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        checkOpen();
        return delegate.getClientInfo(a0);
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return delegate.getHoldability();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return new LeasedDatabaseMetaData(this, delegate.getMetaData());
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return delegate.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return delegate.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return delegate.getTransactionIsolation();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return delegate.getTypeMap();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return delegate.getWarnings();
    }

    @Override
    public String nativeSQL(String a0) throws SQLException {
        checkOpen();
        return delegate.nativeSQL(a0);
    }

    @Override
    public void releaseSavepoint(Savepoint a0) throws SQLException {
        checkOpen();
        delegate.releaseSavepoint(a0);
    }

    @Override
    public void setCatalog(String a0) throws SQLException {
        checkOpen();
        delegate.setCatalog(a0);
    }

    @Override
    public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
        checkOpenForClientInfo();
        delegate.setClientInfo(a0, a1);
    }

    @Override
    public void setClientInfo(Properties a0) throws SQLClientInfoException {
        checkOpenForClientInfo();
        delegate.setClientInfo(a0);
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        checkOpen();
        delegate.setHoldability(a0);
    }

    @Override
    public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
        checkOpen();
        delegate.setNetworkTimeout(a0, a1);
    }

    /** In auto-commit mode sqlite-jdbc opens the transaction with {@code SAVEPOINT}: see {@link LeaseTransaction#savepoint}. */
    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen();
        return transaction.savepoint(delegate::setSavepoint);
    }

    /** See {@link #setSavepoint()}. */
    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        return transaction.savepoint(() -> delegate.setSavepoint(name));
    }

    @Override
    public void setSchema(String a0) throws SQLException {
        checkOpen();
        delegate.setSchema(a0);
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
        checkOpen();
        delegate.setTypeMap(a0);
    }
}
