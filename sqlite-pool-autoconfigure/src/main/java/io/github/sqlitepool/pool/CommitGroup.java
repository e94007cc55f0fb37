package io.github.sqlitepool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group commit: the write transactions of several leases, run one after another inside one
 * SQLite transaction on the connection of the lease that opened it (its owner), each after the
 * first in a savepoint of its own, and committed by one {@code COMMIT} (docs/write-lane.md,
 * "Group commit"). The lane passes from member to member ({@link LaneJoiners#handTo}), so at
 * most one thread uses the connection at a time; the last member commits it and publishes the
 * outcome, which every member that handed the lane on waits for. Auto-commit writes waiting for
 * the lane are never handed it: a holder runs them itself before it passes the lane on or commits
 * ({@link WriteBatch}), and their threads only wait for the outcome.
 *
 * <p>A member handed the lane moves onto the group's connection only when its transaction first
 * uses its connection; until then it is pending, and its own thread asking for the lane through
 * another connection (a {@code REQUIRES_NEW} transaction at the outer one's start) evicts it:
 * the group commits without it, and it goes on on its own connection ({@link #evict}).
 */
final class CommitGroup {

    private static final Logger log = LoggerFactory.getLogger(CommitGroup.class);

    /** The savepoint each member after the owner runs in. */
    static final String MEMBER_SAVEPOINT = "sqlite_pool_group_member";

    /** Opens a member's savepoint on a group's {@code connection}. */
    static void openMemberSavepoint(Connection connection) throws SQLException {
        SqliteTransactionControl.exec(connection, "SAVEPOINT " + MEMBER_SAVEPOINT);
    }

    /** Ends a member's savepoint on a group's {@code connection}: {@code keep} releases its work into the group, else it is undone. */
    static void endMemberSavepoint(Connection connection, boolean keep) throws SQLException {
        SqliteTransactionControl.exec(connection, keep ? "RELEASE " + MEMBER_SAVEPOINT
                : "ROLLBACK TO " + MEMBER_SAVEPOINT + "; RELEASE " + MEMBER_SAVEPOINT);
    }

    /**
     * Rolls back to a member's savepoint on a group's {@code connection} after {@code cause}
     * failed its release: true when its part left the group; else the failure is added to
     * {@code cause}, and the group cannot stand.
     */
    static boolean undoMemberSavepoint(Connection connection, SQLException cause) {
        try {
            endMemberSavepoint(connection, false);
            return true;
        } catch (SQLException e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    private final GroupCommit groupCommit;

    private final PooledConnection connection;

    /** The token of the member handed the lane that has not moved onto the connection yet; {@link #EVICTED} after an eviction. */
    private final AtomicReference<Object> pending = new AtomicReference<>();

    private static final Object EVICTED = new Object();

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

    CommitGroup(GroupCommit groupCommit, PooledConnection connection, long openedAtNanos) {
        this.groupCommit = groupCommit;
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

    /** When the pending member was handed the lane, in {@link System#nanoTime()} terms. */
    private volatile long pendingSinceNanos;

    /** When the pending member's thread returned from its wait for the lane; {@link LaneClaim#NOT_STARTED} before. */
    private volatile long pendingRunsSinceNanos = LaneClaim.NOT_STARTED;

    /** The member running on the connection now, once it entered and until its part ends; null otherwise. */
    private volatile GroupMembership running;

    private static final VarHandle GIVEN_UP = FieldHandles.of(MethodHandles.lookup(), "givenUp", GroupMembership.class);

    /** The member whose deadlock the pool cannot break, or could not look for: looked at no more, logged once. */
    private volatile GroupMembership givenUp;

    /**
     * The auto-commit writes the group's holders took and ran ({@link WriteBatch}), whose threads
     * are woken at its end; written by the lane's holder only, null until one is taken.
     */
    private List<QueuedWrite<?>> taken;

    /** The holder took {@code write}, a waiting auto-commit write, to run in the group ({@link WriteBatch}). */
    void took(QueuedWrite<?> write) {
        if (taken == null) {
            taken = new ArrayList<>();
        }
        taken.add(write);
        members++;
    }

    /** The lane was handed to {@code member}: it is pending until it {@link #enter enters}. */
    void handedTo(Object member) {
        members++;
        pendingRunsSinceNanos = LaneClaim.NOT_STARTED;
        pendingSinceNanos = System.nanoTime();
        pending.set(member);
    }

    /** The pending member's thread returned from its wait for the lane, at {@code nanos}. */
    void pendingRuns(long nanos) {
        pendingRunsSinceNanos = nanos == LaneClaim.NOT_STARTED ? nanos + 1 : nanos;
    }

    /**
     * When the pending member handed the lane at {@code handedNanos} returned from its wait;
     * {@link LaneClaim#NOT_STARTED} before, and for a start from before that hand-over, which is the
     * previous member's (a waiter may read a new hold before the group has heard of its hand-over).
     */
    long pendingRunsSince(long handedNanos) {
        long started = pendingRunsSinceNanos;
        return started == LaneClaim.NOT_STARTED || started - handedNanos < 0 ? LaneClaim.NOT_STARTED : started;
    }

    /** The member handed the lane that has not entered yet, if any; null otherwise. */
    Object pendingMember() {
        Object member = pending.get();
        return member == EVICTED ? null : member;
    }

    /**
     * When the pending member's bounds count from: its thread's return from its wait for the lane,
     * or its hand-over while that thread has not run yet.
     */
    long pendingBoundsFromNanos() {
        long handed = pendingSinceNanos;
        long started = pendingRunsSince(handed);
        return started == LaneClaim.NOT_STARTED ? handed : started;
    }

    /** The pending {@code member} moves onto the connection; false when it was evicted. */
    boolean enter(Object member) {
        return pending.compareAndSet(member, null);
    }

    /** {@code member} entered and runs on the connection; null once its part ended. */
    void running(GroupMembership member) {
        running = member;
    }

    /** The member that entered and runs on the connection now; null when none does. */
    GroupMembership runningMember() {
        return running;
    }

    /** Gives up looking for {@code member}'s deadlock; true the first time only, for one log. */
    boolean giveUpOn(GroupMembership member) {
        GroupMembership before = givenUp;
        return before != member && GIVEN_UP.compareAndSet(this, before, member);
    }

    /** Whether the pool gave up looking for {@code member}'s deadlock ({@link #giveUpOn}). */
    boolean givenUpOn(GroupMembership member) {
        return givenUp == member;
    }

    /** Whether the pending member was evicted before it entered. */
    boolean evicted() {
        return pending.get() == EVICTED;
    }

    /**
     * Called by the pending {@code member}'s own thread asking for the lane through another token:
     * commits the group without the member, and ends it. The lane then goes to the asking token.
     *
     * @return false when {@code member} is not pending (it entered: its thread cannot have the lane twice)
     */
    boolean evict(Object member) {
        if (!pending.compareAndSet(member, EVICTED)) {
            return false;
        }
        members--;
        end(commit(), null);
        return true;
    }

    /**
     * Commits the group's transaction on its connection; when SQLite already rolled it back
     * ({@link #lostBy()}), or the {@code COMMIT} fails, the connection is put back in the
     * transaction sqlite-jdbc believes open (its owner's next one).
     *
     * @return null when committed, else the error every member gets
     */
    SQLException commit() {
        Connection raw = connection.raw();
        SQLException failure = lostBy;
        if (failure == null) {
            try {
                long start = System.nanoTime();
                SQLException beginFailure = SqliteTransactionControl.commitThenBegin(raw); // the owner's next transaction
                groupCommit.committed(System.nanoTime() - start);
                if (beginFailure != null) {
                    beginAgainOrClose(raw, beginFailure); // committed: only the next transaction did not begin
                }
                return null;
            } catch (SQLException | RuntimeException e) {
                failure = e instanceof SQLException sql ? sql : new SQLException("the group's COMMIT failed: " + e, e);
                groupCommit.commitFailed(failure);
                try {
                    SqliteTransactionControl.rollback(raw);
                } catch (SQLException rollbackFailure) {
                    failure.addSuppressed(rollbackFailure);
                }
            }
        }
        try {
            SqliteTransactionControl.beginAsTheDriverWould(raw);
        } catch (SQLException beginFailure) {
            failure.addSuppressed(beginFailure);
        }
        return failure;
    }

    /**
     * After the group committed, the {@code BEGIN} of the owner's next transaction failed: it is
     * tried once more, and when that fails too the connection is closed, so that the owner's next
     * statements fail instead of each committing on its own outside the transaction it believes
     * open. A connection closed already (an abort) is left as it is.
     */
    private static void beginAgainOrClose(Connection raw, SQLException beginFailure) {
        try {
            if (raw.isClosed()) {
                return;
            }
            SqliteTransactionControl.beginAsTheDriverWould(raw);
        } catch (SQLException | RuntimeException again) {
            log.warn("After a group commit, the next transaction on its connection could not begin ({}); the "
                    + "connection is closed and will be replaced", beginFailure.toString());
            try {
                raw.close();
            } catch (SQLException | RuntimeException closeFailure) {
                log.debug("Closing it failed too: {}", closeFailure.toString());
            }
        }
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
    void end(SQLException failure, PooledConnection ownerConnection) {
        this.failure = failure;
        this.ownerConnection = ownerConnection;
        outcome.countDown();
        if (taken != null) {
            for (QueuedWrite<?> write : taken) {
                LockSupport.unpark(write.thread); // parked in the lane's queue, it looks for its write's outcome
            }
        }
        groupCommit.ended(this, failure == null);
    }

    /**
     * Called by the group's last holder, which holds the lane through {@code holder}: commits the
     * group, lets the lane go through {@code owner}, and only then ends the group (a woken thread
     * may take the core from this one, and the next writer need not wait for that), the owner
     * going on with {@code ownerConnection} when not null. Whatever escapes the {@code COMMIT}, the
     * group still ends, and nothing of it stays.
     *
     * @return null when committed, else the error every member gets
     */
    SQLException commitAndEnd(LeaseOwner owner, ConnectionLease holder, PooledConnection ownerConnection) {
        SQLException failure = null;
        try {
            failure = commit(); // which turns the driver's own errors into the failure
        } catch (RuntimeException | Error e) {
            abandon(e);
            failure = lostBy;
            throw e;
        } finally {
            try {
                owner.releaseWriteLane(holder, failure == null); // what sqlite-jdbc began after the COMMIT has not written
            } finally {
                end(failure, ownerConnection);
            }
        }
        return failure;
    }

    /**
     * The group cannot go on (its connection failed, or a holder's thread did): its transaction is
     * rolled back, so that nothing of it is committed, and every member that has not failed with
     * an error of its own fails with the group's ({@code cause}).
     */
    void abandon(Throwable cause) {
        SQLException failure = cause instanceof SQLException sql ? sql
                : new SQLException("a group commit could not go on: " + cause, cause);
        try {
            SqliteTransactionControl.rollback(connection.raw());
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        lost(failure);
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
        int waits = 0;
        while (true) {
            try {
                if (outcome.await(GroupCommit.PENDING_BOUND_NANOS, TimeUnit.NANOSECONDS)) {
                    break;
                }
                groupCommit.evictIfOverdue(this); // a member that runs nothing is not waited for
                waits++;
                if ((waits & (waits - 1)) == 0 || waits % 16 == 0) { // after 1, 2, 4, 8, 16 waits, then every 16
                    groupCommit.breakDeadlock(this); // nor one that waits for a lock this thread holds
                }
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
