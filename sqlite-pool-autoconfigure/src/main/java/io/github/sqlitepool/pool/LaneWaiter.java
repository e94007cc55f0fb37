package io.github.sqlitepool.pool;

/** A thread waiting in {@link WriteLane}'s queue, with what its hold will carry once it gets the lane. */
final class LaneWaiter {

    final Object token;

    final Thread thread;

    /** The claim its hold will carry; null for a firm request. */
    final LaneClaim claim;

    /**
     * Whether it may be handed the lane to join a {@link CommitGroup}: a transaction at its begin
     * (with a {@link #claim}). An auto-commit {@link #write} is run by a group's holder instead.
     */
    final boolean joinable;

    /** Its auto-commit write, which a group's holder may run instead ({@link QueuedWrite}); null for any other request. */
    final QueuedWrite<?> write;

    final long enqueuedAt = System.nanoTime();

    volatile boolean granted;

    /**
     * False while parked or about to park: a release must wake it. True while running (also
     * outside a spin, in cancel() for example, which wakes the next first waiter itself).
     */
    volatile boolean spinning = true;

    LaneWaiter(Object token, Thread thread, LaneClaim claim, boolean joinable, QueuedWrite<?> write) {
        this.token = token;
        this.thread = thread;
        this.claim = claim;
        this.joinable = joinable;
        this.write = write;
    }

    /** Whether a group's holder took its write: it waits for the lane no more. */
    boolean writeTaken() {
        return write != null && write.taken();
    }

    /** The hold it gets when the lane is handed or taken for it, firm or revocable as it asked. */
    LaneHold holdSince(long sinceNanos) {
        return new LaneHold(token, thread, sinceNanos, claim);
    }
}
