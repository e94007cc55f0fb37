package io.github.sqlitepool.pool;

/** Reads the pool's counters from its connections' states, its queue of waiters and its reserve. */
final class PoolCounters {

    private final String poolName;

    private final int maxConnections;

    private final IdleConnections idle;

    /** Null when {@code write-lane.enabled} is false. */
    private final ReserveConnections reserve;

    PoolCounters(String poolName, int maxConnections, IdleConnections idle, ReserveConnections reserve) {
        this.poolName = poolName;
        this.maxConnections = maxConnections;
        this.idle = idle;
        this.reserve = reserve;
    }

    /** The pool's counters now. */
    PoolStats stats() {
        PoolStats stats = idle.stats(poolName, maxConnections);
        if (reserve == null) {
            return stats;
        }
        return new PoolStats(stats.name(), stats.max(), stats.total(), stats.active(), stats.idle(), stats.waiting(),
                reserve.leases());
    }
}
