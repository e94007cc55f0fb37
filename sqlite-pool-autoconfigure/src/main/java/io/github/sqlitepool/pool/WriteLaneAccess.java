package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;

import io.github.sqlitepool.pool.config.SqlitePoolConfig;

/**
 * Takes and releases the {@link WriteLane} for leases: bounds the wait, refuses writes on a
 * storage fault, tells the listeners, and counts a hold that changed rows as a write that
 * succeeded.
 */
final class WriteLaneAccess {

    private final SqlitePoolConfig config;

    private final WriteLane writeLane;

    private final StorageGuard storageGuard;

    private final WriteOutcomes writeOutcomes;

    private final PoolListeners listeners;

    /** The lane holder's connection's total changes and the storage failures when it took the lane. */
    private long changesAtLaneAcquire;

    private long failuresAtLaneAcquire;

    WriteLaneAccess(SqlitePoolConfig config, WriteLane writeLane, StorageGuard storageGuard,
            WriteOutcomes writeOutcomes, PoolListeners listeners) {
        this.config = config;
        this.writeLane = writeLane;
        this.storageGuard = storageGuard;
        this.writeOutcomes = writeOutcomes;
        this.listeners = listeners;
    }

    /**
     * Takes the lane for {@code lease} firmly, waiting at most {@code acquire-timeout} and the
     * running execution's query timeout. An auto-commit {@code write} that may run in a commit
     * group (null for any other request) may be run by a group's holder instead; false when it was.
     */
    boolean acquire(ConnectionLease lease, QueuedWrite<?> write) throws SQLException {
        return acquire(lease, false, false, write);
    }

    /**
     * Takes the lane for {@code lease} revocably, waiting a bounded time; false when it was not
     * served. A {@code joinable} request may be handed the lane to join a commit group.
     */
    boolean acquireRevocably(ConnectionLease lease, boolean joinable) throws SQLException {
        return acquire(lease, true, joinable, null);
    }

    private boolean acquire(ConnectionLease lease, boolean revocable, boolean joinable, QueuedWrite<?> write)
            throws SQLException {
        if (!revocable) {
            storageGuard.refuseWritesOnStorageFault(lease); // a first read takes the lane revocably, and reads go on whatever the storage
        }
        boolean heldAlready = writeLane.holder().isHeldBy(lease); // an open write result keeps it, and asks again
        boolean told = listeners.any();
        long start = told ? System.nanoTime() : 0L;
        long timeout = config.acquireTimeout().toNanos();
        long deadline = lease.executionTimeLeftNanos(); // a query timeout bounds the wait too
        long timeoutNanos = deadline < 0 ? timeout : Math.min(timeout, deadline);
        if (revocable) {
            if (!writeLane.acquireRevocable(lease, timeoutNanos, joinable)) {
                return false;
            }
        } else {
            try {
                if (!writeLane.acquire(lease, timeoutNanos, write)) {
                    return false; // a group's holder ran the write: the outcome is the group's
                }
            } catch (SQLTransientConnectionException e) {
                listeners.tell(PoolListener::writeLaneTimedOut);
                throw explainLaneTimeout(e);
            }
            if (storageGuard.fault() != null) {
                // found while this writer waited: the WAL was saved under the lane, and must stay so
                giveUp(lease);
                throw storageGuard.storageRefusal(storageGuard.fault());
            }
        }
        if (lease.isClosed()) {
            // closed by another thread while it waited: its connection may be another lease's by now
            if (!heldAlready) {
                giveUp(lease); // a hold it had already goes when the close has reset its connection
            }
            throw new SQLException("the connection was closed while it waited for the write lane",
                    SqlStates.CONNECTION_CLOSED);
        }
        changesAtLaneAcquire = totalChanges(lease); // a read's hold only counts the write outcome
        failuresAtLaneAcquire = writeOutcomes.failureCount();
        if (told) {
            long waited = Math.max(0L, writeLane.holder().heldSinceNanos() - start);
            listeners.tell(listener -> listener.writeLaneAcquired(waited));
        }
        return true;
    }

    /** Lets go the lane {@code lease} was just given; one handed to join a group leaves the group first. */
    private void giveUp(ConnectionLease lease) {
        CommitGroup handed = writeLane.holder().groupOf(lease);
        if (handed == null) {
            writeLane.release(lease, false);
        } else if (handed.evict(lease)) { // its hold is the group's: the group ends without it
            writeLane.releaseEvicted(handed);
        }
    }

    /** Makes {@code lease}'s hold firm before its first write; false when it does not hold the lane. */
    boolean confirm(ConnectionLease lease) throws SQLException {
        storageGuard.refuseWritesOnStorageFault(lease);
        return writeLane.holder().confirm(lease);
    }

    /** Releases the lane if {@code lease} holds it; returns the lane's commit count as of the release. */
    long release(ConnectionLease lease, boolean committed) {
        noteLaneOutcome(lease, committed);
        if (!listeners.any() || !writeLane.holder().isHeldBy(lease)) {
            return writeLane.release(lease, committed);
        }
        long held = System.nanoTime() - writeLane.holder().heldSinceNanos();
        long commits = writeLane.release(lease, committed);
        listeners.tell(listener -> listener.writeLaneReleased(held));
        return commits;
    }

    /**
     * A lane timeout, saying so when SQLite answered busy lately: the lane holder is then
     * waiting for a write lock another process holds, not writing.
     */
    private SQLTransientConnectionException explainLaneTimeout(SQLTransientConnectionException timeout) {
        long since = writeOutcomes.nanosSinceBusy();
        java.time.Duration busyTimeout = config.pragmas().busyTimeout() == null ? java.time.Duration.ZERO
                : config.pragmas().busyTimeout();
        long window = config.acquireTimeout().toNanos() + busyTimeout.toNanos();
        if (since < 0 || since > window) {
            return timeout;
        }
        return new SQLTransientConnectionException(timeout.getMessage() + "; SQLite answered SQLITE_BUSY "
                + TimeUnit.NANOSECONDS.toMillis(since) + " ms ago: another process (or a connection outside this "
                + "pool) holds SQLite's write lock, and the lane holder waits for it up to busy-timeout "
                + busyTimeout.toMillis() + " ms. Find that writer (a command-line job, a backup "
                + "tool, a second application instance) and keep its transactions short", timeout.getSQLState(),
                timeout);
    }

    /**
     * A hold that {@code committed} rows with no storage failure meanwhile shows the storage takes
     * writes; rows changed and rolled back never reached it (they may have stayed in the page cache).
     */
    private void noteLaneOutcome(ConnectionLease lease, boolean committed) {
        if (!committed || !writeLane.holder().isHeldBy(lease)) {
            return;
        }
        long changes = totalChanges(lease);
        if (writeOutcomes.failureCount() == failuresAtLaneAcquire && changes >= 0 && changes != changesAtLaneAcquire) {
            writeOutcomes.succeeded();
        }
    }

    private static long totalChanges(ConnectionLease lease) {
        try {
            // the pool's own rows that set the connection's counters are no write of the application's
            return ((org.sqlite.SQLiteConnection) lease.delegate).getDatabase().total_changes()
                    - lease.connection().countersRows();
        } catch (SQLException | RuntimeException e) {
            return -1; // a closed connection: the outcome is not counted either way
        }
    }
}
