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
 */
final class ConnectionLease implements Connection {

    private static final AtomicIntegerFieldUpdater<ConnectionLease> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(ConnectionLease.class, "closed");

    private final LeaseOwner pool;

    final PooledConnection entry;

    private final Connection delegate;

    private final List<LeasedStatement<?>> openStatements = new ArrayList<>(4);

    private final Thread owner = Thread.currentThread();

    private final long leasedAtNanos = System.nanoTime();

    private volatile int closed;

    private boolean readOnly;

    private boolean isolationChanged;

    ConnectionLease(LeaseOwner pool, PooledConnection entry) {
        this.pool = pool;
        this.entry = entry;
        this.delegate = entry.raw();
    }

    /** The thread that took the lease. */
    Thread owner() {
        return owner;
    }

    /** When the lease was taken, in {@link System#nanoTime()} terms. */
    long leasedAtNanos() {
        return leasedAtNanos;
    }

    /**
     * Runs one execution of {@code sql} on this lease; {@code sql} is null when the text is
     * not known (a batch of different statements).
     */
    <T> T execute(String sql, SqlCall<T> call) throws SQLException {
        checkOpen();
        return call.call();
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
        if (!delegate.getAutoCommit()) {
            delegate.rollback();
            delegate.setAutoCommit(true);
        } else {
            rollbackTransactionBegunWithSql();
        }
        if (readOnly) {
            applyQueryOnly(false);
        }
        if (isolationChanged) {
            delegate.setTransactionIsolation(entry.defaultIsolation());
        }
        delegate.clearWarnings();
    }

    /**
     * Rolls back a transaction the caller opened with SQL ({@code BEGIN ...}) while the driver
     * was in auto-commit mode: sqlite-jdbc does not see it, so {@link #getAutoCommit()} stays
     * true while the connection holds the transaction (and, after a write, the write lock).
     * sqlite-jdbc does not expose {@code sqlite3_get_autocommit}, so the test is a {@code BEGIN}:
     * it fails only inside a transaction. Costs two statements (a few microseconds) per return.
     */
    private void rollbackTransactionBegunWithSql() throws SQLException {
        try (Statement statement = delegate.createStatement()) {
            SQLException beginRefused = null;
            try {
                statement.execute("BEGIN");
            } catch (SQLException e) {
                beginRefused = e; // the expected refusal inside a transaction: roll that one back
            }
            try {
                statement.execute("ROLLBACK");
            } catch (SQLException e) {
                if (beginRefused != null) {
                    e.addSuppressed(beginRefused);
                }
                throw e;
            }
        }
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

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        delegate.setAutoCommit(autoCommit);
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        delegate.commit();
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        delegate.rollback();
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        delegate.rollback(savepoint);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        if (readOnly == this.readOnly) {
            return;
        }
        if (!delegate.getAutoCommit()) {
            throw new SQLException("read-only cannot change inside a transaction; set it before setAutoCommit(false)");
        }
        applyQueryOnly(readOnly);
        this.readOnly = readOnly;
    }

    private void applyQueryOnly(boolean on) throws SQLException {
        try (Statement statement = delegate.createStatement()) {
            statement.execute(on ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0");
        }
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
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
            pool.release(this);
        }
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
                pool.release(this);
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
        return delegate.getMetaData();
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

    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen();
        return delegate.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String a0) throws SQLException {
        checkOpen();
        return delegate.setSavepoint(a0);
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
