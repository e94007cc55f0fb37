package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.config;
import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.physical;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.sqlitepool.pool.config.PragmaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** Shutdown: refuse at once, wake waiters, bounded grace for leases, checkpoint, close everything. */
class SqlitePoolCloseTest {

    /** Long enough that a test passing "quickly" cannot have waited for it. */
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final HelperThreads executor = new HelperThreads();

    @Test
    void closingClosesEveryIdleConnectionAndRefusesNewLeases() throws Exception {
        SqlitePool pool = PoolFixtures.pool(dir, 3);
        List<SQLiteConnection> physicals = new ArrayList<>();
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection();
                Connection c = pool.getConnection()) {
            for (Connection lease : List.of(a, b, c)) {
                physicals.add(physical(lease));
            }
        }

        pool.close();

        assertThat(pool.isClosed()).isTrue();
        for (SQLiteConnection connection : physicals) {
            assertThat(connection.isClosed()).isTrue();
        }
        assertThat(pool.stats()).isEqualTo(new PoolStats("test-pool", 3, 0, 0, 0, 0));
        assertThatThrownBy(pool::getConnection)
                .isInstanceOf(SQLException.class)
                .isNotInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("'test-pool' is closed");
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        SqlitePool pool = PoolFixtures.pool(dir, 2);
        pool.close();
        pool.close();
        assertThat(pool.isClosed()).isTrue();
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void whileLeasesAreOutNewLeasesAreRefusedAtOnceAndAReturnedLeaseEndsTheWait() throws Exception {
        SqlitePool pool = new SqlitePool(config(dir, 2).acquireTimeout(LONG).shutdownTimeout(LONG).build());
        Connection out = pool.getConnection();
        SQLiteConnection underneath = physical(out);
        Future<?> closing = executor.submit(pool::close);
        await().atMost(Duration.ofSeconds(10)).until(pool::isClosed);

        // refused although one connection is idle: no waiting for acquire-timeout
        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("is closed");
        assertThat(closing).isNotDone();
        // the lease in flight still works during the grace period
        assertThat(queryLong(out, "SELECT 1")).isEqualTo(1);

        out.close();

        closing.get(10, TimeUnit.SECONDS); // well before the 30 s shutdown timeout
        assertThat(underneath.isClosed()).as("returned connection closed, not pooled").isTrue();
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void waitersAreWokenByCloseInsteadOfWaitingTheirTimeout() throws Exception {
        SqlitePool pool = new SqlitePool(config(dir, 1).acquireTimeout(LONG).shutdownTimeout(LONG).build());
        Connection out = pool.getConnection();
        Future<Connection> waiter = executor.submit(() -> pool.getConnection());
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 1);

        Future<?> closing = executor.submit(pool::close);

        assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(SQLException.class)
                .cause().hasMessageContaining("is closed");
        out.close();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(pool.stats()).isEqualTo(new PoolStats("test-pool", 1, 0, 0, 0, 0));
    }

    @Test
    void afterTheShutdownTimeoutLeasedConnectionsAreClosedAndTheirTransactionsLost() throws Exception {
        Duration grace = Duration.ofMillis(300);
        // a lock left behind by the forced close would hold the closing checkpoint for the whole
        // busy timeout: with 60 s that fails the bound below instead of passing slowly
        PragmaSettings patient = PragmaSettings.builder().busyTimeout(Duration.ofSeconds(60)).build();
        SqlitePool pool = new SqlitePool(config(dir, 2).shutdownTimeout(grace).pragmas(patient).build());
        try (Connection setup = pool.getConnection()) {
            execute(setup, "CREATE TABLE items(name TEXT)");
        }
        Connection forgotten = pool.getConnection();
        SQLiteConnection underneath = physical(forgotten);
        forgotten.setAutoCommit(false);
        execute(forgotten, "INSERT INTO items VALUES ('never committed')");

        long start = System.nanoTime();
        pool.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThanOrEqualTo(grace).isLessThan(LONG);
        assertThat(underneath.isClosed()).isTrue();
        assertThat(pool.stats().total()).isZero();
        assertThatThrownBy(() -> execute(forgotten, "INSERT INTO items VALUES ('after close')"))
                .isInstanceOf(SQLException.class);
        forgotten.close(); // late return of a connection the pool already closed: harmless
        assertThat(pool.stats().total()).isZero();

        try (Connection plain = DriverManager.getConnection(PoolFixtures.fileUrl(dir))) {
            assertThat(queryLong(plain, "SELECT count(*) FROM items")).isZero();
        }
    }

    /**
     * sqlite-jdbc holds a connection's lock while a statement runs, so closing the connection of
     * a lease whose statement is still running would wait for the statement: the pool interrupts it.
     */
    @Test
    void aStatementStillRunningAfterTheShutdownTimeoutIsInterruptedNotWaitedFor() throws Exception {
        Duration grace = Duration.ofMillis(300);
        SqlitePool pool = new SqlitePool(config(dir, 2).shutdownTimeout(grace).build());
        CountDownLatch leased = new CountDownLatch(1);
        Future<Long> endless = executor.submit(() -> {
            try (Connection lease = pool.getConnection()) {
                leased.countDown();
                return queryLong(lease, PoolFixtures.ENDLESS_QUERY);
            }
        });
        assertThat(leased.await(10, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        pool.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThanOrEqualTo(grace).isLessThan(LONG);
        assertThatThrownBy(() -> endless.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
        assertThat(pool.stats().total()).isZero();
    }

    /**
     * Another connection keeps the database open, so SQLite's own last-connection checkpoint
     * cannot run: an empty WAL after close is the pool's {@code wal_checkpoint(TRUNCATE)}.
     */
    @Test
    void closeCheckpointsTheWalIntoTheDatabase() throws Exception {
        Path wal = dir.resolve("test.db-wal");
        SqlitePool pool = PoolFixtures.pool(dir, 2);
        try (Connection reader = DriverManager.getConnection(PoolFixtures.fileUrl(dir))) {
            try (Connection lease = pool.getConnection()) {
                execute(lease, "CREATE TABLE items(name TEXT)");
                for (int i = 0; i < 50; i++) {
                    execute(lease, "INSERT INTO items VALUES ('row " + i + "')");
                }
            }
            assertThat(queryLong(reader, "SELECT count(*) FROM items")).isEqualTo(50);
            assertThat(Files.size(wal)).isPositive();

            pool.close();

            assertThat(Files.size(wal)).isZero();
            assertThat(queryLong(reader, "SELECT count(*) FROM items")).isEqualTo(50);
        }
    }

    @Test
    void closeLeavesNoWalBehindWhenItWasTheOnlyUser() throws Exception {
        try (SqlitePool pool = PoolFixtures.pool(dir, 3); Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE items(name TEXT)");
            execute(lease, "INSERT INTO items VALUES ('kept')");
        }
        Path wal = dir.resolve("test.db-wal");
        assertThat(Files.notExists(wal) || Files.size(wal) == 0).as("WAL gone or empty").isTrue();
        try (Connection plain = DriverManager.getConnection(PoolFixtures.fileUrl(dir))) {
            assertThat(queryLong(plain, "SELECT count(*) FROM items")).isEqualTo(1);
        }
    }
}
