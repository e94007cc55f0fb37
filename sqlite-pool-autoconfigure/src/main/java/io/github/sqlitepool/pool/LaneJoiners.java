package io.github.sqlitepool.pool;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link WriteLane}'s hand-offs within commit groups ({@link GroupCommit}): a holder whose
 * group takes members hands the lane firmly to the longest waiting writer that may join, under
 * the queue's lock as every hand-over to a waiter is.
 */
final class LaneJoiners {

    /** The lane's current hold. */
    private final AtomicReference<LaneHold> holder;

    private final LaneQueue queue;

    LaneJoiners(AtomicReference<LaneHold> holder, LaneQueue queue) {
        this.holder = holder;
        this.queue = queue;
    }

    /**
     * Whether a writer that may join a group could be waiting: anyone, or an auto-commit write when
     * {@code writesOnly}; read without a lock.
     */
    boolean mayWait(boolean writesOnly) {
        return (writesOnly ? queue.joinableWritesWaiting() : queue.waiting()) != 0;
    }

    /**
     * Hands the lane held by {@code token} firmly to the longest waiting joinable waiter (an
     * auto-commit write when the group takes only those), to join {@code group}; false, leaving it
     * as it is, when {@code token} does not hold it or none waits.
     */
    boolean handTo(Object token, CommitGroup group) {
        if (queue.waiting() == 0) {
            return false;
        }
        queue.lock();
        try {
            LaneHold hold = holder.get();
            if (hold == null || !hold.heldBy(token)) {
                return false;
            }
            LaneWaiter next = queue.longestJoinableWaiter(group.writesOnly());
            if (next == null
                    || !holder.compareAndSet(hold, new LaneHold(next.token, next.thread, System.nanoTime(), null, group))) {
                return false;
            }
            group.handedTo(next.token);
            queue.grant(next);
            return true;
        } finally {
            queue.unlock();
        }
    }
}
