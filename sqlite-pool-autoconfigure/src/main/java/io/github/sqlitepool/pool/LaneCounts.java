package io.github.sqlitepool.pool;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the {@link WriteLane} counts: the commits of holders that wrote, which a revoked holder
 * compares with the count at its snapshot (docs/write-lane.md), and, for its stats, the holds
 * revoked and the transactions refused with a serialization failure.
 */
final class LaneCounts {

    /** Exact, and read on every revocable acquire: an atomic; the others are only summed for stats. */
    private final AtomicLong commits = new AtomicLong();

    private final LongAdder revocations = new LongAdder();

    private final LongAdder serializationFailures = new LongAdder();

    /** Counts a commit of a holder that may have written; the count as of it. */
    long commit() {
        return commits.incrementAndGet();
    }

    /** Commits of holders that wrote, since the lane was made. */
    long commits() {
        return commits.get();
    }

    void revoked() {
        revocations.increment();
    }

    void serializationFailure() {
        serializationFailures.increment();
    }

    /**
     * The lane's stats with the current hold ({@code hold}, null when the lane is free) and its
     * waiters; read without a lock, so the fields may be from moments apart.
     */
    WriteLaneStats stats(LaneHold hold, LaneQueue queue) {
        long revoked = revocations.sum();
        long failures = serializationFailures.sum();
        if (hold == null) {
            return new WriteLaneStats(true, null, 0L, queue.waiting(), revoked, failures);
        }
        Thread holder = hold.thread();
        // a thread that ended holding the lane left a lease open that nothing will close: say so
        String name = holder.isAlive() ? holder.getName() : holder.getName() + " (ended, its connection never closed)";
        return new WriteLaneStats(true, name, Math.max(0L, System.nanoTime() - hold.sinceNanos()),
                queue.waiting(), revoked, failures);
    }
}
