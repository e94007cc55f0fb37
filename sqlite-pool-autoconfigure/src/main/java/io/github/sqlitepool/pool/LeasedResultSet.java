package io.github.sqlitepool.pool;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

import io.github.sqlitepool.jdbc.generator.GenerateDelegation;

/**
 * A result set handed out by a leased statement, or by the lease's database metadata. It answers
 * {@link #getStatement()} with that statement (never the driver's, which would lead past the lease
 * to the pooled connection), and it stops working for good once its statement is closed, executed
 * again, or put back in the connection's statement cache: sqlite-jdbc reuses one result set object
 * per statement, so a stale reference would otherwise read the rows of the statement's next user.
 * A metadata result set ends with its lease, which closes it and the driver's statement under it
 * ({@link #closeWithLease()}).
 *
 * <p>Every method not written here checks {@link #checkUsable()}, then delegates
 * ({@code GeneratedLeasedResultSet}).
 */
@GenerateDelegation(guard = "checkUsable()")
abstract class LeasedResultSet implements ResultSet, LeaseBound {

    /** The statement it came from; null for the results of database metadata. */
    private final LeasedStatement<?> statement;

    /** The lease whose database metadata made it; null for the results of a statement. */
    private final ConnectionLease metadataLease;

    final ResultSet delegate;

    private boolean closed;

    LeasedResultSet(LeasedStatement<?> statement, ResultSet delegate) {
        this.statement = statement;
        this.metadataLease = null;
        this.delegate = delegate;
    }

    LeasedResultSet(ConnectionLease metadataLease, ResultSet delegate) {
        this.statement = null;
        this.metadataLease = metadataLease;
        this.delegate = delegate;
    }

    /** Ends this result set for its holder without touching the driver's (its statement resets that). */
    void invalidate() {
        closed = true;
    }

    /**
     * Ends a metadata result set when its lease ends: sqlite-jdbc runs metadata queries on a
     * statement of its own that stays open, holding SQLite's read, until the result set closes.
     */
    void closeWithLease() throws SQLException {
        closed = true;
        Statement driverStatement = delegate.getStatement();
        try {
            delegate.close();
        } finally {
            if (driverStatement != null) {
                driverStatement.close();
            }
        }
    }

    @Override
    public void checkUsable() throws SQLException {
        if (closed) {
            throw new SQLException(statement != null
                    ? "result set is closed: its statement was closed or executed again"
                    : "result set is closed: its connection was closed", "24000");
        }
    }

    @Override
    public void close() throws SQLException {
        if (!closed) {
            closed = true;
            try {
                delegate.close();
            } finally {
                if (statement != null) {
                    statement.resultClosed(this);
                } else {
                    metadataLease.metadataResultsClosed(this);
                }
            }
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkUsable();
        return statement;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return LeaseBound.unwrap(this, delegate, this, iface);
    }

    @Override
    public void driverExposed() {
        if (statement != null) {
            statement.driverExposed();
        }
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return LeaseBound.isWrapperFor(this, delegate, iface);
    }

    @Override
    public String toString() {
        return "LeasedResultSet[" + delegate + "]";
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkUsable();
        return new GeneratedLeasedResultSetMetaData(this, delegate.getMetaData());
    }
}
