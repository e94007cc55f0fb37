package io.github.sqlitepool.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.sqlitepool.pool.config.CheckpointSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a pool's WAL bounded. SQLite's automatic checkpoint runs on commit and never waits, so
 * while readers keep old snapshots open it cannot finish and the WAL grows. Every
 * {@code interval} this looks at the WAL on its own connection:
 * <ul>
 * <li>when writes paused (the WAL's size and modification time did not change), a
 * {@code PASSIVE} checkpoint, which blocks nobody;</li>
 * <li>when the WAL reached {@code truncate-wal-size}, a {@code PASSIVE} one to copy what it can,
 * then the write lane (waiting at most {@code max-writer-block}) and {@code TRUNCATE} with a busy
 * timeout of {@code max-writer-block}: writers wait at most that long, plus the truncation.</li>
 * </ul>
 * A checkpoint that cannot copy every frame is starved by readers; after
 * {@code starvation-warning} of that, one WARN names the thread holding the oldest lease.
 */
final class Checkpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

    private final String poolName;

    private final CheckpointSettings settings;

    private final Path wal;

    private final Connection connection;

    /** Null when the pool's write lane is off. */
    private final WriteLane lane;

    private final LeaseAges leases;

    private final ScheduledExecutorService thread;

    private long lastSize = -1;

    private long lastModified = -1;

    private volatile long walSize;

    private volatile long checkpoints;

    private volatile long truncations;

    private volatile Instant lastCompletedAt;

    /** When checkpoints started to stay incomplete, in nanoTime terms; 0 while they complete. */
    private volatile long incompleteSinceNanos;

    private boolean warned;

    Checkpointer(String poolName, CheckpointSettings settings, Path wal, Connection connection, WriteLane lane,
            LeaseAges leases) throws SQLException {
        this.poolName = poolName;
        this.settings = settings;
        this.wal = wal;
        this.connection = connection;
        this.lane = lane;
        this.leases = leases;
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = " + settings.maxWriterBlock().toMillis());
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "sqlite-pool-checkpoint-" + poolName);
            t.setDaemon(true);
            return t;
        });
        long every = settings.interval().toMillis();
        thread.scheduleWithFixedDelay(this::tickSafely, every, every, TimeUnit.MILLISECONDS);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (SQLException | RuntimeException e) {
            log.warn("Pool '{}': checkpoint failed: {}", poolName, e.getMessage(), e);
        }
    }

    /** One look at the WAL; package-private so that tests can run it without waiting. */
    synchronized void tick() throws SQLException {
        long size;
        long modified;
        try {
            BasicFileAttributes attributes = Files.readAttributes(wal, BasicFileAttributes.class);
            size = attributes.size();
            modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        } catch (NoSuchFileException e) {
            return; // no WAL (yet): nothing to checkpoint
        } catch (IOException e) {
            log.warn("Pool '{}': cannot read the size of {}: {}", poolName, wal, e.getMessage());
            return;
        }
        leases.observe();
        walSize = size;
        boolean paused = size == lastSize && modified == lastModified;
        lastSize = size;
        lastModified = modified;
        if (size > 0 && size >= settings.truncateWalSize()) {
            truncate();
        } else if (paused && size > 0) {
            record(checkpoint("PASSIVE"));
        }
        warnIfStarved();
    }

    private void truncate() throws SQLException {
        record(checkpoint("PASSIVE"));
        if (lane != null) {
            try {
                lane.acquire(this, settings.maxWriterBlock().toNanos());
            } catch (SQLTransientConnectionException busy) {
                log.debug("Pool '{}': the write lane stayed busy for {} ms; truncating the WAL later", poolName,
                        settings.maxWriterBlock().toMillis());
                return;
            }
        }
        boolean complete;
        try {
            complete = checkpoint("TRUNCATE");
        } finally {
            if (lane != null) {
                lane.release(this);
            }
        }
        record(complete);
        if (complete) {
            truncations++;
            walSize = 0;
            lastSize = -1;
        }
    }

    /** Runs {@code wal_checkpoint(mode)}; true when every frame of the WAL was copied. */
    private boolean checkpoint(String mode) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            checkpoints++;
            if (!result.next()) {
                return false;
            }
            int busy = result.getInt(1);
            int frames = result.getInt(2);
            int copied = result.getInt(3);
            return busy == 0 && copied >= frames;
        }
    }

    private void record(boolean complete) {
        if (complete) {
            if (warned) {
                log.info("Pool '{}': checkpoints complete again", poolName);
            }
            incompleteSinceNanos = 0;
            warned = false;
            lastCompletedAt = Instant.now();
        } else if (incompleteSinceNanos == 0) {
            incompleteSinceNanos = System.nanoTime() | 1; // never 0 while incomplete
        }
    }

    private void warnIfStarved() {
        long starved = starvedNanos();
        if (warned || starved < settings.starvationWarning().toNanos()) {
            return;
        }
        warned = true;
        LeaseAges.Taken oldest = leases.oldest();
        log.warn("Pool '{}': WAL checkpoints have not completed for {} s (WAL {} bytes): readers keep old snapshots "
                + "open; the oldest lease is held by thread '{}' for {} ms. Keep read transactions and result sets "
                + "short", poolName, TimeUnit.NANOSECONDS.toSeconds(starved), walSize,
                oldest == null ? "none" : oldest.thread(),
                oldest == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest.sinceNanos()));
    }

    private long starvedNanos() {
        long since = incompleteSinceNanos;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    CheckpointStats stats() {
        LeaseAges.Taken oldest = leases.oldest();
        return new CheckpointStats(true, walSize, checkpoints, truncations, lastCompletedAt,
                TimeUnit.NANOSECONDS.toMillis(starvedNanos()), oldest == null ? null : oldest.thread(),
                oldest == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest.sinceNanos()));
    }

    /** Stops the thread, waiting for a checkpoint in progress, and closes the connection. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(settings.maxWriterBlock().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Pool '{}': could not close the checkpoint connection cleanly: {}", poolName, e.getMessage());
        }
    }
}
