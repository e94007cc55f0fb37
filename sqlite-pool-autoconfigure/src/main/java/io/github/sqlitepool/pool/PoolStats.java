package io.github.sqlitepool.pool;

/**
 * A snapshot of a pool's counters, read without a lock from its connections' states in one pass:
 * {@code total} is always {@code active + idle}, but under load each connection's state may be
 * from a slightly different moment.
 *
 * @param name    the pool's name
 * @param max     the configured number of connections
 * @param total   connections currently open (idle plus active)
 * @param active  connections leased out
 * @param idle    connections waiting in the pool
 * @param waiting threads waiting for a connection
 */
public record PoolStats(String name, int max, int total, int active, int idle, int waiting) {

    @Override
    public String toString() {
        return "pool '" + name + "' (max " + max + ", total " + total + ", active " + active + ", idle " + idle
                + ", waiting " + waiting + ")";
    }
}
