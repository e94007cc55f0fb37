package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The part of a {@link LeasedStatement} that decides whether its driver statement may go back to
 * the connection's {@link StatementCache} when it closes, and in what state: the settings changed
 * through it are noted and put back ({@link #restoreSettings}), and a change that cannot be put
 * back, or the driver statement handed out, makes it {@link #reusable not reusable}.
 *
 * <p>The query timeout is kept here too, and never passed to the driver, whose query timeout
 * changes the connection's busy timeout instead of bounding the statement
 * ({@link StatementInterrupts} bounds it).
 *
 * @param <S> the driver's statement type
 */
abstract class CacheableStatement<S extends Statement> implements Statement {

    /** The driver's statement; once closed, {@link LeasedStatement}'s stand-in on which every call fails. */
    S delegate;

    /** False once a setting changed that a cached statement would carry to its next user. */
    boolean reusable = true;

    /**
     * The driver's settings before this statement changed them, put back before it is cached;
     * null while unchanged. These two are what Spring's {@code JdbcTemplate} sets.
     */
    private Long maxRowsBefore;

    private Integer fetchSizeBefore;

    /** The query timeout in seconds, 0 for none. */
    private int queryTimeout;

    CacheableStatement(S delegate) {
        this.delegate = delegate;
    }

    /** Fails once the statement is closed. */
    public abstract void checkUsable() throws SQLException;

    /** The driver's statement was handed out ({@code unwrap}): it is never cached. */
    public void driverExposed() {
        reusable = false;
    }

    int queryTimeoutSeconds() {
        return queryTimeout;
    }

    /** Puts back the settings changed through this statement, so that a cached one starts as prepared. */
    void restoreSettings(S statement) throws SQLException {
        if (maxRowsBefore != null) {
            statement.setLargeMaxRows(maxRowsBefore);
        }
        if (fetchSizeBefore != null) {
            statement.setFetchSize(fetchSizeBefore);
        }
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        if (maxRowsBefore == null) {
            maxRowsBefore = delegate.getLargeMaxRows();
        }
        delegate.setLargeMaxRows(max);
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        if (maxRowsBefore == null) {
            maxRowsBefore = delegate.getLargeMaxRows();
        }
        delegate.setMaxRows(max);
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        if (fetchSizeBefore == null) {
            fetchSizeBefore = delegate.getFetchSize();
        }
        delegate.setFetchSize(rows);
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        reusable = false;
        delegate.closeOnCompletion();
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        reusable = false;
        delegate.setCursorName(name);
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        reusable = false;
        delegate.setEscapeProcessing(enable);
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        reusable = false;
        delegate.setFetchDirection(direction);
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        reusable = false;
        delegate.setMaxFieldSize(max);
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        reusable &= poolable; // false asks for the statement not to be kept (JDBC's own opt-out)
        delegate.setPoolable(poolable);
    }

    /** The deadline of each execution of this statement, from its start: see {@link StatementInterrupts}. */
    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkUsable();
        if (seconds < 0) {
            throw new SQLException("query timeout must be 0 (none) or more seconds, was " + seconds, "HY024");
        }
        queryTimeout = seconds;
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        checkUsable();
        return queryTimeout;
    }
}
