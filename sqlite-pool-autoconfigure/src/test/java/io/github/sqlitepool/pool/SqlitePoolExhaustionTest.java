package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.config;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for a connection: bounded by acquire-timeout, interruptible, and served by returns. */
class SqlitePoolExhaustionTest {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    /** Generous bound for "returned quickly": far below the long timeouts, far above any scheduling hiccup. */
    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final HelperThreads executor = new HelperThreads();

    @Test
    void timesOutWithAMessageThatCarriesTheTimeoutAndTheCounts() throws Exception {
        try (SqlitePool pool = new SqlitePool(config(dir, 2).acquireTimeout(SHORT_TIMEOUT).build());
                Connection first = pool.getConnection();
                Connection second = pool.getConnection()) {
            long start = System.nanoTime();
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("exhausted")
                    .hasMessageContaining("'test-pool'")
                    .hasMessageContaining("300 ms")
                    .hasMessageContaining("active 2")
                    .hasMessageContaining("idle 0")
                    .hasMessageContaining("waiting 1");
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(waited).isGreaterThanOrEqualTo(SHORT_TIMEOUT).isLessThan(LONG_TIMEOUT);
            assertThat(pool.stats()).isEqualTo(new PoolStats("test-pool", 2, 2, 2, 0, 0));
        }
    }

    @Test
    void recoversAfterALeaseIsReturned() throws Exception {
        try (SqlitePool pool = new SqlitePool(config(dir, 1).acquireTimeout(SHORT_TIMEOUT).build())) {
            Connection only = pool.getConnection();
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            only.close();

            try (Connection again = pool.getConnection()) {
                assertThat(queryLong(again, "SELECT 1")).isEqualTo(1);
                assertThat(pool.stats()).isEqualTo(new PoolStats("test-pool", 1, 1, 1, 0, 0));
            }
            assertThat(pool.stats()).isEqualTo(new PoolStats("test-pool", 1, 1, 0, 1, 0));
        }
    }

    @Test
    void aWaiterIsServedAsSoonAsALeaseIsReturned() throws Exception {
        try (SqlitePool pool = new SqlitePool(config(dir, 1).acquireTimeout(LONG_TIMEOUT).build())) {
            Connection only = pool.getConnection();
            Future<Long> waiter = executor.submit(() -> {
                try (Connection lease = pool.getConnection()) {
                    return queryLong(lease, "SELECT 42");
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 1);

            only.close();

            // far less than the 30 s acquire timeout: the return woke the waiter
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(pool.stats()).isEqualTo(new PoolStats("test-pool", 1, 1, 0, 1, 0));
        }
    }

    @Test
    void anInterruptWhileWaitingEndsTheWaitAndKeepsTheInterruptFlag() throws Exception {
        try (SqlitePool pool = new SqlitePool(config(dir, 1).acquireTimeout(LONG_TIMEOUT).build());
                Connection only = pool.getConnection()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean flagAfterwards = new AtomicBoolean();
            Thread waiter = new Thread(() -> {
                try (Connection unexpected = pool.getConnection()) {
                    failure.set(new AssertionError("got a connection: " + unexpected));
                } catch (Throwable e) {
                    failure.set(e);
                }
                flagAfterwards.set(Thread.currentThread().isInterrupted());
            }, "interrupted-waiter");
            waiter.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 1);

            waiter.interrupt();
            waiter.join(10_000);

            assertThat(waiter.isAlive()).as("waiter still waiting after the interrupt").isFalse();
            assertThat(failure.get())
                    .isInstanceOf(SQLException.class)
                    .isNotInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("interrupted")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(flagAfterwards).isTrue();
            assertThat(pool.stats().waiting()).isZero();
        }
    }

    @Test
    void anAlreadyInterruptedThreadDoesNotWaitForAnExhaustedPool() throws Exception {
        try (SqlitePool pool = new SqlitePool(config(dir, 1).acquireTimeout(LONG_TIMEOUT).build());
                Connection only = pool.getConnection()) {
            CompletableFuture<Boolean> flag = CompletableFuture.supplyAsync(() -> {
                Thread.currentThread().interrupt();
                try {
                    pool.getConnection().close();
                    throw new AssertionError("got a connection from an exhausted pool");
                } catch (SQLException e) {
                    assertThat(e.getMessage()).contains("interrupted");
                    return Thread.interrupted(); // reads and clears the flag of this pooled thread
                }
            }, executor);
            assertThat(flag.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anInterruptedThreadStillGetsAnIdleConnection() throws Exception {
        try (SqlitePool pool = PoolFixtures.pool(dir, 1)) {
            Thread.currentThread().interrupt();
            try (Connection lease = pool.getConnection()) {
                assertThat(lease.isValid(1)).isTrue();
            } finally {
                assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
            }
        }
    }

    @Test
    void refusesAUserNameAndPassword() throws Exception {
        try (SqlitePool pool = PoolFixtures.pool(dir, 1)) {
            assertThatThrownBy(() -> pool.getConnection("sa", "secret"))
                    .isInstanceOf(SQLFeatureNotSupportedException.class)
                    .hasMessageContaining("'test-pool'")
                    .hasMessageContaining("SQLite has no users")
                    .hasMessageContaining("getConnection()");
            assertThat(pool.stats().idle()).isEqualTo(1);
        }
    }
}
