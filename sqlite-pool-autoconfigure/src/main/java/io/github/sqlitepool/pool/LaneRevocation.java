package io.github.sqlitepool.pool;

import java.util.concurrent.TimeUnit;

/**
 * When a {@link WriteLane} waiter may take a revocable hold (a transaction that has not written)
 * from its holder, and how long a revocable request waits: the bounds of docs/write-lane.md,
 * "When the lane is held". It revokes a hold's claim (one compare-and-set against its holder's
 * confirm: exactly one wins) and counts it; the lane then swaps the hold.
 */
final class LaneRevocation {

    /**
     * How long a revocable hold (a transaction that has not yet written) may keep a waiter
     * out while its holder thread is not running (waiting, sleeping, blocked) before the waiter
     * takes the lane from it. A transaction that read and then waits for something else stops
     * other writers for at most this long. Measured in docs/write-lane.md; the system properties
     * here are tuning knobs for the benchmarks.
     */
    static final long DEFAULT_REVOKE_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Math.max(0L, Long.getLong("sqlite.pool.write-lane.revoke-micros", 20_000)));

    /**
     * How long a revocable hold may keep a waiter out whatever its holder thread's state. Longer,
     * because a thread between its read and its write shows as running also while the OS does not
     * schedule it, and revoking it would cost it a serialization failure: on the shared 2-core
     * machine at a load of 16, a bound of 50 ms revoked 1 of 1,600 read-then-update transactions of
     * 32 threads, 200 ms none (docs/write-lane.md).
     */
    static final long DEFAULT_REVOKE_RUNNING_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Math.max(0L, Long.getLong("sqlite.pool.write-lane.revoke-running-micros", 200_000)));

    /**
     * How long a transaction's first read waits for the lane before it goes on without it. Reads
     * never need the lane; the wait only spares a read-then-write transaction a serialization
     * failure, and a read should not wait long behind a long write transaction. Long enough that
     * read-then-update transactions under contention (the rmw benchmark at 256 threads: longest
     * waits of about 0.25 s on the 2-core machine) still get it.
     */
    static final long DEFAULT_READ_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Math.max(0L, Long.getLong("sqlite.pool.write-lane.read-wait-millis", 1_000)));

    private final LaneCounts counts;

    /** How long a revocable hold whose holder is not running may keep waiters out. */
    private final long revokeNanos;

    /** How long a revocable hold may keep waiters out in any case. */
    private final long revokeRunningNanos;

    LaneRevocation(LaneCounts counts, long revokeNanos, long revokeRunningNanos) {
        this.counts = counts;
        this.revokeNanos = revokeNanos;
        this.revokeRunningNanos = Math.max(revokeNanos, revokeRunningNanos);
    }

    /**
     * For a waiter: revokes {@code hold} (null when the lane is free) if it is revocable and past
     * its bound; true when its claim is revoked now, and the waiter may swap the hold.
     */
    boolean revokeOverdue(LaneHold hold, long now) {
        if (hold == null) {
            return false;
        }
        if (hold.group() != null) {
            return evictOverdue(hold, now);
        }
        if (hold.claim() == null || now - revocableAt(hold) < 0 || !hold.claim().revoke()) {
            return false;
        }
        counts.revoked();
        return true;
    }

    /**
     * A group member handed the lane that has not run a statement within the bounds of a revocable
     * hold ({@link #evictableAt}) is not waited for: the group commits without it
     * ({@link CommitGroup#evict}), which it may safely do from the waiter's thread, since the member
     * has not touched the group's connection and now never will.
     */
    private boolean evictOverdue(LaneHold hold, long now) {
        if (now - evictableAt(hold) < 0 || !hold.group().evict(hold.token())) {
            return false;
        }
        counts.commit(); // counted whatever the outcome: never wrong (see WriteLane.release)
        return true;
    }

    /** What a hold does when its own thread asks for the lane through another token. */
    enum OwnThread {
        /** It gave way: the thread may swap the hold for its new token. */
        GIVEN_UP,
        /** It has written (or was confirmed meanwhile): waiting could never succeed. */
        KEPT,
        /** Its group evicted it just now, by another thread: the lane goes on to someone else. */
        GOING
    }

    /**
     * Whether {@code hold} gives way to its own thread asking through another token: a pending group
     * member by committing its group without it, a hold that has only read by its revocation. A
     * hold that has written (or is confirmed meanwhile) does not.
     */
    OwnThread forOwnThread(LaneHold hold) {
        if (hold.group() != null && hold.group().evict(hold.token())) {
            counts.commit(); // counted whatever the outcome: never wrong (see WriteLane.release)
            return OwnThread.GIVEN_UP;
        }
        if (hold.claim() != null && hold.claim().revoke()) {
            counts.revoked();
            return OwnThread.GIVEN_UP;
        }
        if (hold.group() != null && !hold.heldBy(hold.token())) {
            return OwnThread.GOING;
        }
        return hold.claim() == null || hold.claim().confirmed() ? OwnThread.KEPT : OwnThread.GOING;
    }

    /** How long a revocable request waits before it goes on without the lane. */
    long readWaitNanos() {
        return DEFAULT_READ_WAIT_NANOS;
    }

    /**
     * When a revocable hold may be revoked: {@link #revokeNanos} after its holder got it if that
     * thread is not running now, else {@link #revokeRunningNanos} after (counted from the hand-over
     * while the holder has not yet run).
     */
    long revocableAt(LaneHold hold) {
        long started = hold.claim().startedNanos;
        if (started == LaneClaim.NOT_STARTED) {
            return hold.sinceNanos() + revokeRunningNanos;
        }
        return started + boundFor(hold.thread());
    }

    /**
     * {@link #revocableAt} for a group member handed the lane ({@code hold.group()} not null): its
     * thread still shows as waiting until the OS runs it, so the short bound counts only from its
     * return from the wait ({@link CommitGroup#pendingRunsSince}).
     */
    long evictableAt(LaneHold hold) {
        long started = hold.group().pendingRunsSince(hold.sinceNanos());
        return started == LaneClaim.NOT_STARTED ? hold.sinceNanos() + revokeRunningNanos
                : started + boundFor(hold.thread());
    }

    /** How long a hold of {@code holder} may keep waiters out: longer while that thread runs. */
    private long boundFor(Thread holder) {
        return holder.getState() == Thread.State.RUNNABLE ? revokeRunningNanos : revokeNanos;
    }

    /**
     * How long a waiter may park before it must look at the lane again: until the current hold
     * ({@code hold}, null when the lane is free), if revocable, may be revoked, else the short
     * bound (the next hold may be a revocable one).
     */
    long nanosUntilRevocable(LaneHold hold, long now) {
        if (hold != null && hold.claim() != null && hold.claim().open()) {
            return Math.max(1L, Math.min(revocableAt(hold) - now, revokeNanos));
        }
        return Math.max(1L, revokeNanos);
    }
}
