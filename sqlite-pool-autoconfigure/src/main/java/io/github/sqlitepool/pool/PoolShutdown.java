package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a pool that has stopped handing out leases: waits up to {@code shutdown-timeout} for
 * leases in flight, closes the connections of those still out, stops the checkpointer, runs the
 * {@link ClosingCheckpoint}, and closes every connection.
 */
final class PoolShutdown {

    // under the pool's logger, where these messages were before the shutdown had a class of its own
    private static final Logger log = LoggerFactory.getLogger(SqlitePool.class);

    private final SqlitePoolConfig config;

    private final IdleConnections idle;

    /** Null when {@code write-lane.enabled} is false. */
    private final ReserveConnections reserve;

    private final ConnectionRecycler recycler;

    /** Null when the pool runs without one. */
    private final Checkpointer checkpointer;

    private final ClosingCheckpoint closingCheckpoint;

    /** Null unless the database is in memory. */
    private final Connection memoryAnchor;

    PoolShutdown(SqlitePoolConfig config, IdleConnections idle, ReserveConnections reserve,
            ConnectionRecycler recycler, Checkpointer checkpointer, ClosingCheckpoint closingCheckpoint,
            Connection memoryAnchor) {
        this.config = config;
        this.idle = idle;
        this.reserve = reserve;
        this.recycler = recycler;
        this.checkpointer = checkpointer;
        this.closingCheckpoint = closingCheckpoint;
        this.memoryAnchor = memoryAnchor;
    }

    /** Runs the shutdown; call once, after the pool was marked closed. */
    void run() {
        List<PooledConnection> drained = idle.close();
        if (reserve != null) {
            reserve.close().forEach(recycler::closeQuietly); // leased ones are closed when they come back
        }
        awaitLeasesInFlight();
        int stillOut = leasesOut();
        if (stillOut > 0) {
            log.warn("Pool '{}' is closing with {} lease(s) still out after {} ms: closing their connections",
                    config.name(), stillOut, config.shutdownTimeout().toMillis());
            for (PooledConnection connection : idle.members()) {
                if (!drained.contains(connection)) {
                    connection.interrupt(); // a statement still running would hold up the close
                    recycler.discard(connection);
                }
            }
            for (PooledConnection connection : reserveLeased()) {
                connection.interrupt();
                reserve.forget(connection);
                recycler.closeQuietly(connection);
            }
        }
        if (checkpointer != null) {
            checkpointer.close();
        }
        closingCheckpoint.run(drained);
        for (PooledConnection connection : drained) {
            recycler.discard(connection);
        }
        if (memoryAnchor != null) {
            try {
                memoryAnchor.close();
            } catch (SQLException e) {
                log.warn("Pool '{}' could not close its in-memory database cleanly: {}", config.name(), e.getMessage());
            }
        }
        log.info("Pool '{}' closed", config.name());
    }

    /** Leases still out: of the pool's connections, and of the reserve's. */
    private int leasesOut() {
        return idle.count(PooledConnection.Lifecycle.LEASED) + reserveLeased().size();
    }

    /** The reserve's connections still leased: once the reserve is closed, the only ones it still knows. */
    private List<PooledConnection> reserveLeased() {
        return reserve == null ? List.of() : reserve.members();
    }

    private void awaitLeasesInFlight() {
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        while (leasesOut() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Pool '{}' was interrupted while waiting for leases in flight; closing now", config.name());
                return;
            }
        }
    }
}
