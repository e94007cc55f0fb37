package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqliteConnectionFactory;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import io.github.sqlitepool.pool.config.Synchronous;
import io.github.sqlitepool.pool.config.TempStore;
import io.github.sqlitepool.testsupport.EveryConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PRAGMA the user configured holds on every pooled connection after any lease: statement
 * settings (query timeouts of any value, max rows, fetch size), commits, rollbacks, errors, and
 * PRAGMAs a caller changed on its own lease.
 */
class ConfiguredPragmasHoldTest {

    private static final int CONNECTIONS = 4;

    @TempDir
    Path dir;

    /** Every typed setting away from its default, and two extras. */
    private SqlitePoolConfig config() {
        return PoolFixtures.config(dir, CONNECTIONS)
                .statementCacheSize(8)
                .pragmas(PragmaSettings.builder()
                        .synchronous(Synchronous.FULL)
                        .cacheSize(2_345)
                        .tempStore(TempStore.FILE)
                        .busyTimeout(Duration.ofMillis(7_000))
                        .foreignKeys(false)
                        .mmapSize(1L << 20)
                        .journalSizeLimit(3L << 20)
                        .walAutocheckpoint(321)
                        .extra(Map.of("recursive_triggers", "1", "cell_size_check", "1"))
                        .build())
                .build();
    }

    @Test
    void everyConfiguredPragmaHoldsOnEveryConnectionAfterAnyWorkload() throws Exception {
        SqlitePoolConfig config = config();
        try (SqlitePool pool = new SqlitePool(config)) {
            try (Connection lease = pool.getConnection()) {
                execute(lease, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
            }
            for (int round = 0; round < CONNECTIONS * 3; round++) {
                workload(pool, round);
            }
            assertEveryConnectionHolds(pool, config);
        }
    }

    private static void workload(SqlitePool pool, int round) throws SQLException {
        // statement settings, as Spring's JdbcTemplate, @Transactional(timeout) and Hibernate set them
        try (Connection lease = pool.getConnection();
                PreparedStatement insert = lease.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
            insert.setQueryTimeout(round % 2 == 0 ? 3 : 0);
            insert.setMaxRows(20);
            insert.setFetchSize(10);
            insert.setInt(1, round);
            insert.executeUpdate();
        }
        try (Connection lease = pool.getConnection(); Statement statement = lease.createStatement()) {
            statement.setQueryTimeout(0); // Hibernate's default: must not become a busy timeout of 0
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM t")) {
                assertThat(rs.next()).isTrue();
            }
        }
        // a committed and a rolled back transaction, with a query timeout inside
        try (Connection lease = pool.getConnection()) {
            lease.setAutoCommit(false);
            try (Statement statement = lease.createStatement()) {
                statement.setQueryTimeout(2);
                statement.executeUpdate("UPDATE t SET v = v + 1");
            }
            if (round % 2 == 0) {
                lease.commit();
            } else {
                lease.rollback();
            }
        }
        // an error
        try (Connection lease = pool.getConnection(); Statement statement = lease.createStatement()) {
            statement.setQueryTimeout(1);
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO t (v) VALUES (NULL)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("NOT NULL");
        }
        // the caller changes PRAGMAs on its own lease
        try (Connection lease = pool.getConnection()) {
            execute(lease, "PRAGMA busy_timeout = 1");
            execute(lease, "PRAGMA cache_size = 17");
            execute(lease, "PRAGMA foreign_keys = ON");
            execute(lease, "PRAGMA recursive_triggers = OFF");
            assertThat(queryLong(lease, "PRAGMA busy_timeout")).as("the caller's own lease sees its change")
                    .isEqualTo(1);
        }
        // read-only
        try (Connection lease = pool.getConnection()) {
            lease.setReadOnly(true);
            assertThat(queryLong(lease, "SELECT count(*) FROM t")).isPositive();
        }
    }

    /** Takes every connection at once and reads every configured PRAGMA back on each. */
    private static void assertEveryConnectionHolds(SqlitePool pool, SqlitePoolConfig config) throws SQLException {
        SqliteConnectionFactory factory = new SqliteConnectionFactory(config.url(), config.pragmas());
        EveryConnection.check(pool, CONNECTIONS, lease -> {
            assertThat(factory.verify(lease)).as("PRAGMAs that differ on %s", lease).isEmpty();
            assertThat(queryLong(lease, "PRAGMA busy_timeout")).isEqualTo(7_000);
            assertThat(queryLong(lease, "PRAGMA recursive_triggers")).isEqualTo(1);
            assertThat(queryLong(lease, "PRAGMA cell_size_check")).isEqualTo(1);
            assertThat(PoolFixtures.physical(lease).getBusyTimeout())
                    .as("the driver's own idea of the busy timeout, which it puts back after a query timeout")
                    .isEqualTo(7_000);
        });
    }

    /**
     * PRAGMAs outside the configuration that a lease sets in SQL, or through the driver's own
     * objects, do not reach the next lease on the connection.
     */
    @Test
    void sessionPragmasALeaseChangedAreThoseOfANewConnectionForTheNextLease() throws Exception {
        try (SqlitePool pool = new SqlitePool(PoolFixtures.config(dir, 1).build())) {
            try (Connection lease = pool.getConnection()) {
                execute(lease, "CREATE TABLE t (n INTEGER CHECK (n > 0))");
                execute(lease, "PRAGMA query_only = 1");
                execute(lease, "PRAGMA ignore_check_constraints = 1");
                execute(lease, "PRAGMA recursive_triggers = 1");
                execute(lease, "PRAGMA reverse_unordered_selects = 1");
            }
            try (Connection next = pool.getConnection()) {
                assertThat(queryLong(next, "PRAGMA query_only")).isZero();
                assertThat(queryLong(next, "PRAGMA ignore_check_constraints")).isZero();
                assertThat(queryLong(next, "PRAGMA recursive_triggers")).isZero();
                assertThat(queryLong(next, "PRAGMA reverse_unordered_selects")).isZero();
                execute(next, "INSERT INTO t VALUES (1)"); // query_only would refuse it
                assertThatThrownBy(() -> execute(next, "INSERT INTO t VALUES (-1)")).hasMessageContaining("CHECK");
            }
            try (Connection lease = pool.getConnection()) {
                org.sqlite.SQLiteConnection driver = lease.unwrap(org.sqlite.SQLiteConnection.class);
                driver.setBusyTimeout(1);
                try (Statement statement = driver.createStatement()) {
                    statement.execute("PRAGMA synchronous = OFF"); // past the pool: it never sees this SQL
                    statement.execute("PRAGMA query_only = 1");
                }
            }
            try (Connection next = pool.getConnection()) {
                assertThat(queryLong(next, "PRAGMA busy_timeout")).isEqualTo(PragmaSettings.DEFAULT_BUSY_TIMEOUT.toMillis());
                assertThat(queryLong(next, "PRAGMA synchronous")).as("NORMAL").isEqualTo(1);
                assertThat(queryLong(next, "PRAGMA query_only")).isZero();
            }
        }
    }
}
