package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Listener events for metrics and leak detection: acquired, released, timed out. */
class SqlitePoolListenerTest {

    private static final Duration PAUSE = Duration.ofMillis(100);

    @TempDir
    Path dir;

    @RegisterExtension
    final HelperThreads executor = new HelperThreads();

    private final Recorder recorder = new Recorder();

    record Event(String kind, Connection lease, long nanos, PoolStats stats, Thread thread) {
    }

    static final class Recorder implements PoolListener {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void leaseAcquired(Connection lease, long waitNanos) {
            events.add(new Event("acquired", lease, waitNanos, null, Thread.currentThread()));
        }

        @Override
        public void leaseReleased(Connection lease, long heldNanos) {
            events.add(new Event("released", lease, heldNanos, null, Thread.currentThread()));
        }

        @Override
        public void acquireTimedOut(PoolStats stats) {
            events.add(new Event("timeout", null, 0, stats, Thread.currentThread()));
        }
    }

    @Test
    void acquiredAndReleasedCarryTheLeaseAndSaneDurations() throws Exception {
        try (SqlitePool pool = PoolFixtures.pool(dir, 2)) {
            pool.addListener(recorder);
            Connection lease = pool.getConnection();
            Thread.sleep(PAUSE.toMillis());
            lease.close();
            lease.close(); // a second close is not a second release

            assertThat(recorder.events).extracting(Event::kind).containsExactly("acquired", "released");
            Event acquired = recorder.events.get(0);
            Event released = recorder.events.get(1);
            assertThat(acquired.lease()).isSameAs(lease);
            assertThat(released.lease()).isSameAs(lease);
            assertThat(acquired.thread()).isSameAs(Thread.currentThread());
            assertThat(Duration.ofNanos(acquired.nanos())).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(released.nanos())).isGreaterThanOrEqualTo(PAUSE)
                    .isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void aWaitIsReportedWithItsLength() throws Exception {
        try (SqlitePool pool = new SqlitePool(config(dir, 1).acquireTimeout(Duration.ofSeconds(30)).build())) {
            Connection held = pool.getConnection();
            pool.addListener(recorder);
            Future<?> waiter = executor.submit(() -> {
                pool.getConnection().close();
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 1);
            Thread.sleep(PAUSE.toMillis());
            held.close();
            waiter.get(10, TimeUnit.SECONDS);

            Event acquired = recorder.events.stream().filter(e -> e.kind().equals("acquired")).findFirst()
                    .orElseThrow();
            assertThat(acquired.thread()).isNotSameAs(Thread.currentThread());
            assertThat(Duration.ofNanos(acquired.nanos())).isGreaterThanOrEqualTo(PAUSE)
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(recorder.events).extracting(Event::kind).containsExactly("released", "acquired", "released");
        }
    }

    @Test
    void aTimeoutIsReportedWithThePoolState() throws Exception {
        try (SqlitePool pool = new SqlitePool(config(dir, 1).acquireTimeout(Duration.ofMillis(200)).build());
                Connection held = pool.getConnection()) {
            pool.addListener(recorder);
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);

            assertThat(recorder.events).extracting(Event::kind).containsExactly("timeout");
            assertThat(recorder.events.get(0).stats()).isEqualTo(new PoolStats("test-pool", 1, 1, 1, 0, 1));
        }
    }

    @Test
    void aRemovedListenerHearsNothingMore() throws Exception {
        try (SqlitePool pool = PoolFixtures.pool(dir, 1)) {
            pool.addListener(recorder);
            pool.getConnection().close();
            pool.removeListener(recorder);
            pool.getConnection().close();
            assertThat(recorder.events).extracting(Event::kind).containsExactly("acquired", "released");
        }
    }

    /** A listener that breaks its contract ("must not throw") on every event. */
    private static final class ThrowingListener implements PoolListener {
        @Override
        public void leaseAcquired(Connection lease, long waitNanos) {
            throw new IllegalStateException("acquired");
        }

        @Override
        public void leaseReleased(Connection lease, long heldNanos) {
            throw new IllegalStateException("released");
        }

        @Override
        public void acquireTimedOut(PoolStats stats) {
            throw new IllegalStateException("timeout");
        }

        @Override
        public void writeLaneAcquired(long waitNanos) {
            throw new IllegalStateException("lane acquired");
        }

        @Override
        public void writeLaneReleased(long heldNanos) {
            throw new IllegalStateException("lane released");
        }
    }

    @Test
    void aListenerThatThrowsCostsNoConnectionAndTheOtherListenersAreStillTold() throws Exception {
        try (SqlitePool pool = new SqlitePool(config(dir, 1).acquireTimeout(Duration.ofMillis(200)).build())) {
            pool.addListener(new ThrowingListener());
            pool.addListener(recorder);
            for (int i = 0; i < 3; i++) { // one connection: each lease needs the one the lease before gave back
                try (Connection lease = pool.getConnection()) {
                    PoolFixtures.execute(lease, "CREATE TABLE IF NOT EXISTS t (n INTEGER)");
                    PoolFixtures.execute(lease, "INSERT INTO t VALUES (" + i + ")");
                }
            }
            try (Connection held = pool.getConnection()) {
                assertThatThrownBy(pool::getConnection).as("the pool's own error, not the listener's")
                        .isInstanceOf(SQLTransientConnectionException.class);
                assertThat(PoolFixtures.queryLong(held, "SELECT count(*) FROM t")).isEqualTo(3);
            }

            assertThat(pool.stats().idle()).as("the connection came back every time").isEqualTo(1);
            assertThat(recorder.events).extracting(Event::kind)
                    .containsExactly("acquired", "released", "acquired", "released", "acquired", "released",
                            "acquired", "timeout", "released");
        }
    }

    /**
     * A lease lets the lane go before its connection is back in the pool: once back, another lease
     * may run on it, and the release (which reads the connection's changes) must not wait for that
     * lease's statements nor read what they did. A transaction left open is rolled back first.
     */
    @Test
    void aClosedLeaseLetsTheLaneGoAfterItsRollbackAndBeforeItsConnectionIsBack() throws Exception {
        try (SqlitePool pool = PoolFixtures.pool(dir, 2)) {
            try (Connection setup = pool.getConnection()) {
                PoolFixtures.execute(setup, "CREATE TABLE t (n INTEGER)");
            }
            List<PoolStats> atRelease = new CopyOnWriteArrayList<>();
            List<String> writeLockAtRelease = new CopyOnWriteArrayList<>();
            pool.addListener(new PoolListener() {
                @Override
                public void writeLaneReleased(long heldNanos) {
                    atRelease.add(pool.stats());
                    // SQLite's write lock is free only once the lease's transaction was rolled back
                    try (Connection other = java.sql.DriverManager.getConnection(PoolFixtures.fileUrl(dir));
                            java.sql.Statement statement = other.createStatement()) {
                        statement.execute("PRAGMA busy_timeout = 0");
                        statement.execute("BEGIN IMMEDIATE");
                        statement.execute("ROLLBACK");
                        writeLockAtRelease.add("free");
                    } catch (java.sql.SQLException e) {
                        writeLockAtRelease.add(e.getMessage());
                    }
                }
            });
            Connection lease = pool.getConnection();
            lease.setAutoCommit(false);
            PoolFixtures.execute(lease, "INSERT INTO t VALUES (1)");
            lease.close(); // neither committed nor rolled back

            assertThat(atRelease).singleElement().as("the lease's connection is not idle yet")
                    .satisfies(stats -> assertThat(stats.idle()).isEqualTo(1));
            assertThat(writeLockAtRelease).as("its transaction was rolled back before").containsExactly("free");
            assertThat(pool.stats().idle()).isEqualTo(2);
        }
    }
}
