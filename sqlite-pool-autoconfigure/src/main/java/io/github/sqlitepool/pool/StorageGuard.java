package io.github.sqlitepool.pool;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.sqlitepool.pool.config.SqliteUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses writes once the database's files are no longer those the pool opened, and saves the
 * WAL the connections still have open when its file was deleted or replaced.
 */
final class StorageGuard {

    // under the pool's logger, where these messages were before the guard had a class of its own
    private static final Logger log = LoggerFactory.getLogger(SqlitePool.class);

    /** How often the write path compares the database's files with those the pool opened. */
    private static final long IDENTITY_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Where the WAL's rescue takes its lease: the pool's own lease path. */
    interface RescueLeases {

        /** A lease of a pooled connection, or null when the pool is closed. */
        ConnectionLease leaseUnlessClosed() throws SQLException;
    }

    private final String poolName;

    /** The database's URL, as in messages. */
    private final SqliteUrl url;

    /** Null for an in-memory database. */
    private final StorageIdentity identity;

    /** Null when {@code write-lane.enabled} is false. */
    private final WriteLane writeLane;

    private final long laneTimeoutNanos;

    private final RescueLeases leases;

    /**
     * Held while the files are compared and a deleted WAL is saved: a lock, not a monitor, since
     * the comparison reads the files and a virtual thread must not block in I/O holding a monitor.
     */
    private final ReentrantLock walRescue = new ReentrantLock();

    /** When the write path next compares the files' identities, in {@link System#nanoTime()} terms. */
    private volatile long nextIdentityCheckNanos;

    /**
     * @param identity         the files to watch; null for an in-memory database (nothing is refused)
     * @param writeLane        the lane the rescue checkpoint holds; null when the lane is off
     * @param laneTimeoutNanos how long the rescue waits for the lane
     */
    StorageGuard(String poolName, SqliteUrl url, StorageIdentity identity, WriteLane writeLane, long laneTimeoutNanos,
            RescueLeases leases) {
        this.poolName = poolName;
        this.url = url;
        this.identity = identity;
        this.writeLane = writeLane;
        this.laneTimeoutNanos = laneTimeoutNanos;
        this.leases = leases;
    }

    /** Records the files' identities: call once the pool's connections are open. */
    void recordIdentity() {
        if (identity != null) {
            identity.record();
        }
    }

    /** The pool had no connection open: SQLite removed the {@code -wal} and {@code -shm} files with the last one. */
    void journalFilesRecreated() {
        if (identity != null) {
            identity.journalFilesRecreated();
        }
    }

    /** The fault found so far, or null. */
    String fault() {
        return identity == null ? null : identity.fault();
    }

    /**
     * Refuses a write of {@code lease} when the database, {@code -wal} or {@code -shm} file was
     * deleted, replaced, truncated or overwritten: SQLite would acknowledge it, and a crash would
     * lose it. The files are compared at most every {@link #IDENTITY_CHECK_INTERVAL_NANOS}. The
     * WAL's rescue needs the write lane, so a writer that holds it (through {@code lease}, or its
     * thread through another) leaves the rescue to the next writer that does not.
     */
    void refuseWritesOnStorageFault(ConnectionLease lease) throws SQLException {
        if (identity == null) {
            return;
        }
        String fault = identity.fault();
        long now = System.nanoTime();
        if (fault == null && now - nextIdentityCheckNanos < 0) {
            return; // the common case: no fault, and no check due
        }
        boolean mayRescue = mayRescue(lease);
        if (fault == null) {
            nextIdentityCheckNanos = now + IDENTITY_CHECK_INTERVAL_NANOS;
            fault = checkStorageIdentity(mayRescue);
        } else if (mayRescue && identity.walRescuePending()) {
            checkStorageIdentity(true); // a rescue a lane holder had to leave
        }
        if (fault != null) {
            throw mayRescue ? storageRefusal(fault) : refusal(fault); // a lane holder must not wait for the rescue
        }
    }

    /**
     * Whether the WAL's rescue, which takes the write lane, may run for {@code lease}'s write: neither
     * it nor its thread holds the lane, or holds it only revocably (a transaction about to write for
     * the first time): the rescue's connection, of the same thread, takes that hold at once. Else
     * the refusal would reach the caller before the WAL is saved, and a crash then would lose the
     * commits that only the deleted file holds.
     */
    private boolean mayRescue(ConnectionLease lease) {
        Thread current = Thread.currentThread();
        return writeLane == null || writeLane.holder().isHeldRevocablyByThread(current)
                || !(writeLane.holder().isHeldBy(lease) || writeLane.holder().isHeldByThread(current));
    }

    /** The refusal of a write; reported only once the WAL's rescue (if one runs) has ended. */
    SQLException storageRefusal(String fault) {
        walRescue.lock(); // the refusal must not reach the caller before the WAL it could not write to is saved
        walRescue.unlock();
        return refusal(fault);
    }

    private SQLException refusal(String fault) {
        return new SQLException("sqlite-pool '" + poolName + "' refuses writes: " + fault, "58030");
    }

    /** Compares the files now (see {@link #checkStorageIdentity}); null for an in-memory database. */
    String checkNow() {
        return identity == null ? null
                : checkStorageIdentity(writeLane == null || !writeLane.holder().isHeldByThread(Thread.currentThread()));
    }

    /**
     * Compares the files now; when the {@code -wal} or {@code -shm} file has just been found
     * deleted or replaced, checkpoints the WAL the connections still have open into the database
     * file, so that the commits it alone holds survive a crash.
     */
    private String checkStorageIdentity(boolean mayRescue) {
        walRescue.lock();
        try {
            return checkAndRescue(mayRescue);
        } finally {
            walRescue.unlock();
        }
    }

    private String checkAndRescue(boolean mayRescue) {
        String fault = identity.check();
        if (fault != null && mayRescue && identity.takeWalRescue() && !rescueWal()) {
            identity.walRescueAgain(); // the next writer without the lane tries again
        }
        return fault;
    }

    /** @return false when the checkpoint could not run (it is to be tried again) */
    private boolean rescueWal() {
        try {
            ConnectionLease lease = leases.leaseUnlessClosed();
            if (lease == null) {
                return true; // closing: its close checkpoints the WAL
            }
            try (lease) {
                boolean busy = checkpointUnderLane(lease);
                if (busy) {
                    log.error("Pool '{}' could not checkpoint the open WAL into {} (readers or a writer kept it busy); "
                            + "stop the application cleanly so that its close checkpoints it", poolName, url);
                } else {
                    log.warn("Pool '{}' checkpointed the open WAL into the database file, so that the commits it "
                            + "held survive; further writes are refused", poolName);
                }
                return !busy;
            }
        } catch (SQLException e) {
            log.error("Pool '{}' could not checkpoint the open WAL into the database file: {}; the next refused write "
                    + "tries again; or stop the application cleanly so that its close checkpoints it", poolName,
                    e.getMessage(), e);
            return false;
        }
    }

    /**
     * Checkpoints (TRUNCATE) on {@code lease}'s connection holding the write lane, so that no
     * writer that took the lane before the fault was found commits after the checkpoint.
     *
     * @return whether the checkpoint was blocked
     */
    private boolean checkpointUnderLane(ConnectionLease lease) throws SQLException {
        if (writeLane != null) {
            writeLane.acquire(lease, laneTimeoutNanos);
        }
        try (Statement statement = lease.entry.raw().createStatement();
                ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            return result.next() && result.getInt(1) != 0;
        } finally {
            if (writeLane != null) {
                writeLane.release(lease);
            }
        }
    }
}
