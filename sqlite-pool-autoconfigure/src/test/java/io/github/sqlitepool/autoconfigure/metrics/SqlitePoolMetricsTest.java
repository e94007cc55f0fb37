package io.github.sqlitepool.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.sqlitepool.pool.HelperThreads;
import io.github.sqlitepool.pool.PoolFixtures;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SqlitePoolMetricsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final HelperThreads threads = new HelperThreads();

    @Test
    void everyMeterIsRegisteredWithThePoolTag() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SqlitePool pool = pool("tagged", 2)) {
            new SqlitePoolMetrics(pool).bindTo(registry);

            assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName()).containsExactlyInAnyOrder(
                    "sqlite.pool.connections.active", "sqlite.pool.connections.idle",
                    "sqlite.pool.connections.pending", "sqlite.pool.connections.max", "sqlite.pool.wal.size",
                    "sqlite.pool.connections.acquire", "sqlite.pool.connections.usage",
                    "sqlite.pool.write.lane.wait", "sqlite.pool.write.lane.held", "sqlite.pool.write.lane.timeout",
                    "sqlite.pool.connections.timeout", "sqlite.pool.statements.cached",
                    "sqlite.pool.statements.prepared", "sqlite.pool.statements.prepared",
                    "sqlite.pool.storage.writable", "sqlite.pool.storage.failures",
                    "sqlite.pool.checkpoint.starved",
                    "sqlite.pool.lane.serialization.failures", "sqlite.pool.lane.revocations",
                    "sqlite.pool.connections.reserve.leases", "sqlite.pool.group.commit.members",
                    "sqlite.pool.group.commit.failures", "sqlite.pool.group.commit.deadlocks");
            assertThat(registry.getMeters()).extracting(meter -> meter.getId().getTag("pool")).containsOnly("tagged");
            assertThat(registry.get("sqlite.pool.wal.size").gauge().getId().getBaseUnit()).isEqualTo("bytes");
        }
    }

    @Test
    void gaugesTimersAndCounterFollowThePool() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SqlitePool pool = pool("moving", 1)) {
            new SqlitePoolMetrics(pool).bindTo(registry);
            assertThat(gauge(registry, "sqlite.pool.connections.max")).isEqualTo(1);
            assertThat(gauge(registry, "sqlite.pool.connections.idle")).isEqualTo(1);
            assertThat(gauge(registry, "sqlite.pool.wal.size")).isZero();

            try (Connection lease = pool.getConnection(); Statement statement = lease.createStatement()) {
                statement.execute("CREATE TABLE t (x INTEGER)");
                statement.execute("INSERT INTO t VALUES (1)");
                assertThat(gauge(registry, "sqlite.pool.connections.active")).isEqualTo(1);
                assertThat(gauge(registry, "sqlite.pool.connections.idle")).isZero();
                assertThat(gauge(registry, "sqlite.pool.wal.size")).isPositive();
                assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            }

            assertThat(gauge(registry, "sqlite.pool.connections.active")).isZero();
            assertThat(gauge(registry, "sqlite.pool.connections.pending")).isZero();
            assertThat(registry.get("sqlite.pool.connections.acquire").functionTimer().count()).isEqualTo(1);
            assertThat(registry.get("sqlite.pool.connections.usage").functionTimer().count()).isEqualTo(1);
            assertThat(registry.get("sqlite.pool.connections.usage").functionTimer().totalTime(
                    TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("sqlite.pool.connections.timeout").counter().count()).isEqualTo(1);
            // each auto-commit write (CREATE, INSERT) took and released the write lane once
            assertThat(registry.get("sqlite.pool.write.lane.wait").timer().count()).isEqualTo(2);
            assertThat(registry.get("sqlite.pool.write.lane.held").timer().count()).isEqualTo(2);
            assertThat(registry.get("sqlite.pool.write.lane.held").timer().totalTime(TimeUnit.NANOSECONDS))
                    .isPositive();

            assertThat(gauge(registry, "sqlite.pool.statements.cached")).isZero();
            for (int i = 0; i < 3; i++) {
                try (Connection lease = pool.getConnection();
                     java.sql.PreparedStatement select = lease.prepareStatement("SELECT x FROM t WHERE x = ?")) {
                    select.setInt(1, 1);
                    select.executeQuery().close();
                }
            }
            assertThat(gauge(registry, "sqlite.pool.statements.cached")).isEqualTo(1);
            assertThat(registry.get("sqlite.pool.statements.prepared").tag("cache", "miss").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("sqlite.pool.statements.prepared").tag("cache", "hit").functionCounter().count())
                    .isEqualTo(2);
        }
    }

    @Test
    void laneCountersFollowASerializationFailure() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SqlitePool pool = pool("lane", 1)) {
            new SqlitePoolMetrics(pool).bindTo(registry);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (x INTEGER)");
            }
            try (Connection reader = pool.getConnection()) {
                reader.setAutoCommit(false);
                try (Statement s = reader.createStatement()) {
                    s.executeQuery("SELECT count(*) FROM t").close(); // takes the lane revocably
                    try (Connection writer = pool.getConnection(); Statement w = writer.createStatement()) {
                        w.execute("INSERT INTO t VALUES (1)"); // same thread: revokes, writes, commits
                        assertThat(pool.stats().reserveLeases()).as("no connection was idle").isEqualTo(1);
                    }
                    assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (2)"))
                            .hasFieldOrPropertyWithValue("SQLState", "40001");
                }
                reader.rollback();
                reader.setAutoCommit(true);
            }
            assertThat(registry.get("sqlite.pool.lane.serialization.failures").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("sqlite.pool.lane.revocations").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("sqlite.pool.connections.reserve.leases").functionCounter().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aWriterThatGaveUpWaitingForTheLaneIsCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SqlitePool pool = new SqlitePool(config("lane-timeout", 2, Duration.ofMillis(200)).build())) {
            new SqlitePoolMetrics(pool).bindTo(registry);
            java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
            try (Connection holder = pool.getConnection()) {
                execute(holder, "CREATE TABLE t (x INTEGER)");
                holder.setAutoCommit(false);
                execute(holder, "INSERT INTO t VALUES (1)"); // holds the lane firmly
                java.util.concurrent.Future<Throwable> writer = other.submit(() -> {
                    try (Connection c = pool.getConnection()) {
                        execute(c, "INSERT INTO t VALUES (2)");
                        return null;
                    } catch (SQLException e) {
                        return e;
                    }
                });
                assertThat(writer.get(10, java.util.concurrent.TimeUnit.SECONDS))
                        .isInstanceOf(java.sql.SQLTransientConnectionException.class);
                holder.rollback();
            } finally {
                other.shutdownNow();
            }
            assertThat(registry.get("sqlite.pool.write.lane.timeout").counter().count()).isEqualTo(1);
            assertThat(registry.get("sqlite.pool.connections.timeout").counter().count()).isZero();
        }
    }

    @Test
    void pendingCountsThreadsWaitingForAConnection() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SqlitePool pool = pool("pending", 1, Duration.ofSeconds(60))) {
            new SqlitePoolMetrics(pool).bindTo(registry);
            Thread waiter;
            try (Connection lease = pool.getConnection()) {
                waiter = new Thread(() -> {
                    try (Connection second = pool.getConnection()) {
                        // returned at once
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                waiter.start();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> gauge(registry, "sqlite.pool.connections.pending") == 1);
            }
            waiter.join(Duration.ofSeconds(30).toMillis());
            assertThat(waiter.isAlive()).isFalse();
            assertThat(gauge(registry, "sqlite.pool.connections.pending")).isZero();
        }
    }

    @Test
    void groupCommitsAreMeasuredByMembersAndFailures() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SqlitePool pool = new SqlitePool(config("grouped", 4, Duration.ofSeconds(30))
                .groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING).build())) {
            new SqlitePoolMetrics(pool).bindTo(registry);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (owner TEXT UNIQUE)");
                s.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
                s.execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
            }
            DistributionSummary members = registry.get("sqlite.pool.group.commit.members").summary();
            Counter failures = registry.get("sqlite.pool.group.commit.failures").counter();

            assertThat(inOneGroup(pool, "INSERT INTO t VALUES ('leader')",
                    "INSERT INTO t VALUES ('a')", "INSERT INTO t VALUES ('b')")).containsOnlyNulls();
            assertThat(members.count()).as("groups committed").isEqualTo(1);
            assertThat(members.totalAmount()).as("the leader and two waiting transactions").isEqualTo(3);
            assertThat(failures.count()).isZero();

            // the orphan's deferred foreign key fails the group's COMMIT
            assertThat(inOneGroup(pool, "INSERT INTO t VALUES ('second leader')",
                    "INSERT INTO child VALUES (42)")).allSatisfy(
                            outcome -> assertThat(outcome).hasMessageContaining("FOREIGN KEY"));
            assertThat(members.count()).as("groups committed").isEqualTo(1);
            assertThat(failures.count()).isEqualTo(1);
            assertThat(members.getId().getTag("pool")).isEqualTo("grouped");
        }
    }

    /**
     * Runs {@code leaderSql} in a transaction that holds the write lane until a transaction for
     * each of {@code memberSql} waits for it at its begin, then commits: the waiting transactions
     * join the leader's group. Returns the leader's and each member's commit outcome (null when
     * it committed, else its error).
     */
    private List<Throwable> inOneGroup(SqlitePool pool, String leaderSql, String... memberSql) throws Exception {
        List<Future<Throwable>> memberOutcomes = new ArrayList<>();
        List<Throwable> outcomes = new ArrayList<>();
        try (Connection leader = pool.getConnection()) {
            leader.setAutoCommit(false);
            execute(leader, leaderSql); // holds the lane firmly from here
            for (String sql : memberSql) {
                memberOutcomes.add(threads.submit(() -> transaction(pool, sql)));
                int waiting = memberOutcomes.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> pool.writeLaneStats().waiting() == waiting);
            }
            outcomes.add(PoolFixtures.commitOrRollBack(leader));
        }
        for (Future<Throwable> outcome : memberOutcomes) {
            outcomes.add(outcome.get(30, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    /** One transaction of {@code sql}: null when it committed, else its error. */
    private static Throwable transaction(SqlitePool pool, String sql) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false); // waits for the lane, held by the leader
            execute(connection, sql);
            return PoolFixtures.commitOrRollBack(connection);
        }
    }

    /** Runs {@code sql} and closes its statement: a transaction with an open statement commits on its own. */
    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private SqlitePool pool(String name, int size) {
        return pool(name, size, Duration.ofMillis(200));
    }

    private SqlitePool pool(String name, int size, Duration acquireTimeout) {
        return new SqlitePool(config(name, size, acquireTimeout).build());
    }

    private SqlitePoolConfig.Builder config(String name, int size, Duration acquireTimeout) {
        return SqlitePoolConfig.builder().url("jdbc:sqlite:" + dir.resolve(name + ".db")).name(name)
                .maxConnections(size).acquireTimeout(acquireTimeout);
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
