package io.github.sqlitepool.benchmarks.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.Synchronous;
import org.HdrHistogram.Histogram;

/**
 * Runs one cell: a fresh database, the target opened on it, {@code threads} workers doing
 * the workload in a closed loop for the warm-up and then for the measured window.
 * Failures are counted and the loop goes on; nothing aborts a cell but a stuck worker.
 */
public final class LoadRunner {

    /** Longest latency the histograms track; anything longer is clamped to it. */
    private static final long HIGHEST_TRACKABLE_NANOS = Duration.ofMinutes(2).toNanos();

    /** How long after the window a worker may still be finishing its last operation. */
    private static final Duration STRAGGLER_GRACE = Duration.ofSeconds(60);

    private final Duration warmup;
    private final Duration duration;

    /** The {@code synchronous} level every target opens the databases with. */
    private final Synchronous synchronous;

    public LoadRunner(Duration warmup, Duration duration) {
        this(warmup, duration, PragmaSettings.DEFAULT_SYNCHRONOUS);
    }

    /** A runner whose databases every target opens with {@code synchronous}. */
    public LoadRunner(Duration warmup, Duration duration, Synchronous synchronous) {
        this.warmup = warmup;
        this.duration = duration;
        this.synchronous = synchronous;
    }

    /**
     * Measures {@code workload} on {@code target} with {@code threads} workers.
     *
     * @throws IllegalArgumentException when a serial target is given more than one thread
     */
    public CellResult run(Workload workload, Target target, int threads) throws SQLException, InterruptedException {
        if (target.serial() && threads != 1) {
            throw new IllegalArgumentException("the serial target runs on exactly one thread, not " + threads);
        }
        try (BenchmarkDatabase database = BenchmarkDatabase.create(synchronous);
             ConnectionSource source = target.open(database)) {
            return measure(workload, target, threads, source);
        }
    }

    private CellResult measure(Workload workload, Target target, int threads, ConnectionSource source)
            throws InterruptedException {
        Phase phase = new Phase();
        List<Worker> workers = new ArrayList<>(threads);
        List<Thread> running = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            Worker worker = new Worker(workload, source, phase);
            workers.add(worker);
            Thread thread = new Thread(worker, "bench-" + workload.cliName() + "-" + target.cliName() + "-" + i);
            thread.setDaemon(true);
            running.add(thread);
            thread.start();
        }
        Thinker thinker = null;
        if (workload == Workload.THINK && !target.serial()) {
            thinker = new Thinker(source, phase);
            Thread thread = new Thread(thinker, "bench-think-" + target.cliName() + "-thinker");
            thread.setDaemon(true);
            running.add(thread);
            thread.start();
        }
        Thread.sleep(warmup.toMillis());
        long start = System.nanoTime();
        phase.value = Phase.MEASURE;
        Thread.sleep(duration.toMillis());
        phase.value = Phase.STOP;
        long end = System.nanoTime();
        awaitAll(running, workload, target);

        Histogram latencies = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        Map<String, Long> errors = new TreeMap<>();
        long ops = 0;
        for (Worker worker : workers) {
            latencies.add(worker.latencies);
            ops += worker.ops;
            worker.errors.forEach((kind, count) -> errors.merge(kind, count, Long::sum));
        }
        if (thinker != null) {
            thinker.errors.forEach((kind, count) -> errors.merge("thinker: " + kind, count, Long::sum));
        }
        return new CellResult(workload, target, threads, ops, errors, (end - start) / 1e9,
                latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(99), latencies.getMaxValue());
    }

    private static void awaitAll(List<Thread> threads, Workload workload, Target target) throws InterruptedException {
        long deadline = System.nanoTime() + STRAGGLER_GRACE.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                threads.forEach(Thread::interrupt);
                throw new IllegalStateException(thread.getName() + " of " + workload.cliName() + " on "
                        + target.cliName() + " did not finish its operation within " + STRAGGLER_GRACE
                        + " after the window closed");
            }
        }
    }

    /** The run's phase, read by every worker before each operation. */
    private static final class Phase {
        static final int WARMUP = 0;
        static final int MEASURE = 1;
        static final int STOP = 2;
        volatile int value = WARMUP;
    }

    /** The one transaction of {@link Workload#THINK} that reads and then thinks, over and over; not measured. */
    private static final class Thinker implements Runnable {
        private final ConnectionSource source;
        private final Phase phase;
        final Map<String, Long> errors = new TreeMap<>();

        Thinker(ConnectionSource source, Phase phase) {
            this.source = source;
            this.phase = phase;
        }

        @Override
        public void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (phase.value != Phase.STOP && !Thread.currentThread().isInterrupted()) {
                try {
                    Connection connection = source.acquire(true); // a transaction that is not read-only
                    try {
                        Workload.think(connection, random);
                    } finally {
                        source.release(connection);
                    }
                } catch (SQLException | RuntimeException e) {
                    errors.merge(ErrorKind.of(e), 1L, Long::sum);
                }
            }
        }
    }

    /** One thread's loop and its own counters, merged after the run so workers share nothing. */
    private static final class Worker implements Runnable {
        private final Workload workload;
        private final ConnectionSource source;
        private final Phase phase;
        final Histogram latencies = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        final Map<String, Long> errors = new TreeMap<>();
        long ops;

        Worker(Workload workload, ConnectionSource source, Phase phase) {
            this.workload = workload;
            this.source = source;
            this.phase = phase;
        }

        @Override
        public void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int current;
            while ((current = phase.value) != Phase.STOP && !Thread.currentThread().isInterrupted()) {
                boolean measured = current == Phase.MEASURE;
                long start = System.nanoTime();
                try {
                    once(random);
                    if (measured) {
                        latencies.recordValue(Math.min(System.nanoTime() - start, HIGHEST_TRACKABLE_NANOS));
                        ops++;
                    }
                } catch (SQLException | RuntimeException e) {
                    // counted, not fatal: a pool that fails under load must show it in the table
                    if (measured) {
                        errors.merge(ErrorKind.of(e), 1L, Long::sum);
                    }
                }
            }
        }

        private void once(ThreadLocalRandom random) throws SQLException {
            boolean writes = workload.writes(random);
            Connection connection = source.acquire(writes);
            SQLException failure = null;
            try {
                workload.execute(connection, random, writes);
            } catch (SQLException e) {
                failure = e;
            } finally {
                try {
                    source.release(connection);
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
