package io.github.sqlitepool.pool;

/**
 * The {@link WriteLane}'s hand-offs within commit groups ({@link GroupCommit}): a holder whose
 * group takes members hands the lane firmly to the longest waiting transaction that may join, or takes
 * a waiting auto-commit write to run itself ({@link QueuedWrite}), under the queue's lock as every
 * hand-over to a waiter is.
 */
final class LaneJoiners {

    /** The lane's current hold. */
    private final LaneHolder holder;

    private final LaneQueue queue;

    LaneJoiners(LaneHolder holder, LaneQueue queue) {
        this.holder = holder;
        this.queue = queue;
    }

    /**
     * Whether a writer that may join a group could be waiting: anyone, or an auto-commit write a
     * group's holder may take ({@link #takeQueuedWrite}) when {@code queuedWrites}; read without a lock.
     */
    boolean mayWait(boolean queuedWrites) {
        return (queuedWrites ? queue.queuedWritesWaiting() : queue.waiting()) != 0;
    }

    /**
     * Hands the lane held by {@code token} firmly to the longest waiting joinable waiter, to join
     * {@code group}; false, leaving it as it is, when {@code token} does not hold it or none waits.
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
            LaneWaiter next = queue.longestJoinableWaiter();
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

    /**
     * For the holder of {@code group}, which holds the lane through {@code token}: takes the
     * longest waiting auto-commit write, which the holder then runs in the group on the waiter's
     * behalf; null when {@code token} does not hold the lane or no such write waits.
     */
    QueuedWrite<?> takeQueuedWrite(Object token, CommitGroup group) {
        if (queue.queuedWritesWaiting() == 0) {
            return null;
        }
        queue.lock();
        try {
            LaneHold hold = holder.get();
            return hold != null && hold.heldBy(token) ? queue.takeQueuedWrite(group) : null;
        } finally {
            queue.unlock();
        }
    }

    /**
     * No group may take {@code write} any more (its lease ends); false when one took it already:
     * its group must end before the lease's connection is taken back.
     */
    boolean withdraw(QueuedWrite<?> write) {
        queue.lock();
        try {
            return queue.withdraw(write);
        } finally {
            queue.unlock();
        }
    }
}
