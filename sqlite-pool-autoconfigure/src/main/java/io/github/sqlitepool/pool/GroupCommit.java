package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.github.sqlitepool.pool.config.GroupCommitSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's group commit ({@code sqlite.pool.write-lane.group-commit.*}): when a transaction
 * that wrote commits while transactions wait at their begin for the write lane, the lane is handed
 * to the longest waiting of them, which runs on the committing transaction's connection inside
 * the same SQLite transaction (a {@link CommitGroup}); the last member commits for all. With
 * auto-commit writes grouped, the waiting ones are run by the group's holder before it hands the
 * lane on ({@link WriteBatch}), and one that holds the lane while others wait opens a group of
 * them. A group only forms from writers already waiting, and stops taking members at its bounds.
 */
final class GroupCommit {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /**
     * How long a member handed the lane may run no statement before a caller waiting for the group
     * commits it without the member, counted from the member's return from its wait for the lane
     * ({@link CommitGroup#pendingBoundsFromNanos}): the bound a revocable hold of a running thread
     * has ({@link LaneRevocation#DEFAULT_REVOKE_RUNNING_NANOS}). A waiter of the lane applies the
     * bounds of a revocable hold ({@link LaneRevocation#evictableAt}).
     */
    static final long PENDING_BOUND_NANOS = LaneRevocation.DEFAULT_REVOKE_RUNNING_NANOS;

    private final WriteLane lane;

    private final PoolListeners listeners;

    private final int maxMembers;

    private final long maxAgeNanos;

    /** Groups form only while {@link #commitNanos} is at least this. */
    private final long minCommitNanos;

    private final boolean autoCommitWrites;

    /**
     * A moving average of recent {@code COMMIT} times (weight 1/8 for the newest), written by the
     * lane's holder; a racy update loses at most one sample.
     */
    private volatile long commitNanos;

    /** Hears of a failed {@code COMMIT}, so that storage failures are known. */
    private final Consumer<Throwable> commitFailures;

    /** Whether writes are refused (a storage fault): a group's holder takes no waiting write then. */
    private final BooleanSupplier writesRefused;

    GroupCommit(WriteLane lane, PoolListeners listeners, Consumer<Throwable> commitFailures,
            BooleanSupplier writesRefused, GroupCommitSettings settings) {
        this.lane = lane;
        this.listeners = listeners;
        this.commitFailures = commitFailures;
        this.writesRefused = writesRefused;
        this.maxMembers = settings.maxMembers();
        this.maxAgeNanos = settings.maxAge().toNanos();
        this.minCommitNanos = settings.minCommitTime().toNanos();
        this.autoCommitWrites = settings.autoCommitWrites();
    }

    /** Whether auto-commit writes take part in groups. */
    boolean groupsAutoCommitWrites() {
        return autoCommitWrites;
    }

    /**
     * Whether a writer holding the lane should open a group: writers that may join wait (only
     * auto-commit writes a holder may take and run, {@link #takeQueuedWrite}, when
     * {@code queuedWrites}), and commits are slow enough to group.
     */
    boolean worthOpening(boolean queuedWrites) {
        return lane.joiners().mayWait(queuedWrites) && commitNanos >= minCommitNanos;
    }

    /**
     * For the committing transaction of {@code owner} (which holds the lane firmly and wrote): a
     * group on its connection, when writers that may join wait and commits are slow enough; null
     * otherwise, and {@code owner} commits on its own. The group has no other member until
     * {@link #passOn} adds them.
     */
    CommitGroup open(ConnectionLease owner) {
        if (!worthOpening(false)) {
            return null; // the common cases, without an allocation
        }
        return new CommitGroup(this, owner.connection(), System.nanoTime());
    }

    /**
     * For {@code owner}'s auto-commit write, which holds the lane and ran in a transaction on its
     * connection: a group in which it runs the auto-commit writes waiting for the lane itself
     * ({@link WriteBatch}); null when none waits, or commits are too fast to group.
     */
    WriteBatch batchFor(ConnectionLease owner) {
        if (!worthOpening(true)) {
            return null;
        }
        return new WriteBatch(this, owner, new CommitGroup(this, owner.connection(), System.nanoTime()));
    }

    /** Whether {@code group} has reached its bounds: it takes no more members. */
    boolean full(CommitGroup group) {
        return group.members() >= maxMembers || System.nanoTime() - group.openedAtNanos() >= maxAgeNanos;
    }

    /**
     * For {@code holder}'s {@code group}: the longest waiting auto-commit write, taken; null when
     * none waits, or when writes are refused (a storage fault found meanwhile: a write that waited
     * through it is refused when it gets the lane, as any).
     */
    QueuedWrite<?> takeQueuedWrite(ConnectionLease holder, CommitGroup group) {
        return writesRefused.getAsBoolean() ? null : lane.joiners().takeQueuedWrite(holder, group);
    }

    /** No group may take {@code write} any more; false when one took it already. */
    boolean withdraw(QueuedWrite<?> write) {
        return lane.joiners().withdraw(write);
    }

    /**
     * Asked by {@code lease}'s thread right after it got the lane: the group it was handed the lane
     * to join, whose bounds for it count from now ({@link LaneRevocation#evictableAt}); null when
     * it took the lane on its own.
     */
    CommitGroup handedTo(ConnectionLease lease) {
        CommitGroup group = lane.holder().groupOf(lease);
        if (group != null) {
            group.pendingRuns(System.nanoTime());
        }
        return group;
    }

    /**
     * The part of {@code group} that {@code holder} (which holds the lane for it) ran has ended: it
     * runs the auto-commit writes waiting for the lane in the group ({@link WriteBatch}), then,
     * unless the group is at its bounds or lost, hands the lane to the longest waiting transaction;
     * false when it did not, and {@code holder} must commit the group. Whatever escapes from here
     * loses the group, so that it still ends: it is the failure every member gets, as its cause.
     */
    boolean passOn(ConnectionLease holder, CommitGroup group) {
        try {
            if (lane.joiners().mayWait(true)) {
                new WriteBatch(this, holder, group).runQueuedWrites();
            }
            if (group.lostBy() != null || full(group)) {
                return false;
            }
            return lane.joiners().handTo(holder, group);
        } catch (RuntimeException | Error e) {
            group.abandon(e); // the writes taken wait for the group's end, which the holder's commit brings
            return false;
        }
    }

    /**
     * Called by a caller waiting for {@code group}: if its pending member has run nothing for
     * {@link #PENDING_BOUND_NANOS}, the group commits without it and the lane it held goes on.
     */
    void evictIfOverdue(CommitGroup group) {
        Object member = group.pendingMember();
        if (member != null && System.nanoTime() - group.pendingBoundsFromNanos() >= PENDING_BOUND_NANOS
                && group.evict(member)) {
            lane.releaseEvicted(group); // the group's COMMIT ran: counted, as any commit
        }
    }

    /**
     * Called by a caller that has waited for {@code group} for {@link #PENDING_BOUND_NANOS} (less
     * often as the wait goes on: reading threads' locks pauses the JVM): if the member running in it
     * waits for a lock the caller's thread holds ({@link GroupDeadlocks}), the member's part is
     * rolled back, so that the group can end ({@link GroupMembership#rollBackForDeadlock}).
     */
    void breakDeadlock(CommitGroup group) {
        GroupMembership member = group.runningMember();
        LaneHold hold = lane.holder().get();
        if (member == null || hold == null || hold.group() != group || !member.runsThrough(hold)
                || group.givenUpOn(member)) {
            return;
        }
        String cycle = null;
        try {
            cycle = GroupDeadlocks.lockCycle(hold.thread(), Thread.currentThread());
            if (cycle == null) {
                return;
            }
            if (member.rollBackForDeadlock(group, cycle)) {
                listeners.tell(PoolListener::groupDeadlockBroken);
                log.warn("Group commit: the member running in a group was rolled back, and its transaction fails with "
                        + "SQLState 40001, since {}, which waits for the group to end (docs/operations.md)", cycle);
            } else if (member.tiedTo(group) && group.giveUpOn(member)) {
                log.warn("Group commit: {}, which waits for the group that thread runs in to end; that member cannot be "
                        + "rolled back (a statement open, or tied to the group's connection): both wait until the "
                        + "member's connection is aborted (docs/operations.md)", cycle);
            }
        } catch (RuntimeException | LinkageError e) {
            // the threads' locks could not be read (no java.management, a security manager)
            if (group.giveUpOn(member)) {
                log.warn("Group commit: looking for, or breaking, a deadlock of a group's running member failed ({}); "
                        + "it is looked for no more in this group: {}", cycle, e.toString(), e);
            }
        }
    }

    /** The lane {@code group}'s evicted pending member was handed goes on: see {@link WriteLane#releaseEvicted}. */
    void releaseEvicted(CommitGroup group) {
        lane.releaseEvicted(group);
    }

    /** A {@code COMMIT} (a group's, or a transaction's alone) took {@code nanos}. */
    void committed(long nanos) {
        long average = commitNanos;
        commitNanos = average + ((nanos - average) >> 3);
    }

    /** Whether a transaction's {@code COMMIT} is worth timing: groups form only above a commit time. */
    boolean timesCommits() {
        return minCommitNanos > 0;
    }

    /** A group's {@code COMMIT} failed with {@code e}. */
    void commitFailed(SQLException e) {
        commitFailures.accept(e);
    }

    /** Tells the listeners that {@code group} ended: committed, or not. */
    void ended(CommitGroup group, boolean committed) {
        listeners.tell(listener -> listener.groupCommitEnded(group.members(), committed));
    }
}
