package io.github.sqlitepool.pool;

import java.time.Instant;

/**
 * Whether the pool's storage takes writes now, as the pool last saw it (see
 * {@link SqlitePool#storageHealth()}).
 *
 * @param fault              why the pool refuses writes (the database, {@code -wal} or
 *                           {@code -shm} file deleted, replaced, truncated or overwritten),
 *                           naming the file and what to do; null when none. Lasts until the
 *                           pool is restarted.
 * @param writesFailing      whether recent writes failed in storage (disk full, I/O error,
 *                           read-only file system) and none has succeeded since
 * @param lastFailure        SQLite's message for the last storage failure; null if none
 * @param lastFailureAt      when it happened; null if never
 * @param lastSuccessAt      when a write transaction last changed rows without a storage
 *                           failure; null if never (counted only with the write lane on)
 * @param failureCount       storage failures since the pool started
 */
public record StorageHealth(String fault, boolean writesFailing, String lastFailure, Instant lastFailureAt,
        Instant lastSuccessAt, long failureCount) {

    /** Whether writes can be expected to succeed: no fault and no current storage failure. */
    public boolean writable() {
        return fault == null && !writesFailing;
    }
}
