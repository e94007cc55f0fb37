package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leases out now, with the thread that took each and when: a lease that stays open may hold
 * a read snapshot that keeps checkpoints from finishing, and this names the oldest.
 */
final class LeaseAges implements PoolListener {

    private final Map<Connection, Taken> out = new ConcurrentHashMap<>();

    @Override
    public void leaseAcquired(Connection lease, long waitNanos) {
        out.put(lease, new Taken(Thread.currentThread().getName(), System.nanoTime()));
    }

    @Override
    public void leaseReleased(Connection lease, long heldNanos) {
        out.remove(lease);
    }

    /** The lease out longest, or null when none is out. */
    Taken oldest() {
        Taken oldest = null;
        for (Taken taken : out.values()) {
            if (oldest == null || taken.sinceNanos() - oldest.sinceNanos() < 0) {
                oldest = taken;
            }
        }
        return oldest;
    }

    /** A lease out: the thread that took it and when, in {@link System#nanoTime()} terms. */
    record Taken(String thread, long sinceNanos) {
    }
}
