package io.github.sqlitepool.pool;

/**
 * Who holds the {@link WriteLane}: the token, the thread that took it for the token, since when,
 * and the claim of a revocable hold (null when the hold is firm).
 */
record LaneHold(Object token, Thread thread, long sinceNanos, LaneClaim claim) {
}
