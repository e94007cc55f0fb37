package io.github.sqlitepool.pool;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.github.sqlitepool.jdbc.generator.GenerateDelegation;
import io.github.sqlitepool.pool.sql.SqlClassifier;
import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * A statement created through a {@link ConnectionLease}. Every execution goes through
 * {@link ConnectionLease#execute}, the one place where the pool sees the SQL that runs;
 * {@link #getConnection()} answers the lease, never the pooled connection behind it, and its
 * result sets answer this statement.
 *
 * <p>Once closed, it no longer reaches the driver's statement at all: that one may have gone
 * back to the connection's {@link StatementCache} and be in another lease's hands. That is also
 * the guard of the methods not written here ({@code GeneratedLeasedStatement},
 * {@code GeneratedLeasedPreparedStatement}), which delegate straight to {@link #delegate}: once
 * closed, it is a stand-in on which every call fails.
 *
 * @param <S> the driver's statement type
 */
@GenerateDelegation(execution = "run")
abstract class LeasedStatement<S extends Statement> extends CacheableStatement<S> implements LeaseBound {

    /** Stands in for the driver's statement after close: every call fails, except close and isClosed. */
    private static final PreparedStatement CLOSED = (PreparedStatement) Proxy.newProxyInstance(
            LeasedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "close" -> null;
                case "isClosed" -> true;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "closed statement";
                default -> throw new SQLException("statement is closed", "HY010");
            });

    final ConnectionLease lease;

    /** The result set of the last execution, while it may still be in use. */
    private LeasedResultSet results;

    /** The generated keys last handed out, while they may still be in use. */
    private LeasedResultSet generatedKeys;

    /** The last execution left a result that nobody has closed: the driver's statement is not reset. */
    private boolean resultPending;

    /** The SQL of the last execution (null: a batch), classified only when asked whether it could write. */
    private String executedSql;

    /** What the last execution left to ask, when it ran in a commit group ({@link GroupedWrite}); else null. */
    private GroupedResults grouped;

    /** Why the last execution's keys, which the driver would answer, are refused ({@link StaleKeys}); else null. */
    private SQLException keysRefused;

    LeasedStatement(ConnectionLease lease, S delegate) {
        super(delegate);
        this.lease = lease;
    }

    /**
     * Ends the result sets handed out before a new execution (the driver reuses its result set
     * object). Until the execution returns, the driver's statement is in an unknown state: one
     * that failed may have stopped before resetting the previous result.
     */
    void endResults() {
        if (results != null) {
            results.invalidate();
            results = null;
        }
        if (generatedKeys != null) {
            generatedKeys.invalidate();
            generatedKeys = null;
        }
        resultPending = true;
    }

    /** A new execution starts: {@link #endResults()}, and what an earlier grouped one left is gone. */
    void startExecution() {
        grouped = null;
        keysRefused = null;
        endResults();
    }

    /** This execution's keys, which the driver would give, name a row id the lease must not answer: refused with {@code why}. */
    void refuseKeys(SQLException why) {
        keysRefused = why;
    }

    /** This execution ran in a commit group, not on the caller's connection: it left {@code results}. */
    void ranElsewhere(GroupedResults results) {
        grouped = results;
    }

    /** The driver's statement was handed out: never cached, and writes through it bypass what the lease owes. */
    @Override
    public void driverExposed() {
        super.driverExposed();
        lease.driverExposed();
    }

    /** What the last execution left, when it ran in a commit group; else null. */
    GroupedResults groupedResults() {
        return grouped;
    }

    /**
     * After a failed execution: resets the driver's statement, which may have failed before
     * resetting its previous result (sqlite-jdbc checks some things first). The statement stays
     * out of the cache all the same. A reset that fails is added to {@code failure}.
     */
    void resetAfterFailure(Exception failure) {
        try {
            resetDriverStatement();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void resetDriverStatement() throws SQLException {
        if (delegate instanceof CoreStatement driver && driver.pointer != null && !driver.pointer.isClosed()) {
            driver.pointer.safeRunInt(DB::reset);
        }
    }

    /** An execution of {@code sql} returned normally; {@code hasResult}: it left a result open in the driver. */
    void executed(boolean hasResult, String sql) {
        resultPending = hasResult;
        executedSql = sql;
    }

    /**
     * Whether a write statement's result is still open ({@code INSERT ... RETURNING}): SQLite keeps
     * the statement running, and refuses to commit its transaction until it is reset.
     */
    boolean writeResultPending() {
        return resultPending && kind(executedSql) != SqlKind.READ;
    }

    /**
     * Resets the driver's statement of a pending write result before its transaction part is
     * rolled back, as SQLite's {@code ROLLBACK} aborts a running statement: its open result set
     * ends.
     */
    void abortWriteResult() throws SQLException {
        if (!writeResultPending()) {
            return;
        }
        endResults();
        resultPending = false;
        resetDriverStatement();
    }

    /** Runs SQL text through the lease: every {@code execute...(String sql, ...)} comes here. */
    final <T> T run(String sql, SqlCall<T> call) throws SQLException {
        return lease.execute(this, sql, call);
    }

    /** Wraps the result of an execution, remembering it is open until closed. */
    final ResultSet wrap(ResultSet driverResults) {
        if (driverResults == null) {
            return null;
        }
        results = new GeneratedLeasedResultSet(this, driverResults);
        resultPending = true;
        return results;
    }

    /** Called by a result set of this statement when its holder closes it. */
    void resultClosed(LeasedResultSet closed) {
        if (closed == results) {
            results = null;
            resultPending = false;
        }
    }

    /** What {@code sql}, run by this statement, does: classified once per text (a prepared statement keeps it). */
    SqlKind kind(String sql) {
        return SqlClassifier.classify(sql);
    }

    /** The SQL a batch runs, when one statement text covers the whole batch; else null. */
    String batchSql() {
        return null;
    }

    /** What this statement's texts do to a transaction: see {@link StatementTexts}. */
    final StatementTexts texts = new StatementTexts();

    @Override
    public void addBatch(String sql) throws SQLException {
        delegate.addBatch(sql);
        texts.added(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        texts.cleared();
    }

    @Override
    public void close() throws SQLException {
        S statement = markClosed();
        if (statement == null) {
            return;
        }
        try {
            boolean kept = false;
            try {
                if (results != null) {
                    results.close(); // resets the driver's statement, so a cached one holds no snapshot
                }
                boolean reset = !resultPending; // pending: rows nobody fetched, or a failed execution
                endResults();
                kept = reset && putBack(statement);
            } finally {
                if (!kept) {
                    statement.close();
                }
            }
        } finally {
            lease.forget(this);
        }
    }

    /**
     * Ends this statement when its lease ends without it having been closed: nothing is cached,
     * the driver's statement is closed, and this one fails from now on like a closed one.
     */
    void closeWithLease() throws SQLException {
        S statement = markClosed();
        if (statement == null) {
            return;
        }
        endResults();
        statement.close();
    }

    /** From now on this statement fails like a closed one; the driver's statement, or null when closed already. */
    private S markClosed() {
        S statement = delegate;
        if (statement == CLOSED) {
            return null;
        }
        @SuppressWarnings("unchecked")
        S closed = (S) CLOSED;
        delegate = closed;
        return statement;
    }

    /**
     * Offers the driver's statement, reset (no result open), to the connection's cache instead
     * of closing it.
     *
     * @return false when it was not kept: the caller closes it
     */
    boolean putBack(S statement) throws SQLException {
        return false;
    }

    @Override
    public Connection getConnection() {
        return lease;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return lease.execute(this, batchSql(), texts.thenCleared(() -> delegate.executeLargeBatch()));
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return LeaseBound.unwrap(this, delegate, this, iface);
    }

    @Override
    public void checkUsable() throws SQLException {
        if (delegate == CLOSED) {
            throw new SQLException("statement is closed", "HY010");
        }
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return LeaseBound.isWrapperFor(this, delegate, iface);
    }

    @Override
    public String toString() {
        return "LeasedStatement[" + delegate + "]";
    }

    /** Interrupts this lease's running execution, if any: never another lease's statement. */
    @Override
    public void cancel() throws SQLException {
        checkUsable();
        lease.cancelExecution();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return lease.execute(this, batchSql(), texts.thenCleared(() -> delegate.executeBatch()));
    }

    @Override
    public int getUpdateCount() throws SQLException {
        GroupedResults ranElsewhere = grouped;
        if (ranElsewhere == null) {
            return delegate.getUpdateCount();
        }
        checkUsable();
        return ranElsewhere.updateCount();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        GroupedResults ranElsewhere = grouped;
        if (ranElsewhere == null) {
            return delegate.getLargeUpdateCount();
        }
        checkUsable();
        return ranElsewhere.updateCount();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        GroupedResults ranElsewhere = grouped;
        if (ranElsewhere != null && ranElsewhere.answersKeys()) {
            checkUsable();
            return ranElsewhere.generatedKeys(delegate.getConnection()); // a copy: it holds nothing open
        }
        if (keysRefused != null) {
            checkUsable();
            throw new SQLException(keysRefused.getMessage(), keysRefused.getSQLState(), keysRefused);
        }
        ResultSet keys = delegate.getGeneratedKeys();
        if (keys == null) {
            return null;
        }
        if (generatedKeys != null) {
            generatedKeys.invalidate();
        }
        generatedKeys = new GeneratedLeasedResultSet(this, keys);
        return generatedKeys;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        moreResults();
        return delegate.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        moreResults();
        return delegate.getMoreResults(current);
    }

    /** Before the driver moves on: this statement's results end; a grouped write's count with them, as the driver's. */
    private void moreResults() {
        reusable = false;
        if (grouped != null) {
            grouped = GroupedResults.NO_MORE;
        }
        endResults();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        if (grouped != null) {
            checkUsable();
            resultPending = false;
            return null; // a grouped write returns no rows
        }
        ResultSet driverResults = delegate.getResultSet();
        if (driverResults == null) {
            resultPending = false;
            return null;
        }
        return wrap(driverResults);
    }
}
