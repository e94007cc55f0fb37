package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports leases held longer than {@code sqlite.pool.leak-detection-threshold}: one WARN
 * when the threshold passes, with the pool's state and the stack trace of the code that
 * took the lease, and one INFO if that lease is returned later.
 *
 * <p>The pool registers a detector only when a threshold is set, so with leak detection
 * off the lease path does no work for it. When on, each lease costs one stack capture and
 * one task on a scheduler thread shared by every pool (as in HikariCP's leak task).
 */
final class LeakDetector implements PoolListener {

    private static final Logger log = LoggerFactory.getLogger(LeakDetector.class);

    private final String poolName;

    private final long thresholdNanos;

    private final Supplier<String> poolState;

    /** A lease does not override {@code equals}, so leases are compared by identity. */
    private final Map<Connection, Suspect> suspects = new ConcurrentHashMap<>();

    LeakDetector(String poolName, Duration threshold, Supplier<String> poolState) {
        this.poolName = poolName;
        this.thresholdNanos = threshold.toNanos();
        this.poolState = poolState;
    }

    @Override
    public void leaseAcquired(Connection lease, long waitNanos) {
        Suspect suspect = new Suspect(Thread.currentThread().getName(),
                new LeaseOrigin(poolName, Thread.currentThread().getName()));
        suspects.put(lease, suspect);
        suspect.task = Scheduler.INSTANCE.schedule(() -> report(lease, suspect), thresholdNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void leaseReleased(Connection lease, long heldNanos) {
        Suspect suspect = suspects.remove(lease);
        if (suspect == null) {
            return;
        }
        ScheduledFuture<?> task = suspect.task;
        if (task != null) {
            task.cancel(false);
        }
        if (suspect.reported) {
            log.info("Pool '{}': the connection reported as a possible leak was returned after {} ms by thread '{}'",
                    poolName, TimeUnit.NANOSECONDS.toMillis(heldNanos), Thread.currentThread().getName());
        }
    }

    private void report(Connection lease, Suspect suspect) {
        if (suspects.get(lease) != suspect) {
            return; // returned while this task was starting
        }
        suspect.reported = true;
        suspect.origin.startAtCaller();
        log.warn("Pool '{}': a connection taken by thread '{}' has been held for more than {} ms, a possible leak; {}",
                poolName, suspect.thread, TimeUnit.NANOSECONDS.toMillis(thresholdNanos), poolState.get(),
                suspect.origin);
    }

    /** Leases being watched right now; for tests and diagnostics. */
    int watched() {
        return suspects.size();
    }

    private static final class Suspect {

        final String thread;

        final LeaseOrigin origin;

        volatile ScheduledFuture<?> task;

        volatile boolean reported;

        Suspect(String thread, LeaseOrigin origin) {
            this.thread = thread;
            this.origin = origin;
        }
    }

    /** Carries, as its stack trace, where a lease was taken; logged with the WARN. */
    static final class LeaseOrigin extends Exception {

        private static final long serialVersionUID = 1L;

        /** The classes between the caller and the capture: the detector and the pool. */
        private static final Set<String> POOL_FRAMES =
                Set.of(LeakDetector.class.getName(), PoolListeners.class.getName(), SqlitePool.class.getName());

        LeaseOrigin(String poolName, String thread) {
            super("connection of pool '" + poolName + "' leased here by thread '" + thread + "'");
        }

        /**
         * Drops the pool's own frames from the top, so the trace starts at the code that
         * asked for the connection. Called only when reporting: reading the stack trace is
         * what makes a captured trace expensive.
         */
        void startAtCaller() {
            StackTraceElement[] frames = getStackTrace();
            int first = 0;
            while (first < frames.length - 1 && POOL_FRAMES.contains(frames[first].getClassName())) {
                first++;
            }
            setStackTrace(Arrays.copyOfRange(frames, first, frames.length));
        }
    }

    /** One daemon thread for every pool's leak checks, started on first use. */
    private static final class Scheduler {

        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "sqlite-pool-leak-detector");
                thread.setDaemon(true);
                return thread;
            });
            // Most leases are returned in time: drop their cancelled tasks at once rather
            // than letting them pile up in the queue until their delay ends.
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
