package io.github.sqlitepool.pool.config;

import java.time.Duration;

/**
 * How the pool keeps the WAL bounded ({@code sqlite.pool.checkpoint.*}); validated on
 * construction, naming the property and the value.
 *
 * @param enabled            whether the pool runs its own checkpoints
 * @param interval           how often the checkpointer looks at the WAL
 * @param truncateWalSize    WAL size in bytes from which the checkpointer takes the write lane
 *                           and runs {@code wal_checkpoint(TRUNCATE)}
 * @param maxWriterBlock     the longest the checkpointer waits for the write lane, and then
 *                           for readers while holding it (writers wait at most this long, plus
 *                           the few milliseconds the truncation takes)
 * @param starvationWarning  how long checkpoints may stay incomplete (readers keep old
 *                           snapshots) before a WARN names the oldest lease's thread
 */
public record CheckpointSettings(boolean enabled, Duration interval, long truncateWalSize, Duration maxWriterBlock,
        Duration starvationWarning) {

    /** The defaults: on, every second, TRUNCATE from 64 MiB, writers blocked at most 100 ms, WARN after 30 s. */
    public static final CheckpointSettings DEFAULTS = new CheckpointSettings(true, Duration.ofSeconds(1),
            64L * 1024 * 1024, Duration.ofMillis(100), Duration.ofSeconds(30));

    /** The checkpointer turned off: SQLite's automatic checkpoints and the one on close only. */
    public static final CheckpointSettings OFF = new CheckpointSettings(false, DEFAULTS.interval,
            DEFAULTS.truncateWalSize, DEFAULTS.maxWriterBlock, DEFAULTS.starvationWarning);

    /**
     * @throws PoolConfigurationException naming the property when a value is not usable
     */
    public CheckpointSettings {
        Durations.millisTimeout(interval, "sqlite.pool.checkpoint.interval");
        Durations.millisTimeout(maxWriterBlock, "sqlite.pool.checkpoint.max-writer-block");
        Durations.timeout(starvationWarning, "sqlite.pool.checkpoint.starvation-warning");
        if (truncateWalSize < 0) {
            throw new PoolConfigurationException("sqlite.pool.checkpoint.truncate-wal-size", truncateWalSize,
                    "must not be negative (0 truncates at every interval)");
        }
    }
}
