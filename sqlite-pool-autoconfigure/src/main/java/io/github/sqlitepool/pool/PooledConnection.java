package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/** One physical connection owned by the pool, leased out or idle. */
final class PooledConnection {

    private final Connection raw;

    private final int defaultIsolation;

    private final long createdAtNanos = System.nanoTime();

    private final AtomicBoolean discarded = new AtomicBoolean();

    PooledConnection(Connection raw) throws SQLException {
        this.raw = raw;
        this.defaultIsolation = raw.getTransactionIsolation();
    }

    Connection raw() {
        return raw;
    }

    int defaultIsolation() {
        return defaultIsolation;
    }

    long createdAtNanos() {
        return createdAtNanos;
    }

    /** Marks the connection as no longer the pool's; true only for the first caller. */
    boolean discard() {
        return discarded.compareAndSet(false, true);
    }

    boolean isDiscarded() {
        return discarded.get();
    }
}
