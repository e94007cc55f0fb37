package io.github.sqlitepool.pool;

/**
 * Who holds the {@link WriteLane}: the token, the thread that took it for the token, since when,
 * the claim of a revocable hold (null when the hold is firm), and the {@link CommitGroup} the
 * holder was handed the lane to join (null when it took the lane on its own).
 */
record LaneHold(Object token, Thread thread, long sinceNanos, LaneClaim claim, CommitGroup group) {

    LaneHold(Object token, Thread thread, long sinceNanos, LaneClaim claim) {
        this(token, thread, sinceNanos, claim, null);
    }

    /**
     * Whether {@code holder} holds the lane through this hold. A group member handed the lane that
     * was evicted before it entered does not: the group committed without it, and whoever evicted
     * it lets this hold go or takes it over ({@link WriteLane#releaseEvicted}); until then the
     * member waits like any other writer.
     */
    boolean heldBy(Object holder) {
        return token == holder && (group == null || !group.evicted());
    }
}
