package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes connections back from leases and keeps the pool at its size: a returned connection is
 * reset and kept, or closed and replaced; a reserve connection goes back to its slot.
 */
final class ConnectionRecycler {

    // under the pool's logger, where these messages were before the recycler had a class of its own
    private static final Logger log = LoggerFactory.getLogger(SqlitePool.class);

    private final String poolName;

    private final int maxConnections;

    private final PooledConnectionOpener opener;

    private final IdleConnections idle;

    /** Null when {@code write-lane.enabled} is false. */
    private final ReserveConnections reserve;

    private final PoolCounters counters;

    private final StorageGuard storageGuard;

    private final ClosedFlag closed;

    /** Held by the one thread that opens replacement connections, so that they never exceed the size. */
    private final ReentrantLock refilling = new ReentrantLock();

    ConnectionRecycler(String poolName, int maxConnections, PooledConnectionOpener opener, IdleConnections idle,
            ReserveConnections reserve, PoolCounters counters, StorageGuard storageGuard, ClosedFlag closed) {
        this.poolName = poolName;
        this.maxConnections = maxConnections;
        this.opener = opener;
        this.idle = idle;
        this.reserve = reserve;
        this.counters = counters;
        this.storageGuard = storageGuard;
        this.closed = closed;
    }

    /**
     * Settles the lease's group and resets its connection for the next lease; whether that worked.
     * The lease still holds the write lane: {@link #takeBack} follows once it has let it go.
     */
    boolean reset(ConnectionLease lease) {
        lease.settleGroup(); // may change which connection is the lease's
        PooledConnection connection = lease.entry;
        if (connection.isClosed()) {
            return false; // closed by a forced shutdown while it was leased
        }
        try {
            lease.reset();
            return true;
        } catch (SQLException | RuntimeException e) {
            if (!closed.isClosed()) {
                log.warn("Pool '{}' replaces a {}connection that could not be reset: {}", poolName,
                        reserve != null && reserve.owns(connection) ? "reserve " : "", e.getMessage());
            }
            // closed now, while the lease holds the lane: a transaction it may have left open (and
            // SQLite's write lock with it) ends before the next writer begins
            closeQuietly(connection);
            return false;
        }
    }

    /**
     * Takes the lease's connection back after {@link #reset}: into the idle queue (or its reserve
     * slot) when {@code reusable}, else closed and replaced.
     */
    void takeBack(ConnectionLease lease, boolean reusable) {
        PooledConnection connection = lease.entry;
        if (reserve != null && reserve.owns(connection)) {
            takeBackReserve(connection, reusable);
            return;
        }
        if (reusable && !closed.isClosed() && idle.offer(connection, maxConnections)) {
            return;
        }
        discard(connection);
        if (!reusable) {
            refill();
        }
    }

    /** Takes a reserve connection back: into its slot, or closed and replaced. */
    private void takeBackReserve(PooledConnection connection, boolean reusable) {
        if (reusable && reserve.giveBack(connection)) {
            return;
        }
        int slot = reserve.forget(connection);
        closeQuietly(connection);
        if (closed.isClosed() || slot < 0) {
            return;
        }
        try {
            PooledConnection replacement = opener.open();
            if (!reserve.add(slot, replacement)) {
                closeQuietly(replacement);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Pool '{}' could not open a replacement reserve connection: {}", poolName, e.getMessage(), e);
        }
    }

    /**
     * Opens connections until the pool is back at its size, after broken ones were dropped. One
     * thread refills at a time; the others go on waiting for what it opens.
     */
    void refill() {
        while (!closed.isClosed() && open() < maxConnections && refilling.tryLock()) {
            try {
                while (!closed.isClosed() && open() < maxConnections) {
                    PooledConnection connection;
                    try {
                        boolean first = open() == 0;
                        connection = opener.open();
                        if (first) {
                            storageGuard.journalFilesRecreated();
                        }
                    } catch (SQLException | RuntimeException e) {
                        log.warn("Pool '{}' could not open a replacement connection: {}", poolName,
                                e.getMessage(), e);
                        return;
                    }
                    if (!idle.offer(connection, maxConnections)) {
                        discard(connection);
                    }
                }
            } finally {
                refilling.unlock();
            }
        }
    }

    /** Connections the pool holds open now, idle or leased. */
    private int open() {
        return counters.stats().total();
    }

    /** Closes a connection the pool does not count (a reserve connection); only the first call acts. */
    void closeQuietly(PooledConnection connection) {
        if (connection.markClosed()) {
            closeDriverConnection(connection);
        }
    }

    /** Closes a connection (only the first call for it closes it) and stops counting it. */
    void discard(PooledConnection connection) {
        idle.forget(connection); // also one closed already: by a forced shutdown, or as it could not be reset
        closeQuietly(connection);
    }

    private void closeDriverConnection(PooledConnection connection) {
        try {
            connection.raw().close();
        } catch (SQLException e) {
            log.warn("Pool '{}' could not close a connection cleanly: {}", poolName, e.getMessage(), e);
        }
    }
}
