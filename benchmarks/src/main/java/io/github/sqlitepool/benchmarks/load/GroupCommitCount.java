package io.github.sqlitepool.benchmarks.load;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import io.github.sqlitepool.pool.PoolListener;

/**
 * Counts a pool's group commits over one cell (warm-up included), so that a run shows whether
 * groups formed at all and how many transactions shared a {@code COMMIT}, beside the throughput.
 */
final class GroupCommitCount implements PoolListener {

    private final LongAdder committed = new LongAdder();

    private final LongAdder members = new LongAdder();

    private final LongAdder failed = new LongAdder();

    @Override
    public void groupCommitEnded(int groupMembers, boolean groupCommitted) {
        if (groupCommitted) {
            committed.increment();
            members.add(groupMembers);
        } else {
            failed.increment();
        }
    }

    @Override
    public String toString() {
        long groups = committed.sum();
        return String.format(Locale.ROOT, "%d groups committed, %.1f members each on average, %d failed",
                groups, groups == 0 ? 0.0 : (double) members.sum() / groups, failed.sum());
    }
}
