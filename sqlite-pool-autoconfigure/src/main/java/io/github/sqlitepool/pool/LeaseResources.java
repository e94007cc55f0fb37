package io.github.sqlitepool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a lease has handed out and closes when it ends: its open statements, and the result sets
 * of its database metadata (sqlite-jdbc runs each metadata query on a statement of its own, which
 * keeps SQLite's read open until that result set closes).
 *
 * <p>Threads: the lease's owner adds and removes; {@link java.sql.Connection#abort} ends the
 * lease from another thread, and with it {@link #closeAll()} runs there. Every access to the lists
 * therefore holds this object's monitor (uncontended but for an abort). Once {@link #closeAll()}
 * has run, nothing more is taken: {@code add} answers false and the caller closes what it made.
 * Most leases never make a statement: for them the lists stay unmade and the monitor untaken, and
 * {@link #closeAll()} is one atomic exchange of {@link #state}.
 */
final class LeaseResources {

    private static final int EMPTY = 0;

    private static final int USED = 1;

    private static final int ENDED = 2;

    private static final VarHandle STATE = FieldHandles.of(MethodHandles.lookup(), "state", int.class);

    /** {@link #EMPTY} until something is added ({@link #USED}), {@link #ENDED} from {@link #closeAll()} on. */
    private volatile int state;

    /** Created on the first statement: a lease that makes none allocates nothing here. */
    private List<LeasedStatement<?>> statements;

    /** Usually never needed: created on the first metadata result set. */
    private List<LeasedResultSet> metadataResults;

    /** @return false when the lease has ended: the caller closes the statement */
    boolean add(LeasedStatement<?> statement) {
        if (!markUsed()) {
            return false;
        }
        synchronized (this) {
            if (state == ENDED) {
                return false;
            }
            if (statements == null) {
                statements = new ArrayList<>(4);
            }
            statements.add(statement);
            return true;
        }
    }

    /** False when the lease has ended; true may still find it ended under the monitor. */
    private boolean markUsed() {
        return state != EMPTY || STATE.compareAndSet(this, EMPTY, USED); // ENDED is the only other way out of EMPTY
    }

    synchronized void remove(LeasedStatement<?> statement) {
        if (statements == null) {
            return;
        }
        for (int i = statements.size() - 1; i >= 0; i--) {
            if (statements.get(i) == statement) {
                statements.remove(i);
                return;
            }
        }
    }

    /** @return false when the lease has ended: the caller closes the result set */
    boolean add(LeasedResultSet results) {
        if (!markUsed()) {
            return false;
        }
        synchronized (this) {
            if (state == ENDED) {
                return false;
            }
            if (metadataResults == null) {
                metadataResults = new ArrayList<>(2);
            }
            metadataResults.add(results);
            return true;
        }
    }

    synchronized void remove(LeasedResultSet results) {
        if (metadataResults != null) {
            metadataResults.remove(results);
        }
    }

    boolean noStatements() {
        if (state == EMPTY) {
            return true;
        }
        synchronized (this) {
            return statements == null || statements.isEmpty();
        }
    }

    /** Whether a statement's write result is still open ({@link LeasedStatement#writeResultPending()}). */
    synchronized boolean writeResultPending() {
        if (statements == null) {
            return false;
        }
        for (LeasedStatement<?> statement : statements) {
            if (statement.writeResultPending()) {
                return true;
            }
        }
        return false;
    }

    /** Aborts the statements whose write result is still open ({@link LeasedStatement#abortWriteResult()}). */
    synchronized void abortWriteResults() throws SQLException {
        if (statements == null) {
            return;
        }
        for (LeasedStatement<?> statement : statements) {
            statement.abortWriteResult();
        }
    }

    /**
     * Whether {@code statement} is the only statement open, and no metadata result set is: nothing
     * else of the lease (a cursor of another statement) holds a snapshot on its connection.
     */
    boolean onlyOpen(LeasedStatement<?> statement) {
        synchronized (this) {
            return statements != null && statements.size() == 1 && statements.get(0) == statement
                    && (metadataResults == null || metadataResults.isEmpty());
        }
    }

    /** Whether no statement and no metadata result set is open. */
    boolean nothingOpen() {
        if (state == EMPTY) {
            return true;
        }
        synchronized (this) {
            return noStatements() && (metadataResults == null || metadataResults.isEmpty());
        }
    }

    /**
     * Closes every statement and metadata result set still open, newest first, outside the
     * monitor (a driver call may block).
     *
     * @throws SQLException the last close that failed, after trying them all
     */
    void closeAll() throws SQLException {
        if ((int) STATE.getAndSet(this, ENDED) != USED) {
            return; // nothing was ever added, or an earlier closeAll took it
        }
        List<LeasedStatement<?>> openStatements;
        List<LeasedResultSet> openResults;
        synchronized (this) {
            if (nothingOpen()) {
                return; // the usual case: the caller closed everything
            }
            openStatements = statements == null ? List.of() : new ArrayList<>(statements);
            openResults = metadataResults == null ? List.of() : new ArrayList<>(metadataResults);
            statements = null;
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
