package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

/**
 * One group commit: the write transactions of several leases, run one after another inside one
 * SQLite transaction on the connection of the lease that opened it (its owner), each after the
 * first in a savepoint of its own, and committed by one {@code COMMIT} (docs/write-lane.md,
 * "Group commit"). The lane passes from member to member ({@link WriteLane#handToJoiner}), so at
 * most one thread uses the connection at a time; the last member commits it and publishes the
 * outcome, which every member that handed the lane on waits for.
 */
final class CommitGroup {

    /** The savepoint each member after the owner runs in. */
    static final String MEMBER_SAVEPOINT = "sqlite_pool_group_member";

    private final PooledConnection connection;

    private final long openedAtNanos;

    private final CountDownLatch outcome = new CountDownLatch(1);

    /** Transactions in the group so far, the owner's included; written by the lane's holder only. */
    private volatile int members = 1;

    /** Why SQLite rolled the group's transaction back before its end, if it did. */
    private volatile SQLException lostBy;

    /** Set before {@link #outcome} opens: the error every member gets, or null when it committed. */
    private SQLException failure;

    /** Set before {@link #outcome} opens: the connection the owner goes on with, when the last member kept the group's. */
    private PooledConnection ownerConnection;

    CommitGroup(PooledConnection connection, long openedAtNanos) {
        this.connection = connection;
        this.openedAtNanos = openedAtNanos;
    }

    /** The connection the members run on: the owner's. */
    PooledConnection connection() {
        return connection;
    }

    long openedAtNanos() {
        return openedAtNanos;
    }

    int members() {
        return members;
    }

    /** A member joined; called by the member, which holds the lane. */
    void joined() {
        members++;
    }

    /** SQLite rolled the group's transaction back by itself after {@code cause} (a member's error). */
    void lost(SQLException cause) {
        if (lostBy == null) {
            lostBy = cause;
        }
    }

    /** The error after which SQLite rolled the group's transaction back; null while it is open. */
    SQLException lostBy() {
        return lostBy;
    }

    /**
     * Publishes the group's end: {@code failure} null when the {@code COMMIT} succeeded; and, when
     * the last member keeps the group's connection, the one the owner takes instead.
     */
    void ended(SQLException failure, PooledConnection ownerConnection) {
        this.failure = failure;
        this.ownerConnection = ownerConnection;
        outcome.countDown();
    }

    /**
     * Waits until the group has ended, without giving up on an interrupt (the transaction is the
     * group's now; the flag stays set).
     *
     * @throws SQLException when the group did not commit: nothing of it was
     */
    void awaitCommitted() throws SQLException {
        awaitEnd();
        if (failure != null) {
            throw new SQLException("the group commit this transaction was part of failed, and nothing of the group "
                    + "was committed: " + failure.getMessage(), failure.getSQLState(), failure.getErrorCode(), failure);
        }
    }

    /** Waits until the group has ended; see {@link #awaitCommitted()}. */
    void awaitEnd() {
        boolean interrupted = false;
        while (true) {
            try {
                outcome.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** After the end: the connection the owner goes on with, or null when it keeps its own. */
    PooledConnection ownerConnection() {
        return ownerConnection;
    }
}
