package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.sqlitepool.pool.config.PragmaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A query timeout is a deadline that stops the statement that overruns it (SQLite's interrupt),
 * not a change of the connection's busy timeout; {@code Statement.cancel()} stops only its own
 * lease's statement.
 */
class QueryTimeoutTest {

    /** Counts to a billion: minutes of work, stopped only by an interrupt. */
    private static final String LONG_COUNT = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
            + " WHERE x < 1000000000) SELECT count(*) FROM c";

    /** The same count as a write: inserts a billion rows. */
    private static final String LONG_WRITE = "INSERT INTO t (v) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL"
            + " SELECT x + 1 FROM c WHERE x < 1000000000) SELECT x FROM c";

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final HelperThreads helpers = new HelperThreads();

    private SqlitePool pool(int connections) throws SQLException {
        SqlitePool pool = new SqlitePool(PoolFixtures.config(dir, connections)
                .pragmas(PragmaSettings.builder().busyTimeout(Duration.ofMillis(1_500)).build()).build());
        try (Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        }
        return pool;
    }

    @Test
    void aStatementPastItsQueryTimeoutIsInterruptedAndTheConnectionGoesBackHealthy() throws Exception {
        try (SqlitePool pool = pool(1)) {
            assertTimeoutPreemptively(BOUND, () -> {
                try (Connection lease = pool.getConnection(); Statement statement = lease.createStatement()) {
                    statement.setQueryTimeout(1);
                    assertThat(statement.getQueryTimeout()).isEqualTo(1);
                    assertThatThrownBy(() -> statement.executeQuery(LONG_COUNT))
                            .isInstanceOf(SQLTimeoutException.class)
                            .hasMessageContaining("query timeout of 1 s")
                            .hasRootCauseInstanceOf(SQLiteException.class);
                    // the lease goes on working, and the timeout never became a busy timeout
                    assertThat(queryLong(lease, "SELECT 42")).isEqualTo(42);
                    assertThat(queryLong(lease, "PRAGMA busy_timeout")).isEqualTo(1_500);
                }
                try (Connection lease = pool.getConnection()) {
                    assertThat(queryLong(lease, "SELECT count(*) FROM t")).isZero();
                }
            });
            assertThat(pool.stats().idle()).isEqualTo(pool.stats().total());
        }
    }

    @Test
    void aTimeoutOfZeroMeansNoDeadlineAndLeavesTheBusyTimeoutAlone() throws Exception {
        try (SqlitePool pool = pool(1); Connection lease = pool.getConnection();
                PreparedStatement count = lease.prepareStatement(
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)"
                                + " SELECT count(*) FROM c")) {
            count.setQueryTimeout(0); // what Hibernate sets
            try (var rs = count.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(100_000);
            }
            assertThat(queryLong(lease, "PRAGMA busy_timeout")).isEqualTo(1_500);
            assertThat(PoolFixtures.physical(lease).getBusyTimeout()).isEqualTo(1_500);
        }
    }

    @Test
    void aNegativeTimeoutIsRefused() throws Exception {
        try (SqlitePool pool = pool(1); Connection lease = pool.getConnection();
                Statement statement = lease.createStatement()) {
            assertThatThrownBy(() -> statement.setQueryTimeout(-1)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("-1");
        }
    }

    @Test
    void aTransactionalTimeoutStopsTheWriteAndTheTransactionIsRolledBack() throws Exception {
        try (SqlitePool pool = pool(2)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(pool));
            transaction.setTimeout(3); // far above the begin and the first insert on a loaded machine
            assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                jdbc.update("INSERT INTO t (v) VALUES (1)");
                jdbc.update(LONG_WRITE);
            })).isInstanceOf(QueryTimeoutException.class).hasMessageContaining("query timeout"));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM t", Long.class)).isZero();
            // the writer is free again: the next write goes through at once
            jdbc.update("INSERT INTO t (v) VALUES (2)");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM t", Long.class)).isOne();
            assertThat(pool.stats().idle()).isEqualTo(pool.stats().total());
        }
    }

    /** A cancel that comes before anything ran on the lease finds nothing to stop, and stops nothing later. */
    @Test
    void cancelBeforeTheLeasesFirstExecutionStopsNothing() throws Exception {
        try (SqlitePool pool = pool(1); Connection lease = pool.getConnection();
                Statement statement = lease.createStatement()) {
            statement.cancel();
            assertThat(queryLong(lease, "SELECT 7")).isEqualTo(7);
            try (ResultSet results = statement.executeQuery("SELECT 8")) {
                assertThat(results.next()).isTrue();
                assertThat(results.getLong(1)).isEqualTo(8);
            }
        }
    }

    @Test
    void cancelStopsTheRunningStatementOfThatLeaseAndNothingElse() throws Exception {
        try (SqlitePool pool = pool(2)) {
            CountDownLatch started = new CountDownLatch(1);
            Connection longLease = pool.getConnection();
            Statement longStatement = longLease.createStatement();
            Future<Throwable> longRun = helpers.submit(() -> {
                started.countDown();
                try {
                    longStatement.executeQuery(LONG_COUNT);
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch otherRan = new CountDownLatch(3);
            Future<Long> otherWork = helpers.submit(() -> {
                long runs = 0;
                try (Connection other = pool.getConnection()) {
                    while (!stop.get()) {
                        assertThat(queryLong(other, "SELECT count(*) FROM t")).isZero();
                        runs++;
                        otherRan.countDown();
                    }
                }
                return runs;
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(otherRan.await(30, TimeUnit.SECONDS))
                    .as("the other lease queries while the long statement runs").isTrue();
            // cancel until the statement has surely started: a cancel before it runs is dropped
            while (!longRun.isDone()) {
                longStatement.cancel();
                Thread.onSpinWait();
            }
            Throwable failure = longRun.get(30, TimeUnit.SECONDS);
            stop.set(true);
            assertThat(failure).isInstanceOf(SQLException.class).hasMessageContaining("cancelled")
                    .isNotInstanceOf(SQLTimeoutException.class);
            assertThat(((SQLException) failure).getSQLState()).isEqualTo("HY008");
            assertThat(otherWork.get(30, TimeUnit.SECONDS)).as("the other lease's queries all succeeded").isPositive();
            assertThat(queryLong(longLease, "SELECT 7")).as("the cancelled lease works on").isEqualTo(7);
            longStatement.close();
            longLease.close();
        }
    }

    @Test
    void aDeadlineThatPassesWhileWaitingForTheWriteLaneRunsNothing() throws Exception {
        try (SqlitePool pool = pool(2); Connection holder = pool.getConnection()) {
            holder.setAutoCommit(false);
            execute(holder, "INSERT INTO t (v) VALUES (1)"); // holds the write lane until commit
            Future<Throwable> waiter = helpers.submit(() -> {
                try (Connection lease = pool.getConnection(); Statement statement = lease.createStatement()) {
                    statement.setQueryTimeout(1); // shorter than the 5 s acquire timeout
                    statement.executeUpdate("INSERT INTO t (v) VALUES (2)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            Throwable failure = waiter.get(4, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("query timeout of 1 s passed while the statement waited for the write lane")
                    .hasMessageContaining("nothing was run");
            holder.commit();
            assertThat(queryLong(holder, "SELECT count(*) FROM t WHERE v = 2")).isZero();
        }
    }

    @Test
    void anotherProcesssLockIsWaitedForByTheBusyTimeoutNotTheQueryTimeout() throws Exception {
        try (SqlitePool pool = pool(1);
                Connection otherProcess = DriverManager.getConnection(PoolFixtures.fileUrl(dir))) {
            execute(otherProcess, "BEGIN IMMEDIATE");
            try (Connection lease = pool.getConnection(); Statement statement = lease.createStatement()) {
                statement.setQueryTimeout(30);
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    Throwable failure = null;
                    try {
                        statement.executeUpdate("INSERT INTO t (v) VALUES (1)");
                    } catch (SQLException e) {
                        failure = e;
                    }
                    assertThat(failure).as("the busy timeout (1.5 s) ends the wait, long before the deadline")
                            .isInstanceOf(SQLiteException.class).isNotInstanceOf(SQLTimeoutException.class);
                    assertThat(((SQLiteException) failure).getResultCode().code & 0xff)
                            .isEqualTo(SQLiteErrorCode.SQLITE_BUSY.code);
                });
            } finally {
                execute(otherProcess, "ROLLBACK");
            }
        }
    }
}
