package io.github.sqlitepool.autoconfigure.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.sqlitepool.pool.CheckpointStats;
import io.github.sqlitepool.pool.PoolStats;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.StorageHealth;
import io.github.sqlitepool.pool.WalFile;
import io.github.sqlitepool.pool.WriteLaneStats;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of one {@link SqlitePool}.
 *
 * <p>UP when a lease can be taken and {@code SELECT 1} runs on it within {@code timeout}.
 * DOWN, with the reason in the {@code error} detail, when the pool is closed, the database
 * file is gone or cannot be read, the pool refuses writes because its database, {@code -wal}
 * or {@code -shm} file was deleted, replaced, truncated or overwritten, recent writes failed
 * in storage (disk full, I/O error, read-only file system) and none has succeeded since, the
 * probe fails or does not finish in time, or the latest {@code PRAGMA quick_check} found
 * corruption. DOWN rather than OUT_OF_SERVICE: writes cannot succeed, which is a fault, not
 * planned maintenance; it turns UP by itself once a write succeeds again (a file fault needs a
 * restart). The quick check runs in the background at most
 * once per {@code quickCheckInterval}; until its first run finishes it is shown as
 * {@code pending}.
 *
 * <p>Details: pool name, max/active/idle/waiting, storage (writable, storage failures since
 * start, the last one and when, the last successful write), the checkpointer (checkpoints,
 * truncations, last complete one, how long readers have starved it, the oldest lease's thread
 * and age), the write lane's holder, how long it has
 * held the lane and how many wait for it, journal mode, WAL size, SQLite and driver
 * versions, the quick check's outcome, and the database file's path. Everything that names
 * the file (the path, and error messages) is in the details, never in the status, so
 * Actuator's {@code management.endpoint.health.show-details} decides who sees it.
 *
 * <p>The probe runs on a shared daemon thread, so a health request waits at most
 * {@code timeout} even when the pool is exhausted; while one probe is still waiting for a
 * lease, later requests share it instead of queueing more waiters on the pool.
 */
public final class SqlitePoolHealthIndicator implements HealthIndicator {

    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "sqlite-pool-health");
        thread.setDaemon(true);
        return thread;
    });

    private final SqlitePool pool;

    private final Duration timeout;

    private final QuickCheck quickCheck;

    private final AtomicReference<CompletableFuture<Probe>> inFlight = new AtomicReference<>();

    /** Whether the URL opens the database read-only ({@code mode=ro}), so it need not be writable. */
    private final boolean readOnlyUrl;

    /**
     * @param pool               the pool to check
     * @param timeout            longest wait for a lease and {@code SELECT 1}
     * @param quickCheckInterval shortest time between two {@code PRAGMA quick_check} runs
     */
    public SqlitePoolHealthIndicator(SqlitePool pool, Duration timeout, Duration quickCheckInterval) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("sqlite.pool.health.timeout must be greater than 0, was " + timeout);
        }
        if (quickCheckInterval == null || quickCheckInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "sqlite.pool.health.quick-check-interval must not be negative, was " + quickCheckInterval);
        }
        this.pool = pool;
        this.timeout = timeout;
        this.quickCheck = new QuickCheck(pool, quickCheckInterval, BACKGROUND, Clock.systemUTC());
        this.readOnlyUrl = pool.config().url().readOnly();
    }

    @Override
    public Health health() {
        PoolStats stats = pool.stats();
        Optional<Path> file = pool.config().url().file();
        Health.Builder health = Health.unknown()
                .withDetail("pool", stats.name())
                .withDetail("max", stats.max())
                .withDetail("active", stats.active())
                .withDetail("idle", stats.idle())
                .withDetail("waiting", stats.waiting())
                .withDetail("writeLane", writeLane(pool.writeLaneStats()))
                .withDetail("database", file.map(Path::toString).orElse("in-memory"));
        if (pool.isClosed()) {
            return health.down().withDetail("error", "pool '" + stats.name() + "' is closed").build();
        }
        StorageHealth storage = pool.storageHealth();
        health.withDetail("storage", storage(storage));
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.exists(path)) {
                return health.down().withDetail("error", "database file " + path + " does not exist").build();
            }
            if (!Files.isReadable(path)) {
                return health.down().withDetail("error", "database file " + path + " cannot be read").build();
            }
            String fault = storage.fault() != null ? storage.fault() : fileFault(path);
            if (fault != null) {
                return health.down().withDetail("error", fault).build();
            }
            health.withDetail("walSizeBytes", WalFile.size(pool));
            health.withDetail("checkpoint", checkpoint(pool.checkpointStats()));
        }
        Probe probe;
        try {
            probe = probe().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return health.down()
                    .withDetail("error", "no lease and SELECT 1 within " + timeout.toMillis() + " ms on " + pool.stats() + "; " + pool.writeLaneStats())
                    .build();
        } catch (ExecutionException e) {
            return health.down().withDetail("error", String.valueOf(e.getCause())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return health.down().withDetail("error", "interrupted while checking the pool").build();
        }
        health.withDetail("journalMode", probe.journalMode())
                .withDetail("sqliteVersion", probe.sqliteVersion())
                .withDetail("driverVersion", probe.driverVersion());
        if (storage.writesFailing()) {
            return health.down().withDetail("error", "writes are failing in storage: " + storage.lastFailure()
                    + "; free space or fix the file system, and health recovers with the next write that succeeds")
                    .build();
        }
        QuickCheck.Outcome check = quickCheck.latest();
        health.withDetail("quickCheck", check == null ? "pending" : check.summary());
        if (check != null) {
            health.withDetail("quickCheckAt", check.at().toString());
            if (check.corrupt()) {
                return health.down().withDetail("error", "PRAGMA quick_check reports corruption").build();
            }
        }
        return health.up().build();
    }

    /**
     * What keeps the pool from writing the file at {@code path}, or null. Without write access
     * to the file, its WAL or its directory (read-only mount, {@code chattr +i}, permissions),
     * writes fail and replacement connections cannot create the WAL files.
     */
    private String fileFault(Path path) {
        if (readOnlyUrl) {
            return null;
        }
        if (!Files.isWritable(path)) {
            return "database file " + path + " cannot be written (permissions, read-only file system or immutable)";
        }
        Path wal = WalFile.of(path);
        if (Files.exists(wal) && !Files.isWritable(wal)) {
            return "WAL file " + wal + " cannot be written (permissions, read-only file system or immutable)";
        }
        Path directory = path.toAbsolutePath().getParent();
        if (directory != null && !Files.isWritable(directory)) {
            return "directory " + directory + " of the database cannot be written, so journal and WAL files "
                    + "cannot be created (permissions, read-only file system or immutable)";
        }
        return null;
    }

    private static Map<String, Object> storage(StorageHealth storage) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("writable", storage.writable());
        details.put("writeFailures", storage.failureCount());
        if (storage.lastFailureAt() != null) {
            details.put("lastWriteFailure", storage.lastFailure());
            details.put("lastWriteFailureAt", storage.lastFailureAt().toString());
        }
        if (storage.lastSuccessAt() != null) {
            details.put("lastWriteSuccessAt", storage.lastSuccessAt().toString());
        }
        return details;
    }

    private static Map<String, Object> checkpoint(CheckpointStats stats) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("enabled", stats.enabled());
        if (stats.enabled()) {
            details.put("checkpoints", stats.checkpoints());
            details.put("truncations", stats.truncations());
            details.put("lastCompletedAt", stats.lastCompletedAt() == null ? "never" : stats.lastCompletedAt().toString());
            details.put("starvedMillis", stats.starvedMillis());
            if (stats.oldestLeaseThread() != null) {
                details.put("oldestLeaseThread", stats.oldestLeaseThread());
                details.put("oldestLeaseMillis", stats.oldestLeaseMillis());
            }
        }
        return details;
    }

    private static Map<String, Object> writeLane(WriteLaneStats lane) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("enabled", lane.enabled());
        if (lane.enabled()) {
            details.put("holder", lane.holderThread() == null ? "none" : lane.holderThread());
            details.put("heldMillis", TimeUnit.NANOSECONDS.toMillis(lane.heldNanos()));
            details.put("waiting", lane.waiting());
            details.put("revocations", lane.revocations());
            details.put("serializationFailures", lane.serializationFailures());
        }
        return details;
    }

    private CompletableFuture<Probe> probe() {
        while (true) {
            CompletableFuture<Probe> current = inFlight.get();
            if (current != null && !current.isDone()) {
                return current;
            }
            CompletableFuture<Probe> next = new CompletableFuture<>();
            if (inFlight.compareAndSet(current, next)) {
                BACKGROUND.execute(() -> {
                    try {
                        next.complete(runProbe());
                    } catch (SQLException | RuntimeException e) {
                        next.completeExceptionally(e);
                    }
                });
                return next;
            }
        }
    }

    private Probe runProbe() throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            String version;
            try (ResultSet rows = statement.executeQuery("SELECT 1, sqlite_version()")) {
                rows.next();
                version = rows.getString(2);
            }
            String journalMode;
            try (ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
                journalMode = rows.next() ? rows.getString(1) : "unknown";
            }
            return new Probe(journalMode, version, connection.getMetaData().getDriverVersion());
        }
    }

    private record Probe(String journalMode, String sqliteVersion, String driverVersion) {
    }
}
