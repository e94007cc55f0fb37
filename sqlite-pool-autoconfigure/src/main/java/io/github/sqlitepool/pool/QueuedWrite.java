package io.github.sqlitepool.pool;

import java.sql.SQLException;

/**
 * An auto-commit write waiting for the {@link WriteLane} that the holder of a commit group may run
 * itself, on the group's connection, instead of handing the lane to the write's thread
 * ({@link WriteBatch}): the write's statement, SQL, call and parameter values, and, once run, its
 * outcome. Its thread waits for the group's end and then returns that outcome as its own.
 *
 * <p>Whether it is still waiting, taken by a group or withdrawn changes only under the lane
 * queue's lock, as the lane's hand-overs do, so a waiter is either handed the lane or has its
 * write taken, never both. (A waiter whose write was taken may still find the lane free later and
 * take it by itself; it lets it go again, {@code WriteLane.keepTaken}.)
 */
final class QueuedWrite<T> {

    private enum State {
        WAITING, TAKEN, WITHDRAWN
    }

    final LeasedStatement<?> statement;

    final String sql;

    final SqlCall<T> call;

    /** The parameter values bound when it queued, copied on the caller's thread; null for a plain statement. */
    final Object[] boundValues;

    /**
     * The last row id the caller's connection would answer had the lease's earlier grouped writes run
     * there ({@link OwedCounters}): owed, not known, or the connection's own.
     */
    final CallersRowId callersRowId;

    /** The thread waiting for it: woken when its group ends. */
    final Thread thread = Thread.currentThread();

    private volatile State state = State.WAITING;

    /** The group that took it; set under the queue's lock with {@link State#TAKEN}. */
    private volatile CommitGroup group;

    /** Written by the group's holder before the group ends; read by the write's thread after. */
    private T result;

    private Throwable failure;

    /** SQLite's {@code changes()} on the group's connection right after the write failed there; -1 when not read. */
    private long changesAfterFailure = -1;

    QueuedWrite(LeasedStatement<?> statement, String sql, SqlCall<T> call, CallersRowId callersRowId) {
        this.statement = statement;
        this.sql = sql;
        this.call = call;
        this.boundValues = GroupedWrite.boundValues(statement);
        this.callersRowId = callersRowId;
    }

    /** Whether a group may still take it; read without the lock. */
    boolean waiting() {
        return state == State.WAITING;
    }

    /** Whether a group took it. */
    boolean taken() {
        return state == State.TAKEN;
    }

    /** After its {@link #outcome()}: whether the write itself succeeded (its group may still have failed). */
    boolean ranWithoutError() {
        return failure == null;
    }

    /** After its {@link #outcome()}: whether the driver reported SQLite's own error for the write. */
    boolean failedInSqlite() {
        return failure instanceof org.sqlite.SQLiteException;
    }

    /**
     * Under the queue's lock: {@code group} runs it; false when it was withdrawn, or its lease has
     * ended meanwhile (it is withdrawn then: the thread ending the lease withdraws it right after).
     */
    boolean take(CommitGroup taker) {
        if (state != State.WAITING) {
            return false;
        }
        if (statement.lease.isClosed()) {
            state = State.WITHDRAWN;
            return false;
        }
        group = taker;
        state = State.TAKEN;
        return true;
    }

    /** Under the queue's lock: no group may take it any more; false when one took it already. */
    boolean withdraw() {
        if (state == State.TAKEN) {
            return false;
        }
        state = State.WITHDRAWN;
        return true;
    }

    /** The group's holder ran it: {@code value} returned. */
    void ran(T value) {
        result = value;
    }

    /** The group's holder ran it: it threw {@code thrown}. */
    void failed(Throwable thrown) {
        failure = thrown;
    }

    /** The group's holder ran it on the group's connection: it threw {@code thrown}, and left {@code changes()} at {@code changes}. */
    void failed(Throwable thrown, long changes) {
        failure = thrown;
        changesAfterFailure = changes;
    }

    /** After its {@link #outcome()}, when SQLite failed it: the group's connection's {@code changes()} then, or -1. */
    long changesAfterFailure() {
        return changesAfterFailure;
    }

    /** Waits, however long an interrupt says otherwise, until the group that took it has ended. */
    void awaitEnd() {
        group.awaitEnd();
    }

    /**
     * On the write's thread, once taken: waits for the group's end, then returns what the write
     * returned, or throws what it threw, or, when it succeeded and the group did not commit, the
     * group's failure (nothing of the group was committed).
     */
    T outcome() throws SQLException {
        CommitGroup taker = group;
        taker.awaitEnd(); // what the holder wrote here is visible from now on
        if (failure == null) {
            taker.awaitCommitted();
            return result;
        }
        if (failure instanceof SQLException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        throw (Error) failure;
    }
}
