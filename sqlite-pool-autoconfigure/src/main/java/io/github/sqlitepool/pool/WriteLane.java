package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The pool's single-writer lane: at most one holder at a time, and waiters served with bounded
 * fairness. SQLite allows one writer per database; queueing writers here, in Java, means they never
 * sleep in SQLite's busy handler while holding a pooled connection.
 *
 * <p>A holder is a token (the lease that writes), not a thread, so any thread may release it: a lease
 * closed by a pool shutdown still frees the lane. The token, its thread (for error messages and the
 * nested-acquire check) and since when are one immutable {@link LaneHold}, swapped by compare-and-set
 * ({@link LaneHolder}), so that two threads releasing the same token at once cannot disturb the next
 * holder's record.
 *
 * <p>Fairness is bounded, in the manner of a "Malthusian" lock (Dice, EuroSys 2017): the lane
 * circulates among the few running threads, and parked ones wait aside, in the order the
 * {@link LaneQueue} keeps. Only its head competes: it spins for {@link LaneQueue#DEFAULT_SPIN_NANOS}
 * while the lane's recent holds are short ({@link LaneSpin}), then parks. Uncontended, acquire and
 * release are one CAS each; a release wakes the head only when it is parked. A strict release hands the lane straight to the longest waiter and never frees it in
 * between, so no spinner can take it. (A release that started just before the queue turned strict
 * may still free it for the head: the longest waiter then gets the next turn.)
 *
 * <p><b>Revocable holds.</b> A transaction that has not written holds the lane revocably
 * ({@link #acquireRevocable}): a waiter takes it after the bounds of {@link LaneRevocation}, its own
 * thread through another token at once, unless the holder {@link LaneHolder#confirm confirms} it first (one
 * compare-and-set each on the hold's {@link LaneClaim}: exactly one wins). A revoked holder that wants
 * to write compares the lane's commits with those at its snapshot to know whether SQLite would still
 * let it upgrade (docs/write-lane.md).
 */
final class WriteLane {

    private final String poolName;

    /** How long the head spins. */
    private final LaneSpin spin;

    private final Supplier<PoolStats> poolStats;

    private final LaneCounts counts = new LaneCounts();

    private final LaneRevocation revocation;

    /** Who holds the lane. */
    private final LaneHolder holder = new LaneHolder();

    /** The waiters; its lock also guards every hand-over to one of them. */
    private final LaneQueue queue;

    private final LaneJoiners joiners;

    WriteLane(String poolName, Supplier<PoolStats> poolStats) {
        this(poolName, poolStats, LaneQueue.DEFAULT_SPIN_NANOS, LaneQueue.DEFAULT_BARGE_NANOS);
    }

    WriteLane(String poolName, Supplier<PoolStats> poolStats, long spinNanos, long bargeNanos) {
        this(poolName, poolStats, spinNanos, bargeNanos, LaneRevocation.DEFAULT_REVOKE_NANOS,
                LaneRevocation.DEFAULT_REVOKE_RUNNING_NANOS);
    }

    WriteLane(String poolName, Supplier<PoolStats> poolStats, long spinNanos, long bargeNanos, long revokeNanos,
            long revokeRunningNanos) {
        this.poolName = poolName;
        this.poolStats = poolStats;
        this.spin = new LaneSpin(spinNanos);
        this.queue = new LaneQueue(bargeNanos);
        this.joiners = new LaneJoiners(holder, queue);
        this.revocation = new LaneRevocation(counts, revokeNanos, revokeRunningNanos);
    }

    /** {@link #acquire(Object, long, QueuedWrite)} for anything but a write that may run in a group. */
    void acquire(Object token, long timeoutNanos) throws SQLException {
        acquire(token, timeoutNanos, null, false, null);
    }

    /**
     * Takes the lane for {@code token} until it is released, waiting at most {@code timeoutNanos}.
     * When the calling thread holds the lane revocably through another token (a transaction that
     * has only read), that hold is revoked and the lane is taken at once. A {@code write} (an
     * auto-commit write that may run in a group; null for any other request) may instead be run by
     * the holder of a {@link CommitGroup} ({@link LaneJoiners#takeQueuedWrite}); it is never handed
     * the lane to join one.
     * @return false when a group's holder took {@code write}: the lane was not taken, and the
     *         write's outcome comes from its group ({@link QueuedWrite#outcome()})
     * @throws SQLException at once when the calling thread already holds the lane through another token
     *         for a write (waiting could never succeed), or when interrupted while parked (flag kept set;
     *         an interrupt that comes while the waiter spins may instead find it holding the lane, flag set;
     *         one that comes once a group took its write finds it taken, flag set)
     * @throws SQLTransientConnectionException when the lane did not become free in time
     */
    boolean acquire(Object token, long timeoutNanos, QueuedWrite<?> write) throws SQLException {
        return acquire(token, timeoutNanos, null, false, write);
    }

    /**
     * Takes the lane for {@code token} revocably (see the class comment), waiting at most
     * {@code timeoutNanos} and {@link LaneRevocation#DEFAULT_READ_WAIT_NANOS}; false when it did not get it in
     * that time, or, at once, when the calling thread holds it for a write through another token:
     * the caller then goes on without the lane, as a holder whose hold was revoked. A {@code joinable}
     * waiter may instead be handed the lane firmly by a holder that opened a {@link CommitGroup}
     * ({@link LaneJoiners#handTo}), which {@link LaneHolder#groupOf} then tells.
     * @throws SQLException when interrupted while parked (flag kept set)
     */
    boolean acquireRevocable(Object token, long timeoutNanos, boolean joinable) throws SQLException {
        LaneClaim claim = new LaneClaim();
        boolean taken = acquire(token, timeoutNanos, claim, joinable, null);
        claim.started(System.nanoTime()); // its holder runs: the bounds count from here
        return taken;
    }

    /** {@code write}: a firm request's write a group's holder may run instead; null for any other. */
    private boolean acquire(Object token, long timeoutNanos, LaneClaim claim, boolean joinable, QueuedWrite<?> write)
            throws SQLException {
        Thread current = Thread.currentThread();
        if (queue.mayOvertake() && holder.take(token, current, System.nanoTime(), claim)) {
            return true;
        }
        LaneHold hold = holder.get();
        if (hold != null && hold.heldBy(token) && (hold.claim() == null || claim != null || hold.claim().confirm())) {
            return true; // held already (an open write result in auto-commit mode asks again); not revoked
        }
        if (hold != null && hold.thread() == current && hold.token() != token && hold.heldBy(hold.token())) {
            switch (revocation.forOwnThread(hold)) { // the same thread through another connection
                case GIVEN_UP -> {
                    if (holder.compareAndSet(hold, new LaneHold(token, current, System.nanoTime(), claim))) {
                        return true;
                    }
                }
                case KEPT -> {
                    if (claim != null) {
                        return false;
                    }
                    throw LaneErrors.nestedWrite(poolName, current);
                }
                case GOING -> { } // it goes on to another holder: wait as anyone
            }
        }
        if (claim == null) {
            if (!awaitLane(token, current, timeoutNanos, null, joinable, write)) {
                if (write != null && write.taken()) {
                    return false;
                }
                throw LaneErrors.timeout(poolName, timeoutNanos, stats() + "; " + poolStats.get());
            }
            return true;
        }
        // a read waits a bounded time, then goes on without the lane (as a revoked one would)
        return awaitLane(token, current, Math.min(timeoutNanos, revocation.readWaitNanos()), claim, joinable, null);
    }

    /**
     * Waits for the lane in the queue; false when {@code timeoutNanos} passed without it, or when
     * a group's holder took {@code write} (which only it may do, under the queue's lock).
     */
    private boolean awaitLane(Object token, Thread current, long timeoutNanos, LaneClaim claim, boolean joinable,
            QueuedWrite<?> write) throws SQLException {
        LaneWaiter waiter = new LaneWaiter(token, current, claim, joinable, write);
        long deadline = waiter.enqueuedAt + timeoutNanos;
        queue.lock();
        try {
            queue.enqueue(waiter);
            // Dekker pairing with release(): either the holder sees waiting > 0 and wakes the first
            // waiter or hands over, or this sees the lane free and (if first) takes it.
            if (queue.isHead(waiter) && holder.take(token, current, waiter.enqueuedAt, claim)) {
                queue.dequeue(waiter);
                return true;
            }
        } finally {
            queue.unlock();
        }
        boolean interrupted = false;
        long spinUntil = 0L;
        boolean spun = false;
        while (!waiter.granted && !interrupted && !waiter.writeTaken()) {
            long now = System.nanoTime();
            if (queue.isHead(waiter)) {
                // the first waiter may take a free lane (a strict release never frees it while
                // anyone waits); a release may also have handed it over already, and then this
                // CAS fails and granted becomes true
                if (holder.take(token, current, now, claim)) {
                    return keepTaken(waiter);
                }
                if (queue.turnStrictIfOverdue(now)) {
                    continue;
                }
                if (!spun) {
                    spun = true;
                    spinUntil = now + spin.spinNanos();
                }
                if (now - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
            }
            if (revokeOverdue(waiter, now)) {
                return keepTaken(waiter);
            }
            long remaining = deadline - now;
            if (remaining <= 0) {
                break;
            }
            // Dekker pairing with release(): either it sees this waiter parked and wakes it, or
            // this sees the lane it freed. A head that has not spun since it last woke spins first.
            waiter.spinning = false;
            if (queue.isHead(waiter) && (!spun || holder.get() == null)) {
                waiter.spinning = true;
                continue;
            }
            LockSupport.parkNanos(this, Math.min(remaining, revocation.nanosUntilRevocable(holder.get(), now)));
            spun = false;
            waiter.spinning = true;
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        boolean cancelled = !waiter.granted && !waiter.writeTaken() && cancel(waiter);
        if (!cancelled && waiter.writeTaken()) {
            if (interrupted) {
                Thread.currentThread().interrupt(); // the group runs the write: its outcome is awaited, flag set
            }
            return false;
        }
        if (!cancelled) {
            // the lane is ours: handed over while waiting, or between the last check and the cancel;
            // handed over to join a commit group, it must join (flag set): the group waits for it
            if (interrupted && holder.groupOf(token) == null) {
                release(token);
                Thread.currentThread().interrupt();
                throw LaneErrors.interrupted(poolName, stats());
            }
            return true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw LaneErrors.interrupted(poolName, stats());
        }
        return false;
    }

    /** Takes the lane from a revocable hold past its bound; true when {@code waiter} holds it now. */
    private boolean revokeOverdue(LaneWaiter waiter, long now) {
        LaneHold hold = holder.get();
        if (!revocation.revokeOverdue(hold, now)) {
            return false; // not revocable (yet, or confirmed first): wait
        }
        if (!holder.compareAndSet(hold, waiter.holdSince(now))) {
            letGoHoldOf(hold.group()); // released just now; or, evicted, its group handed the member a new hold
            return false;
        }
        queue.leave(waiter);
        return true;
    }

    /** Whether some waiter has been passed over for longer than the bound. */
    boolean overdue(long now) {
        return queue.overdue(now);
    }

    /**
     * A waiter took the lane itself, as the head or from an overdue revocable hold, and leaves the
     * queue: true, unless a group's holder took its write (under the queue's lock) before this
     * look. It read it was the head before that, and the group's holder has let the lane go since,
     * or the lane would not have been free: the lane goes again, and false says the group has the
     * write.
     */
    private boolean keepTaken(LaneWaiter waiter) {
        queue.leave(waiter);
        if (!waiter.writeTaken()) {
            return true;
        }
        release(waiter.token);
        return false;
    }

    /** Removes a waiter that gave up; false when the lane was handed to it, or its write taken, meanwhile. */
    private boolean cancel(LaneWaiter waiter) {
        queue.lock();
        try {
            if (waiter.granted || waiter.writeTaken()) {
                return false; // a hand-off (under this lock) came first; a waiter's own take returns at once
            }
            queue.dequeue(waiter);
            if (holder.get() == null) {
                passOn(null);
            }
            return true;
        } finally {
            queue.unlock();
        }
    }

    /** Frees the lane held by {@code token}: {@link #release(Object, boolean)}, counting no commit. */
    void release(Object token) {
        release(token, false);
    }

    /**
     * Frees the lane held by {@code token} (nothing when it does not hold it: of two threads releasing
     * it at once, one does); {@code committed}: its transaction committed, counted in {@link LaneCounts#commits()}
     * if it may have written (a confirmed or firm hold). Returns {@link LaneCounts#commits()} as of this release.
     */
    long release(Object token, boolean committed) {
        LaneHold hold = holder.get();
        if (hold == null || !hold.heldBy(token)) {
            return counts.commits();
        }
        long count = committed && (hold.claim() == null || hold.claim().confirmed()) ? counts.commit()
                : counts.commits();
        if (committed) {
            spin.released(System.nanoTime() - hold.sinceNanos()); // a hold given up at once (a write a group took) tells nothing
        }
        releaseHold(hold);
        return count;
    }

    private void releaseHold(LaneHold hold) {
        if (!queue.strictForRelease()) {
            // Dekker pairing with awaitLane(): free first, then look for waiters
            if (holder.compareAndSet(hold, null) && queue.waiting() != 0) {
                queue.wakeHeadIfParked();
            }
            return;
        }
        queue.lock();
        try {
            if (holder.get() == hold) {
                passOn(hold);
            }
        } finally {
            queue.unlock();
        }
    }

    /**
     * Under the queue lock, for the current hold {@code from} or a free lane ({@code null}): strict,
     * hands the lane straight to the longest waiter; otherwise frees it and wakes the first waiter.
     */
    private void passOn(LaneHold from) {
        LaneWaiter next = queue.nextInStrictOrder();
        if (next != null) {
            if (holder.compareAndSet(from, next.holdSince(System.nanoTime()))) {
                queue.grant(next);
            }
            return; // else a thread took the free lane (or a second release freed it) and passes it on
        }
        if (from != null) {
            holder.compareAndSet(from, null);
        }
        LaneWaiter first = queue.first();
        if (first != null && holder.get() == null) {
            LockSupport.unpark(first.thread);
        }
    }

    /** Who holds the lane now. */
    LaneHolder holder() {
        return holder;
    }

    /** The hand-offs of the lane within commit groups. */
    LaneJoiners joiners() {
        return joiners;
    }

    /** Its commits (a snapshot compares them), revocations and serialization failures. */
    LaneCounts counts() {
        return counts;
    }

    /** Lets go the hold of {@code group}'s evicted pending member ({@link LaneHold#heldBy}); counts the group's commit. */
    void releaseEvicted(CommitGroup group) {
        counts.commit();
        letGoHoldOf(group);
    }

    private void letGoHoldOf(CommitGroup group) {
        LaneHold hold = holder.get();
        if (group != null && hold != null && hold.group() == group) {
            releaseHold(hold);
        }
    }

    /** The lane's state now; read without a lock, so the fields may be from moments apart. */
    WriteLaneStats stats() {
        return counts.stats(holder.get(), queue);
    }
}
