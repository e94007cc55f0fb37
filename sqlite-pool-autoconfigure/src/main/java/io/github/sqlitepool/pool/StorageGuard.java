package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's view of its storage on the write path: refuses writes once the database,
 * {@code -wal} or {@code -shm} file was deleted, replaced, truncated or overwritten (SQLite would
 * acknowledge them, and a crash would lose them), counts write-lane holds that changed rows as
 * writes that succeeded, remembers storage failures, and explains a lane timeout that another
 * process's lock caused.
 */
final class StorageGuard {

    private static final Logger log = LoggerFactory.getLogger(StorageGuard.class);

    /** How often the write path compares the database's files with those the pool opened. */
    private static final long IDENTITY_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** SQLState class 58, system error: the storage under the database cannot be trusted. */
    private static final String SYSTEM_ERROR = "58030";

    /**
     * Checkpoints (TRUNCATE) the WAL the connections still have open into the database file,
     * holding the write lane; answers whether the checkpoint was blocked.
     */
    interface WalSaver {

        boolean checkpointUnderLane() throws SQLException;
    }

    private final SqlitePoolConfig config;

    private final WriteOutcomes outcomes;

    /** Null for an in-memory database. */
    private final StorageIdentity identity;

    private final WalSaver walSaver;

    /** Held while the files are compared and a deleted WAL is saved. */
    private final Object walRescue = new Object();

    /** When the write path next compares the files' identities, in {@link System#nanoTime()} terms. */
    private volatile long nextIdentityCheckNanos;

    /** The lane holder's connection's total changes and the storage failures when it took the lane. */
    private long changesAtLaneAcquire;

    private long failuresAtLaneAcquire;

    StorageGuard(SqlitePoolConfig config, WalSaver walSaver) {
        this.config = config;
        this.outcomes = new WriteOutcomes(config.name(), Clock.systemUTC());
        this.identity = config.url().file().map(file -> new StorageIdentity(config.name(), file)).orElse(null);
        this.walSaver = walSaver;
    }

    /** The pool has opened its connections: the files they opened are the ones to compare with. */
    void opened() {
        if (identity != null) {
            identity.record();
        }
    }

    /** The pool opened a connection after it had none: SQLite created the journal files again. */
    void reopenedAfterNone() {
        if (identity != null) {
            identity.journalFilesRecreated();
        }
    }

    /** Before a writer waits for the lane: refuses it when a fault is known or found now. */
    void checkBeforeWrite() throws SQLException {
        if (identity == null) {
            return;
        }
        String fault = identity.fault();
        long now = System.nanoTime();
        if (fault == null && now - nextIdentityCheckNanos >= 0) {
            nextIdentityCheckNanos = now + IDENTITY_CHECK_INTERVAL_NANOS;
            fault = checkIdentity();
        }
        if (fault != null) {
            throw refusal(fault);
        }
    }

    /**
     * A writer got the lane: the refusal to throw (after releasing the lane) when a fault was
     * found while it waited, else null; the WAL was saved under the lane and must stay so.
     */
    SQLException laneTaken(ConnectionLease lease) {
        if (identity != null && identity.fault() != null) {
            return refusal(identity.fault());
        }
        changesAtLaneAcquire = totalChanges(lease);
        failuresAtLaneAcquire = outcomes.failureCount();
        return null;
    }

    /** The lane holder lets go: a hold that changed rows and saw no storage failure is a write that succeeded. */
    void laneReleasing(ConnectionLease lease) {
        if (outcomes.failureCount() == failuresAtLaneAcquire && totalChanges(lease) != changesAtLaneAcquire) {
            outcomes.succeeded();
        }
    }

    /** A statement, commit or rollback failed; a storage failure is remembered. */
    void failed(Throwable failure) {
        outcomes.failed(failure);
    }

    /**
     * A lane timeout, saying so when SQLite answered busy lately: the lane holder is then
     * waiting for a write lock another process holds, not writing.
     */
    SQLTransientConnectionException explainLaneTimeout(SQLTransientConnectionException timeout) {
        long since = outcomes.nanosSinceBusy();
        Duration busyTimeout = config.pragmas().busyTimeout() == null ? Duration.ZERO : config.pragmas().busyTimeout();
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
     * What the pool knows about its storage now: a fault in its files (compared now), and
     * whether recent writes failed in storage. Cheap enough for every health check.
     */
    StorageHealth health() {
        String fault = identity == null ? null : checkIdentity();
        WriteOutcomes.Failure failure = outcomes.lastFailure();
        return new StorageHealth(fault, outcomes.failing(), failure == null ? null : failure.message(),
                failure == null ? null : failure.at(), outcomes.lastSuccess(), outcomes.failureCount());
    }

    /** The refusal of a write; reported only once the WAL's rescue (if one runs) has ended. */
    private SQLException refusal(String fault) {
        synchronized (walRescue) {
            // the refusal must not reach the caller before the WAL it could not write to is saved
        }
        return new SQLException("sqlite-pool '" + config.name() + "' refuses writes: " + fault, SYSTEM_ERROR);
    }

    /**
     * Compares the files now; when the {@code -wal} or {@code -shm} file has just been found
     * deleted or replaced, checkpoints the WAL the connections still have open into the database
     * file, so that the commits it alone holds survive a crash.
     */
    private String checkIdentity() {
        synchronized (walRescue) {
            String fault = identity.check();
            if (fault != null && identity.takeWalRescue()) {
                saveWal();
            }
            return fault;
        }
    }

    private void saveWal() {
        try {
            if (walSaver.checkpointUnderLane()) {
                log.error("Pool '{}' could not checkpoint the open WAL into {} (readers or a writer kept it busy); "
                        + "stop the application cleanly so that its close checkpoints it", config.name(), config.url());
            } else {
                log.warn("Pool '{}' checkpointed the open WAL into the database file, so that the commits it "
                        + "held survive; further writes are refused", config.name());
            }
        } catch (SQLException e) {
            log.error("Pool '{}' could not checkpoint the open WAL into the database file: {}; stop the "
                    + "application cleanly so that its close checkpoints it", config.name(), e.getMessage(), e);
        }
    }

    private static long totalChanges(ConnectionLease lease) {
        try {
            return ((org.sqlite.SQLiteConnection) lease.entry.raw()).getDatabase().total_changes();
        } catch (SQLException | RuntimeException e) {
            return -1; // a closed connection: the outcome is not counted either way
        }
    }
}
