package io.github.sqlitepool.pool;

/**
 * A snapshot of a pool's write lane, for health and metrics.
 *
 * @param enabled               whether the pool serialises writes through the lane
 *                              ({@code sqlite.pool.write-lane.enabled})
 * @param holderThread          the name of the thread holding the lane, null when it is free; followed by
 *                              {@code (ended, its connection never closed)} when that thread has ended
 * @param heldNanos             how long the current holder has held it, 0 when free
 * @param waiting               threads waiting for the lane
 * @param revocations           holds of transactions that had only read, taken from them by a writer
 *                              that waited past the bound or by their own thread's other connection,
 *                              since the pool started
 * @param serializationFailures writes refused with SQLState 40001 since the pool started: their
 *                              transaction had lost the lane after reading, and another transaction
 *                              committed after its snapshot
 */
public record WriteLaneStats(boolean enabled, String holderThread, long heldNanos, int waiting, long revocations,
        long serializationFailures) {

    /** The stats of a pool whose lane is turned off. */
    static final WriteLaneStats DISABLED = new WriteLaneStats(false, null, 0L, 0);

    /** A snapshot with no revocation and no serialization failure counted. */
    public WriteLaneStats(boolean enabled, String holderThread, long heldNanos, int waiting) {
        this(enabled, holderThread, heldNanos, waiting, 0L, 0L);
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "write lane disabled";
        }
        String counts = revocations == 0 && serializationFailures == 0 ? ""
                : ", " + revocations + " revoked, " + serializationFailures + " serialization failures";
        if (holderThread == null) {
            return "write lane free, " + waiting + " waiting" + counts;
        }
        return "write lane held by thread '" + holderThread + "' for " + heldNanos / 1_000_000 + " ms, "
                + waiting + " waiting" + counts;
    }
}
