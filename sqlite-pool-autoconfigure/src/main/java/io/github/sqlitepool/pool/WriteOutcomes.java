package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's record of what its storage did with recent writes: the last failure SQLite
 * blamed on the storage (disk full, I/O error, read-only file, corruption, file cannot be
 * opened) and the last write transaction that changed rows and ended without one.
 *
 * <p>Writes count as failing while the last storage failure is newer than the last success
 * and younger than {@link #FAILURE_MEMORY}: a success ends it at once; without writes, a
 * failure is forgotten after that time, since nothing then shows whether it would still fail.
 * Errors that are the caller's (constraints, syntax, busy) are not storage failures.
 */
final class WriteOutcomes {

    private static final Logger log = LoggerFactory.getLogger(WriteOutcomes.class);

    /** How long a storage failure counts as current when no write has succeeded since. */
    static final Duration FAILURE_MEMORY = Duration.ofMinutes(1);

    /** SQLite's primary result codes that say the storage failed the write. */
    private static final Set<Integer> STORAGE_CODES = Set.of(8 /* READONLY */, 10 /* IOERR */, 11 /* CORRUPT */,
            13 /* FULL */, 14 /* CANTOPEN */, 26 /* NOTADB */);

    private final String poolName;

    private final Clock clock;

    private final LongAdder failures = new LongAdder();

    private volatile Failure lastFailure;

    private volatile Instant lastSuccess;

    /** When SQLite last answered SQLITE_BUSY, in nanoTime terms; 0 if never. */
    private volatile long lastBusyNanos;

    /** Whether the database was opened read-only ({@code mode=ro}): writes there are refused, not failed. */
    private final boolean readOnlyDatabase;

    WriteOutcomes(String poolName, Clock clock, boolean readOnlyDatabase) {
        this.poolName = poolName;
        this.clock = clock;
        this.readOnlyDatabase = readOnlyDatabase;
    }

    /**
     * Whether SQLite blamed the storage for {@code e} (its primary result code). On a database
     * opened read-only ({@code readOnlyDatabase}: {@code mode=ro}) a plain {@code SQLITE_READONLY}
     * is a write it does not allow, an application's mistake, not the storage's.
     */
    static boolean isStorageFailure(Throwable e, boolean readOnlyDatabase) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && STORAGE_CODES.contains(sql.getErrorCode() & 0xff)
                    && !(readOnlyDatabase && sql instanceof org.sqlite.SQLiteException driver
                            && driver.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_READONLY)) {
                return true;
            }
        }
        return false;
    }

    /** Records {@code e} when it is a storage failure; ignores any other error. */
    void failed(Throwable e) {
        if (e instanceof SQLException sql && (sql.getErrorCode() & 0xff) == 5 /* BUSY */) {
            lastBusyNanos = System.nanoTime() | 1;
        }
        if (!isStorageFailure(e, readOnlyDatabase)) {
            return;
        }
        boolean first = !failing();
        failures.increment();
        lastFailure = new Failure(clock.instant(), e.getMessage());
        if (first) {
            log.error("Pool '{}': a write failed in storage: {}; writes are reported failing (health DOWN) until "
                    + "one succeeds", poolName, e.getMessage());
        }
    }

    /** Records a write transaction that changed rows and saw no storage failure. */
    void succeeded() {
        boolean wasFailing = failing();
        lastSuccess = clock.instant();
        if (wasFailing) {
            log.info("Pool '{}': writes succeed again", poolName);
        }
    }

    /**
     * How long ago SQLite last answered {@code SQLITE_BUSY}, or -1 if never. With the write lane
     * no two of the pool's writers meet in SQLite, so a busy answer means another process (or a
     * connection outside the pool) held SQLite's write lock.
     */
    long nanosSinceBusy() {
        long at = lastBusyNanos;
        return at == 0 ? -1 : System.nanoTime() - at;
    }

    /** How many storage failures since the pool started. */
    long failureCount() {
        return failures.sum();
    }

    /** Whether the last storage failure is newer than the last success and still remembered. */
    boolean failing() {
        Failure failure = lastFailure;
        if (failure == null || failure.at().plus(FAILURE_MEMORY).isBefore(clock.instant())) {
            return false;
        }
        Instant success = lastSuccess;
        return success == null || success.isBefore(failure.at());
    }

    Failure lastFailure() {
        return lastFailure;
    }

    Instant lastSuccess() {
        return lastSuccess;
    }

    /** A storage failure: when, and SQLite's message. */
    record Failure(Instant at, String message) {
    }
}
