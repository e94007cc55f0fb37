package io.github.sqlitepool.autoconfigure;

import java.time.Duration;

import io.github.sqlitepool.pool.config.CheckpointSettings;

/** The pool's checkpointer, which keeps the WAL bounded while readers and writers keep going. */
public class CheckpointProperties {

    /**
     * Whether the pool runs its own WAL checkpoints: PASSIVE when writes pause, TRUNCATE
     * (holding the write lane for at most max-writer-block) once the WAL reaches
     * truncate-wal-size. Off leaves SQLite's automatic checkpoints and the one on close.
     */
    private boolean enabled = CheckpointSettings.DEFAULTS.enabled();

    /**
     * How often the checkpointer looks at the WAL's size.
     */
    private Duration interval = CheckpointSettings.DEFAULTS.interval();

    /**
     * WAL size in bytes from which the checkpointer truncates the WAL (wal_checkpoint(TRUNCATE)).
     */
    private long truncateWalSize = CheckpointSettings.DEFAULTS.truncateWalSize();

    /**
     * The longest the checkpointer waits for the write lane, and then for readers while it
     * holds the lane; writers wait at most this long for it.
     */
    private Duration maxWriterBlock = CheckpointSettings.DEFAULTS.maxWriterBlock();

    /**
     * How long checkpoints may stay incomplete, because readers keep old snapshots open,
     * before a WARN names the thread holding the oldest lease.
     */
    private Duration starvationWarning = CheckpointSettings.DEFAULTS.starvationWarning();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public long getTruncateWalSize() {
        return truncateWalSize;
    }

    public void setTruncateWalSize(long truncateWalSize) {
        this.truncateWalSize = truncateWalSize;
    }

    public Duration getMaxWriterBlock() {
        return maxWriterBlock;
    }

    public void setMaxWriterBlock(Duration maxWriterBlock) {
        this.maxWriterBlock = maxWriterBlock;
    }

    public Duration getStarvationWarning() {
        return starvationWarning;
    }

    public void setStarvationWarning(Duration starvationWarning) {
        this.starvationWarning = starvationWarning;
    }

    CheckpointSettings toSettings() {
        return new CheckpointSettings(enabled, interval, truncateWalSize, maxWriterBlock, starvationWarning);
    }
}
