package io.github.sqlitepool.benchmarks.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.WalFile;
import io.github.sqlitepool.pool.config.CheckpointSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;

/**
 * WAL size over time under 64 threads of mixed work (nine point reads to one update, and one
 * operation in 200 a read transaction that scans the table slowly, about 25 ms, like a report
 * streamed to a client, so that some reader always keeps an old snapshot open), once with the pool's checkpointer off and once with it on. Prints one line per
 * sample and a summary per run; the numbers are in docs/benchmarks/wal-growth.md.
 *
 * <p>Arguments: seconds per run (default 30), threads (64), connections (8),
 * truncate-wal-size in MiB (64).
 */
public final class WalGrowthRun {

    private WalGrowthRun() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        long truncateMiB = args.length > 3 ? Long.parseLong(args[3]) : 64;
        CheckpointSettings on = new CheckpointSettings(true, CheckpointSettings.DEFAULTS.interval(),
                truncateMiB * 1024 * 1024, CheckpointSettings.DEFAULTS.maxWriterBlock(),
                CheckpointSettings.DEFAULTS.starvationWarning());
        for (CheckpointSettings settings : List.of(CheckpointSettings.OFF, on)) {
            run(settings, Duration.ofSeconds(seconds), threads, connections);
        }
    }

    private static void run(CheckpointSettings settings, Duration duration, int threads, int connections)
            throws Exception {
        String label = settings.enabled() ? "checkpointer on (truncate at "
                + settings.truncateWalSize() / (1024 * 1024) + " MiB)" : "checkpointer off";
        try (BenchmarkDatabase database = BenchmarkDatabase.create();
                SqlitePool pool = new SqlitePool(SqlitePoolConfig.builder().url(database.url()).name("wal-growth")
                        .maxConnections(connections).acquireTimeout(Duration.ofSeconds(30)).checkpoint(settings)
                        .build())) {
            AtomicBoolean running = new AtomicBoolean(true);
            LongAdder operations = new LongAdder();
            LongAdder errors = new LongAdder();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> work(pool, running, operations, errors), "wal-growth-" + t);
                worker.start();
                workers.add(worker);
            }
            long start = System.nanoTime();
            long maxWal = 0;
            long sampleEvery = Math.max(1, duration.toMillis() / 20);
            while (System.nanoTime() - start < duration.toNanos()) {
                Thread.sleep(sampleEvery); // sampling period of the measurement
                long wal = WalFile.size(pool);
                maxWal = Math.max(maxWal, wal);
                System.out.printf(Locale.ROOT, "%-40s t=%5.1f s  WAL %8.2f MiB%n", label,
                        (System.nanoTime() - start) / 1e9, wal / 1048576.0);
            }
            running.set(false);
            for (Thread worker : workers) {
                worker.join();
            }
            System.out.printf(Locale.ROOT, "%-40s SUMMARY max WAL %.2f MiB, final %.2f MiB, %.0f ops/s, %d errors, "
                    + "%s%n", label, maxWal / 1048576.0, WalFile.size(pool) / 1048576.0,
                    operations.sum() / (duration.toNanos() / 1e9), errors.sum(), pool.checkpointStats());
        }
    }

    private static void work(SqlitePool pool, AtomicBoolean running, LongAdder operations, LongAdder errors) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            try (Connection connection = pool.getConnection()) {
                if (random.nextInt(200) == 0) {
                    scanInReadTransaction(connection);
                } else {
                    Workload.MIXED.execute(connection, random, Workload.MIXED.writes(random));
                }
                operations.increment();
            } catch (SQLException e) {
                errors.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void scanInReadTransaction(Connection connection) throws SQLException, InterruptedException {
        connection.setReadOnly(true);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, counter, name FROM items")) {
            for (int n = 1; rows.next(); n++) {
                rows.getLong(2);
                if (n % 2_000 == 0) {
                    Thread.sleep(5); // a slow consumer of the result
                }
            }
        } finally {
            connection.commit();
            connection.setAutoCommit(true);
            connection.setReadOnly(false);
        }
    }
}
