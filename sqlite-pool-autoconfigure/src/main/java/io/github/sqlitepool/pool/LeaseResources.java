package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a lease has handed out and closes when it ends: its open statements, and the result sets
 * of its database metadata (sqlite-jdbc runs each metadata query on a statement of its own, which
 * keeps SQLite's read open until that result set closes).
 *
 * <p>Threads: the lease's owner adds and removes; {@link java.sql.Connection#abort} ends the
 * lease from another thread, and with it {@link #closeAll()} runs there. Every access therefore
 * holds this object's monitor (uncontended but for an abort). Once {@link #closeAll()} has run,
 * nothing more is taken: {@code add} answers false and the caller closes what it made.
 */
final class LeaseResources {

    private final List<LeasedStatement<?>> statements = new ArrayList<>(4);

    /** Usually never needed: created on the first metadata result set. */
    private List<LeasedResultSet> metadataResults;

    private boolean closed;

    /** @return false when the lease has ended: the caller closes the statement */
    synchronized boolean add(LeasedStatement<?> statement) {
        if (closed) {
            return false;
        }
        statements.add(statement);
        return true;
    }

    synchronized void remove(LeasedStatement<?> statement) {
        for (int i = statements.size() - 1; i >= 0; i--) {
            if (statements.get(i) == statement) {
                statements.remove(i);
                return;
            }
        }
    }

    /** @return false when the lease has ended: the caller closes the result set */
    synchronized boolean add(LeasedResultSet results) {
        if (closed) {
            return false;
        }
        if (metadataResults == null) {
            metadataResults = new ArrayList<>(2);
        }
        metadataResults.add(results);
        return true;
    }

    synchronized void remove(LeasedResultSet results) {
        if (metadataResults != null) {
            metadataResults.remove(results);
        }
    }

    synchronized boolean noStatements() {
        return statements.isEmpty();
    }

    /** Whether a statement's write result is still open ({@link LeasedStatement#writeResultPending()}). */
    synchronized boolean writeResultPending() {
        for (LeasedStatement<?> statement : statements) {
            if (statement.writeResultPending()) {
                return true;
            }
        }
        return false;
    }

    /** Aborts the statements whose write result is still open ({@link LeasedStatement#abortWriteResult()}). */
    synchronized void abortWriteResults() throws SQLException {
        for (LeasedStatement<?> statement : statements) {
            statement.abortWriteResult();
        }
    }

    /** Whether no statement and no metadata result set is open. */
    synchronized boolean nothingOpen() {
        return statements.isEmpty() && (metadataResults == null || metadataResults.isEmpty());
    }

    /**
     * Closes every statement and metadata result set still open, newest first, outside the
     * monitor (a driver call may block).
     *
     * @throws SQLException the last close that failed, after trying them all
     */
    void closeAll() throws SQLException {
        List<LeasedStatement<?>> openStatements;
        List<LeasedResultSet> openResults;
        synchronized (this) {
            closed = true;
            if (statements.isEmpty() && (metadataResults == null || metadataResults.isEmpty())) {
                return; // the usual case: the caller closed everything
            }
            openStatements = new ArrayList<>(statements);
            openResults = metadataResults == null ? List.of() : new ArrayList<>(metadataResults);
            statements.clear();
            metadataResults = null;
        }
        SQLException failure = null;
        for (int i = openResults.size() - 1; i >= 0; i--) {
            try {
                openResults.get(i).closeWithLease();
            } catch (SQLException e) {
                failure = e;
            }
        }
        for (int i = openStatements.size() - 1; i >= 0; i--) {
            try {
                openStatements.get(i).closeWithLease();
            } catch (SQLException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
