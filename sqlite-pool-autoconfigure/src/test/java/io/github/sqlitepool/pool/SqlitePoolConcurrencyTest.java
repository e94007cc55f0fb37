package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.config;
import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.physical;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * 32 threads lease, use and return connections at random for a few seconds, misbehaving on
 * purpose: throwing mid-use, leaving transactions and statements open, closing twice, breaking
 * and aborting connections. Afterwards the pool must be whole and idle, no uncommitted row may
 * have survived, every committed row must be there, and no thread may be stuck.
 */
class SqlitePoolConcurrencyTest {

    private static final int THREADS = 32;

    private static final int MAX_CONNECTIONS = 4;

    private static final Duration RUN_FOR = Duration.ofSeconds(3);

    /** How long the workers get to finish after the run; far more than any single operation needs. */
    private static final Duration FINISH_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    enum Op {
        READ, WRITE, COMMITTED_TRANSACTION, TRANSACTION_LEFT_OPEN, SQL_BEGIN_LEFT_OPEN, THROW_MID_USE,
        DOUBLE_CLOSE, READ_ONLY, STATEMENTS_LEFT_OPEN, BREAK_CONNECTION, ABORT
    }

    /** Thrown by the workers on purpose; anything else is a failure. */
    static final class Deliberate extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Deliberate() {
            super("thrown mid-use on purpose", null, false, false);
        }
    }

    private final AtomicLong committedRows = new AtomicLong();

    private final AtomicLongArray opCounts = new AtomicLongArray(Op.values().length);

    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    @Test
    void misbehavingThreadsLeaveThePoolWholeAndIdle() throws Exception {
        SqlitePool pool = startPoolWithTable();
        try {
            // the counts are read from the connections' states while connections break, are
            // replaced and are aborted: every snapshot must still add up and stay within the size
            Queue<PoolStats> impossible = new ConcurrentLinkedQueue<>();
            AtomicInteger samples = new AtomicInteger();
            CountDownLatch workersDone = new CountDownLatch(1);
            Thread sampler = new Thread(() -> {
                while (workersDone.getCount() != 0) {
                    PoolStats stats = pool.stats();
                    samples.incrementAndGet();
                    if (stats.total() > MAX_CONNECTIONS || stats.active() + stats.idle() != stats.total()
                            || stats.active() < 0 || stats.idle() < 0 || stats.waiting() < 0) {
                        impossible.add(stats);
                    }
                    Thread.yield(); // leave the cores to the workers
                }
            }, "stats-sampler");
            sampler.start();
            try {
                runWorkers(pool);
            } finally {
                workersDone.countDown();
                sampler.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertThat(samples.get()).as("stats sampled during the run").isPositive();
            assertThat(impossible).as("snapshots that do not add up or exceed the size").isEmpty();

            assertThat(failures).as("unexpected failures in workers").isEmpty();
            for (Op op : Op.values()) {
                assertThat(opCounts.get(op.ordinal())).as("times %s ran", op).isPositive();
            }
            assertThat(pool.stats()).isEqualTo(
                    new PoolStats("test-pool", MAX_CONNECTIONS, MAX_CONNECTIONS, 0, MAX_CONNECTIONS, 0));
            assertEveryConnectionIsClean(pool);
            try (Connection check = pool.getConnection()) {
                assertThat(queryLong(check, "SELECT count(*) FROM items WHERE kind = 'uncommitted'")).isZero();
                assertThat(queryLong(check, "SELECT count(*) FROM items WHERE kind = 'committed'"))
                        .isEqualTo(committedRows.get());
            }
        } finally {
            pool.close();
        }
        assertThat(pool.stats().total()).isZero();
    }

    /**
     * The pool closes while the same workers keep leasing: every thread must end (a closed pool
     * refuses at once), and every physical connection the pool ever handed out, replacements
     * included, must be closed: none leaked, none put back into a closed pool.
     */
    @Test
    void closingUnderLoadEndsEveryThreadAndClosesEveryConnection() throws Exception {
        SqlitePool pool = startPoolWithTable();
        Set<SQLiteConnection> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService workers = newWorkers();
        CountDownLatch started = new CountDownLatch(THREADS);
        for (int i = 0; i < THREADS; i++) {
            workers.execute(() -> {
                started.countDown();
                try {
                    while (true) {
                        Connection lease;
                        try {
                            lease = pool.getConnection();
                        } catch (SQLException e) {
                            if (pool.isClosed() && e.getMessage().contains("is closed")) {
                                refused.incrementAndGet();
                                return;
                            }
                            throw e;
                        }
                        seen.add(physical(lease));
                        lease.close();
                        Op op = Op.values()[ThreadLocalRandom.current().nextInt(Op.values().length)];
                        try {
                            runOne(pool, op);
                        } catch (SQLException e) {
                            if (!pool.isClosed()) {
                                throw e;
                            }
                            // the pool closed during the operation: refused, or its connection closed
                            // after the grace period
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        // close under load: once every connection has served leases
        await("every connection leased").atMost(Duration.ofSeconds(30))
                .until(() -> seen.size() >= MAX_CONNECTIONS);

        pool.close();

        workers.shutdown();
        if (!workers.awaitTermination(FINISH_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            String dump = workerStacks();
            workers.shutdownNow();
            fail("workers stuck after the pool closed; pool " + pool.stats() + "\n" + dump);
        }
        assertThat(failures).as("unexpected failures in workers").isEmpty();
        assertThat(refused).hasValue(THREADS);
        assertThat(pool.stats()).isEqualTo(new PoolStats("test-pool", MAX_CONNECTIONS, 0, 0, 0, 0));
        assertThat(seen).hasSizeGreaterThanOrEqualTo(MAX_CONNECTIONS);
        assertThat(seen).allSatisfy(connection -> assertThat(connection.isClosed()).isTrue());
    }

    /** A pool of 4 whose acquire timeout no healthy run comes near, with the test's table. */
    private SqlitePool startPoolWithTable() throws SQLException {
        SqlitePool pool = new SqlitePool(config(dir, MAX_CONNECTIONS)
                .acquireTimeout(Duration.ofSeconds(20))
                .shutdownTimeout(Duration.ofSeconds(5))
                .build());
        try (Connection setup = pool.getConnection()) {
            execute(setup, "CREATE TABLE items(id INTEGER PRIMARY KEY, kind TEXT NOT NULL)");
        }
        return pool;
    }

    private static ExecutorService newWorkers() {
        AtomicInteger threadNumber = new AtomicInteger();
        return Executors.newFixedThreadPool(THREADS,
                r -> new Thread(r, "pool-worker-" + threadNumber.incrementAndGet()));
    }

    private static String workerStacks() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("pool-worker-"))
                .map(e -> e.getKey().getName() + " " + e.getKey().getState() + "\n    "
                        + Arrays.stream(e.getValue()).map(Object::toString).collect(Collectors.joining("\n    ")))
                .collect(Collectors.joining("\n"));
    }

    private void runWorkers(SqlitePool pool) throws InterruptedException {
        ExecutorService workers = newWorkers();
        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.nanoTime() + RUN_FOR.toNanos();
        for (int i = 0; i < THREADS; i++) {
            workers.execute(() -> {
                try {
                    start.await();
                    while (System.nanoTime() - deadline < 0) {
                        runOne(pool, Op.values()[ThreadLocalRandom.current().nextInt(Op.values().length)]);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
        }
        start.countDown();
        workers.shutdown();
        if (!workers.awaitTermination(RUN_FOR.plus(FINISH_WITHIN).toSeconds(), TimeUnit.SECONDS)) {
            String dump = workerStacks();
            workers.shutdownNow();
            fail("workers stuck after " + FINISH_WITHIN + "; pool " + pool.stats() + "\n" + dump);
        }
    }

    private void runOne(SqlitePool pool, Op op) throws SQLException {
        opCounts.incrementAndGet(op.ordinal());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        switch (op) {
            case READ -> {
                try (Connection lease = pool.getConnection()) {
                    assertThat(queryLong(lease, "SELECT count(*) FROM items")).isNotNegative();
                }
            }
            case WRITE -> {
                try (Connection lease = pool.getConnection()) {
                    execute(lease, "INSERT INTO items(kind) VALUES ('committed')");
                    committedRows.incrementAndGet();
                }
            }
            case COMMITTED_TRANSACTION -> {
                try (Connection lease = pool.getConnection()) {
                    lease.setAutoCommit(false);
                    execute(lease, "INSERT INTO items(kind) VALUES ('committed')");
                    execute(lease, "INSERT INTO items(kind) VALUES ('committed')");
                    lease.commit();
                    committedRows.addAndGet(2);
                }
            }
            case TRANSACTION_LEFT_OPEN -> {
                try (Connection lease = pool.getConnection()) {
                    lease.setAutoCommit(false);
                    execute(lease, "INSERT INTO items(kind) VALUES ('uncommitted')");
                }
            }
            case SQL_BEGIN_LEFT_OPEN -> {
                try (Connection lease = pool.getConnection()) {
                    execute(lease, "BEGIN IMMEDIATE");
                    execute(lease, "INSERT INTO items(kind) VALUES ('uncommitted')");
                }
            }
            case THROW_MID_USE -> {
                try (Connection lease = pool.getConnection()) {
                    if (random.nextBoolean()) {
                        lease.setAutoCommit(false);
                    }
                    execute(lease, "INSERT INTO items(kind) VALUES ('uncommitted')");
                    if (lease.getAutoCommit()) {
                        execute(lease, "DELETE FROM items WHERE id = last_insert_rowid()");
                    }
                    throw new Deliberate();
                } catch (Deliberate expected) {
                    // the point of this operation: the lease was closed by try-with-resources
                }
            }
            case DOUBLE_CLOSE -> {
                Connection lease = pool.getConnection();
                queryLong(lease, "SELECT 1");
                lease.close();
                lease.close();
            }
            case READ_ONLY -> {
                try (Connection lease = pool.getConnection()) {
                    lease.setReadOnly(true);
                    queryLong(lease, "SELECT count(*) FROM items");
                    try {
                        execute(lease, "INSERT INTO items(kind) VALUES ('uncommitted')");
                        throw new AssertionError("a read-only lease wrote");
                    } catch (SQLException expected) {
                        // query_only refuses the write
                    }
                }
            }
            case STATEMENTS_LEFT_OPEN -> {
                try (Connection lease = pool.getConnection()) {
                    Statement statement = lease.createStatement();
                    statement.executeQuery("SELECT kind FROM items").next();
                    lease.prepareStatement("SELECT 1");
                }
            }
            case BREAK_CONNECTION -> {
                if (random.nextInt(10) == 0) { // rare: each costs a new connection
                    try (Connection lease = pool.getConnection()) {
                        physical(lease).close();
                    }
                }
            }
            case ABORT -> {
                if (random.nextInt(10) == 0) {
                    Connection lease = pool.getConnection();
                    lease.setAutoCommit(false);
                    execute(lease, "INSERT INTO items(kind) VALUES ('uncommitted')");
                    lease.abort(Runnable::run);
                }
            }
            default -> throw new IllegalStateException(op.name());
        }
    }

    private static void assertEveryConnectionIsClean(SqlitePool pool) throws SQLException {
        List<Connection> leases = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                leases.add(pool.getConnection());
            }
            for (Connection lease : leases) {
                assertThat(lease.getAutoCommit()).isTrue();
                assertThat(lease.isReadOnly()).isFalse();
                assertThat(queryLong(lease, "PRAGMA query_only")).isZero();
                assertThat(queryLong(lease, "PRAGMA foreign_keys")).isEqualTo(1);
                // not inside a transaction left over by a worker: BEGIN succeeds
                execute(lease, "BEGIN");
                execute(lease, "ROLLBACK");
            }
        } finally {
            for (Connection lease : leases) {
                lease.close();
            }
        }
    }
}
