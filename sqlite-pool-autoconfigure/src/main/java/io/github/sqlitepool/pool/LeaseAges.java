package io.github.sqlitepool.pool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The leases out now, with the thread that took each and since when: a lease that stays open may
 * hold a read snapshot that keeps checkpoints from finishing, and this names the oldest.
 *
 * <p>Nothing is recorded on the lease path beyond the connection's own note of the leasing thread
 * ({@link PooledConnection#leasedTo}): the checkpointer looks at the connections on each of its
 * ticks, and a lease's age counts from the first look that saw it. Ages are therefore short by up
 * to one checkpoint interval, which is fine for a report about leases held for seconds.
 */
final class LeaseAges {

    private final Supplier<List<PooledConnection>> connections;

    /** Guarded by this: the leases seen, by connection. */
    private Map<PooledConnection, Taken> seen = new HashMap<>();

    LeaseAges(Supplier<List<PooledConnection>> connections) {
        this.connections = connections;
    }

    /** Looks at the connections now: leases seen for the first time count from now. */
    synchronized void observe() {
        long now = System.nanoTime();
        Map<PooledConnection, Taken> next = new HashMap<>();
        for (PooledConnection connection : connections.get()) {
            if (connection.state() != PooledConnection.Lifecycle.LEASED) {
                continue;
            }
            int count = connection.leaseCount();
            Taken before = seen.get(connection);
            if (before != null && before.leaseCount() == count) {
                next.put(connection, before);
            } else {
                Thread thread = connection.leaseThread();
                next.put(connection, new Taken(thread == null ? "unknown" : thread.getName(), now, count));
            }
        }
        seen = next;
    }

    /** The lease out longest, as of a look now, or null when none is out. */
    synchronized Taken oldest() {
        observe();
        Taken oldest = null;
        for (Taken taken : seen.values()) {
            if (oldest == null || taken.sinceNanos() - oldest.sinceNanos() < 0) {
                oldest = taken;
            }
        }
        return oldest;
    }

    /**
     * A lease out: the thread that took it, since when (in {@link System#nanoTime()} terms) it has
     * been seen, and the connection's lease count that identifies it.
     */
    record Taken(String thread, long sinceNanos, int leaseCount) {
    }
}
