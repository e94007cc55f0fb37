package io.github.sqlitepool.pool;

import java.time.Instant;

/**
 * What the pool's checkpointer has done and whether readers starve it (see
 * {@link SqlitePool#checkpointStats()}).
 *
 * @param enabled           whether the checkpointer runs (off for in-memory and non-WAL databases)
 * @param walSizeBytes      the WAL's size when last looked at
 * @param checkpoints       checkpoints run (PASSIVE and TRUNCATE)
 * @param truncations       TRUNCATE checkpoints that emptied the WAL
 * @param lastCompletedAt   when a checkpoint last copied the whole WAL; null if never
 * @param starvedMillis     how long checkpoints have been incomplete because readers keep old
 *                          snapshots (or a writer held on); 0 when the last one completed
 * @param oldestLeaseThread the thread holding the oldest lease out now; null when none is out
 * @param oldestLeaseMillis how long that lease has been out; 0 when none is out
 */
public record CheckpointStats(boolean enabled, long walSizeBytes, long checkpoints, long truncations,
        Instant lastCompletedAt, long starvedMillis, String oldestLeaseThread, long oldestLeaseMillis) {

    /** The stats of a pool that runs no checkpointer. */
    public static final CheckpointStats DISABLED = new CheckpointStats(false, 0, 0, 0, null, 0, null, 0);
}
