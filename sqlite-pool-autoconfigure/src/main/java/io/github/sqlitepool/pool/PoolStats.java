package io.github.sqlitepool.pool;

/**
 * A snapshot of a pool's counters, read without a lock from its connections' states in one pass:
 * {@code total} is always {@code active + idle}, but under load each connection's state may be
 * from a slightly different moment.
 *
 * @param name          the pool's name
 * @param max           the configured number of connections
 * @param total         connections currently open (idle plus active; the reserve connections are not counted)
 * @param active        connections leased out
 * @param idle          connections waiting in the pool
 * @param waiting       threads waiting for a connection
 * @param reserveLeases leases served from the pool's reserve connections since it started (a thread
 *                      holding the write lane, or already holding a lease, found no idle connection)
 */
public record PoolStats(String name, int max, int total, int active, int idle, int waiting, long reserveLeases) {

    /** A snapshot with no reserve lease counted. */
    public PoolStats(String name, int max, int total, int active, int idle, int waiting) {
        this(name, max, total, active, idle, waiting, 0L);
    }

    @Override
    public String toString() {
        return "pool '" + name + "' (max " + max + ", total " + total + ", active " + active + ", idle " + idle
                + ", waiting " + waiting + (reserveLeases == 0 ? "" : ", reserve leases " + reserveLeases) + ")";
    }
}
