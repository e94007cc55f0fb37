package io.github.sqlitepool.pool;

/**
 * A snapshot of a pool's write lane, for health and metrics.
 *
 * @param enabled      whether the pool serialises writes through the lane
 *                     ({@code sqlite.pool.write-lane.enabled})
 * @param holderThread the name of the thread holding the lane, null when it is free
 * @param heldNanos    how long the current holder has held it, 0 when free
 * @param waiting      threads waiting for the lane
 */
public record WriteLaneStats(boolean enabled, String holderThread, long heldNanos, int waiting) {

    /** The stats of a pool whose lane is turned off. */
    static final WriteLaneStats DISABLED = new WriteLaneStats(false, null, 0L, 0);

    @Override
    public String toString() {
        if (!enabled) {
            return "write lane disabled";
        }
        if (holderThread == null) {
            return "write lane free, " + waiting + " waiting";
        }
        return "write lane held by thread '" + holderThread + "' for " + heldNanos / 1_000_000 + " ms, "
                + waiting + " waiting";
    }
}
