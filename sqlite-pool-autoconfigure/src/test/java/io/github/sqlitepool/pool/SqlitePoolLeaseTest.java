package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.physical;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConnection;

/** A lease: returned by close, reset before reuse, dead after close, replaced when broken. */
class SqlitePoolLeaseTest {

    private static final Executor DIRECT = Runnable::run;

    @TempDir
    Path dir;

    @RegisterExtension
    final HelperThreads executor = new HelperThreads();

    private SqlitePool pool;

    @BeforeEach
    void startPool() throws SQLException {
        pool = PoolFixtures.pool(dir, 2);
        try (Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)");
        }
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    private PoolStats stats(int active, int idle) {
        return new PoolStats("test-pool", 2, 2, active, idle, 0);
    }

    /** Leases both connections and returns their physical connections, then hands them back. */
    private List<SQLiteConnection> physicalConnections() throws SQLException {
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            return List.of(physical(a), physical(b));
        }
    }

    @Test
    void closeReturnsTheConnectionToThePool() throws Exception {
        Connection lease = pool.getConnection();
        SQLiteConnection underneath = physical(lease);
        assertThat(pool.stats()).isEqualTo(stats(1, 1));

        lease.close();

        assertThat(lease.isClosed()).isTrue();
        assertThat(underneath.isClosed()).isFalse();
        assertThat(pool.stats()).isEqualTo(stats(0, 2));
        try (Connection next = pool.getConnection()) {
            // the most recently returned connection is handed out first (warm page cache)
            assertThat(physical(next)).isSameAs(underneath);
        }
    }

    @Test
    void aSecondCloseDoesNothing() throws Exception {
        Connection lease = pool.getConnection();
        lease.close();
        lease.close();
        assertThat(pool.stats()).isEqualTo(stats(0, 2));

        // the connection now belongs to another lease: a late second close must not take it away
        Connection other = pool.getConnection();
        lease.close();
        assertThat(pool.stats()).isEqualTo(stats(1, 1));
        assertThat(queryLong(other, "SELECT count(*) FROM items")).isZero();
        other.close();

        assertThat(physicalConnections()).doesNotHaveDuplicates().hasSize(2);
        assertThat(pool.stats()).isEqualTo(stats(0, 2));
    }

    @Test
    void everyCallOnAClosedLeaseFailsWithConnectionIsClosed() throws Exception {
        Connection lease = pool.getConnection();
        lease.close();

        List<ThrowingCallable> calls = List.of(
                lease::createStatement,
                () -> lease.prepareStatement("SELECT 1"),
                () -> lease.prepareCall("SELECT 1"),
                () -> lease.setAutoCommit(false),
                lease::getAutoCommit,
                lease::commit,
                lease::rollback,
                () -> lease.setReadOnly(true),
                lease::isReadOnly,
                () -> lease.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE),
                lease::getMetaData,
                lease::setSavepoint,
                lease::getWarnings,
                () -> lease.unwrap(SQLiteConnection.class),
                () -> lease.isWrapperFor(SQLiteConnection.class),
                () -> lease.nativeSQL("SELECT 1"));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(SQLException.class).hasMessage("connection is closed");
        }
        assertThatThrownBy(() -> lease.setClientInfo("ApplicationName", "x"))
                .isInstanceOf(SQLClientInfoException.class).hasMessage("connection is closed");
        assertThat(lease.isClosed()).isTrue();
        assertThat(lease.isValid(1)).isFalse();
        assertThat(pool.stats()).isEqualTo(stats(0, 2));
    }

    @Test
    void anOpenLeaseIsValidAndRefusesStoredProcedures() throws Exception {
        try (Connection lease = pool.getConnection()) {
            assertThat(lease.isValid(1)).isTrue();
            assertThatThrownBy(() -> lease.isValid(-1)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> lease.prepareCall("CALL x()"))
                    .isInstanceOf(SQLFeatureNotSupportedException.class)
                    .hasMessageContaining("stored procedures");
        }
    }

    @Test
    void anUncommittedTransactionIsRolledBackOnReturn() throws Exception {
        try (Connection lease = pool.getConnection()) {
            lease.setAutoCommit(false);
            execute(lease, "INSERT INTO items(name) VALUES ('uncommitted')");
            assertThat(queryLong(lease, "SELECT count(*) FROM items")).isEqualTo(1);
        }
        assertNoRowsAndAutoCommitOnEveryConnection();
    }

    /** sqlite-jdbc stays in auto-commit mode and does not know about these transactions. */
    @ParameterizedTest
    @ValueSource(strings = {"BEGIN", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "SAVEPOINT open_savepoint"})
    void aTransactionBegunWithSqlIsRolledBackOnReturn(String begin) throws Exception {
        try (Connection lease = pool.getConnection()) {
            execute(lease, begin);
            execute(lease, "INSERT INTO items(name) VALUES ('uncommitted')");
        }
        assertNoRowsAndAutoCommitOnEveryConnection();
    }

    private void assertNoRowsAndAutoCommitOnEveryConnection() throws SQLException {
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            for (Connection lease : List.of(a, b)) {
                assertThat(lease.getAutoCommit()).isTrue();
                assertThat(queryLong(lease, "SELECT count(*) FROM items")).isZero();
            }
            // no write lock was left behind: both can write, one after the other, in auto-commit
            execute(a, "INSERT INTO items(name) VALUES ('a')");
            execute(b, "INSERT INTO items(name) VALUES ('b')");
        }
        try (Connection lease = pool.getConnection()) {
            assertThat(queryLong(lease, "SELECT count(*) FROM items")).isEqualTo(2);
        }
    }

    @Test
    void readOnlyIsSwitchedOffOnReturn() throws Exception {
        try (Connection lease = pool.getConnection()) {
            lease.setReadOnly(true);
            assertThat(lease.isReadOnly()).isTrue();
            assertThat(queryLong(lease, "PRAGMA query_only")).isEqualTo(1);
            assertThatThrownBy(() -> execute(lease, "INSERT INTO items(name) VALUES ('refused')"))
                    .isInstanceOf(SQLException.class);
        }
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            for (Connection lease : List.of(a, b)) {
                assertThat(lease.isReadOnly()).isFalse();
                assertThat(queryLong(lease, "PRAGMA query_only")).isZero();
                execute(lease, "INSERT INTO items(name) VALUES ('allowed')");
            }
        }
    }

    @Test
    void readOnlyCannotChangeInsideATransaction() throws Exception {
        try (Connection lease = pool.getConnection()) {
            lease.setAutoCommit(false);
            assertThatThrownBy(() -> lease.setReadOnly(true))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("inside a transaction");
        }
        assertThat(pool.stats()).isEqualTo(stats(0, 2));
    }

    @Test
    void transactionIsolationIsRestoredOnReturn() throws Exception {
        int defaultIsolation;
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            defaultIsolation = a.getTransactionIsolation();
            a.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            b.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            assertThat(a.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_UNCOMMITTED);
        }
        assertThat(defaultIsolation).isNotEqualTo(Connection.TRANSACTION_READ_UNCOMMITTED);
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            assertThat(a.getTransactionIsolation()).isEqualTo(defaultIsolation);
            assertThat(b.getTransactionIsolation()).isEqualTo(defaultIsolation);
        }
    }

    @Test
    void statementsLeftOpenAreClosedOnReturn() throws Exception {
        Statement statement;
        PreparedStatement prepared;
        ResultSet rows;
        PreparedStatement closedByCaller;
        try (Connection lease = pool.getConnection()) {
            execute(lease, "INSERT INTO items(name) VALUES ('one'), ('two')");
            statement = lease.createStatement();
            rows = statement.executeQuery("SELECT name FROM items");
            assertThat(rows.next()).isTrue();
            prepared = lease.prepareStatement("SELECT name FROM items WHERE id = ?");
            closedByCaller = lease.prepareStatement("SELECT 1");
            closedByCaller.close();
        }
        assertThat(statement.isClosed()).isTrue();
        assertThat(prepared.isClosed()).isTrue();
        assertThat(rows.isClosed()).isTrue();
        assertThat(closedByCaller.isClosed()).isTrue();
        assertThatThrownBy(() -> statement.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
        assertThat(pool.stats()).isEqualTo(stats(0, 2));
    }

    @Test
    void statementsAnswerTheLeaseAsTheirConnection() throws Exception {
        try (Connection lease = pool.getConnection();
                Statement plain = lease.createStatement();
                Statement scrollable = lease.createStatement(ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY);
                PreparedStatement prepared = lease.prepareStatement("SELECT 1");
                PreparedStatement withKeys = lease.prepareStatement("INSERT INTO items(name) VALUES (?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            assertThat(plain.getConnection()).isSameAs(lease);
            assertThat(scrollable.getConnection()).isSameAs(lease);
            assertThat(prepared.getConnection()).isSameAs(lease);
            assertThat(withKeys.getConnection()).isSameAs(lease);
        }
    }

    @Test
    void aConnectionClosedUnderneathItsLeaseIsReplaced() throws Exception {
        List<SQLiteConnection> before = physicalConnections();
        Connection lease = pool.getConnection();
        SQLiteConnection broken = physical(lease);
        broken.close();

        lease.close();

        assertThat(pool.stats()).isEqualTo(stats(0, 2));
        List<SQLiteConnection> after = physicalConnections();
        assertThat(after).doesNotContain(broken).doesNotHaveDuplicates().hasSize(2);
        assertThat(after).containsAnyElementsOf(before);
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            for (Connection each : List.of(a, b)) {
                assertThat(each.isValid(1)).isTrue();
                execute(each, "INSERT INTO items(name) VALUES ('works')");
                // the replacement was configured like the others
                assertThat(queryLong(each, "PRAGMA foreign_keys")).isEqualTo(1);
                assertThat(PoolFixtures.queryString(each, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void abortClosesThePhysicalConnectionAndThePoolReplacesIt() throws Exception {
        Connection lease = pool.getConnection();
        SQLiteConnection underneath = physical(lease);
        lease.setAutoCommit(false);
        execute(lease, "INSERT INTO items(name) VALUES ('aborted')");

        lease.abort(DIRECT);

        assertThat(lease.isClosed()).isTrue();
        assertThat(underneath.isClosed()).isTrue();
        lease.abort(DIRECT); // on a closed lease: nothing
        lease.close();
        assertThat(pool.stats()).isEqualTo(stats(0, 2));
        assertThat(physicalConnections()).doesNotContain(underneath).doesNotHaveDuplicates();
        try (Connection next = pool.getConnection()) {
            assertThat(queryLong(next, "SELECT count(*) FROM items")).isZero();
        }
    }

    /** abort() is meant to be called from another thread, on a connection that may be busy. */
    @Test
    void abortFromAnotherThreadStopsARunningStatement() throws Exception {
        CompletableFuture<Connection> leased = new CompletableFuture<>();
        CompletableFuture<Thread> worker = new CompletableFuture<>();
        Future<Long> endless = executor.submit(() -> {
            worker.complete(Thread.currentThread());
            Connection lease = pool.getConnection();
            leased.complete(lease);
            try {
                return queryLong(lease, PoolFixtures.ENDLESS_QUERY);
            } finally {
                lease.close();
            }
        });
        Connection lease = leased.get(10, TimeUnit.SECONDS);
        Thread running = worker.get(10, TimeUnit.SECONDS);
        await("the endless query running in SQLite").atMost(Duration.ofSeconds(10))
                .until(() -> Arrays.stream(running.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().equals("org.sqlite.core.NativeDB")));

        Future<?> aborting = executor.submit(() -> {
            lease.abort(DIRECT);
            return null;
        });

        aborting.get(10, TimeUnit.SECONDS); // the statement would run for minutes
        assertThatThrownBy(() -> endless.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
        assertThat(lease.isClosed()).isTrue();
        assertThat(pool.stats()).isEqualTo(stats(0, 2));
    }

    @Test
    void abortNeedsAnExecutor() throws Exception {
        try (Connection lease = pool.getConnection()) {
            assertThatThrownBy(() -> lease.abort(null)).isInstanceOf(SQLException.class);
            assertThat(lease.isClosed()).isFalse();
        }
    }

    @Test
    void unwrapReachesTheDriverConnection() throws Exception {
        try (Connection lease = pool.getConnection()) {
            assertThat(lease.isWrapperFor(SQLiteConnection.class)).isTrue();
            assertThat(lease.unwrap(Connection.class)).isSameAs(lease);
            assertThat(lease.unwrap(SQLiteConnection.class)).isNotSameAs(lease);
        }
    }

    @Test
    void databaseMetadataAnswersTheLeaseAndDiesWithIt() throws SQLException {
        java.sql.DatabaseMetaData metaData;
        ResultSet tables;
        try (Connection lease = pool.getConnection()) {
            metaData = lease.getMetaData();
            assertThat(metaData.getConnection()).isSameAs(lease);
            assertThat(metaData.getDatabaseProductName()).isEqualTo("SQLite");
            try (ResultSet rs = metaData.getTables(null, null, "items", null)) {
                assertThat(rs.getStatement()).as("metadata results have no statement to lead past the lease").isNull();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("TABLE_NAME")).isEqualTo("items");
            }
            tables = metaData.getTables(null, null, "%", null);
        }
        assertThatThrownBy(() -> metaData.getTables(null, null, "%", null)).isInstanceOf(SQLException.class)
                .hasMessage("connection is closed");
        assertThatThrownBy(metaData::getConnection).hasMessage("connection is closed");
        assertThatThrownBy(() -> metaData.unwrap(org.sqlite.jdbc4.JDBC4DatabaseMetaData.class))
                .hasMessage("connection is closed");
        assertThat(metaData.getDriverMajorVersion()).isPositive();
        tables.close();
    }
}
