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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * The pool's statement cache seen from a lease: a statement closed by one lease is reused by the
 * next that prepares the same SQL, in the state a fresh one has, and nothing the first lease
 * still holds (the statement, its result set) reaches it any more.
 */
class SqlitePoolStatementCacheTest {

    @TempDir
    Path dir;

    private SqlitePool pool;

    private SqlitePool start(int connections, int cacheSize) throws SQLException {
        pool = new SqlitePool(PoolFixtures.config(dir, connections).statementCacheSize(cacheSize).build());
        try (Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)");
            execute(lease, "INSERT INTO items(id, name) VALUES (1, 'one'), (2, 'two')");
        }
        return pool;
    }

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * The driver's statement behind a lease's prepared statement. Read from the field: asking
     * through {@code unwrap} hands the driver's statement out, after which it is never cached.
     */
    private static JDBC4PreparedStatement driver(PreparedStatement statement) {
        return (JDBC4PreparedStatement) ((LeasedPreparedStatement) statement).delegate;
    }

    private JDBC4PreparedStatement prepareAndClose(String sql) throws SQLException {
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            return driver(statement);
        }
    }

    @Test
    void theNextLeaseReusesAClosedStatement() throws SQLException {
        start(1, 8);
        JDBC4PreparedStatement first = prepareAndClose("SELECT name FROM items WHERE id = ?");

        JDBC4PreparedStatement second = prepareAndClose("SELECT name FROM items WHERE id = ?");

        assertThat(second).isSameAs(first);
        assertThat(first.isClosed()).isFalse();
    }

    @Test
    void sizeZeroPreparesEveryTime() throws SQLException {
        start(1, 0);
        JDBC4PreparedStatement first = prepareAndClose("SELECT name FROM items WHERE id = ?");

        JDBC4PreparedStatement second = prepareAndClose("SELECT name FROM items WHERE id = ?");

        assertThat(second).isNotSameAs(first);
        assertThat(first.isClosed()).isTrue();
    }

    @Test
    void aReusedStatementHasNoParametersLeft() throws SQLException {
        start(1, 8);
        JDBC4PreparedStatement first;
        try (Connection lease = pool.getConnection();
             PreparedStatement statement = lease.prepareStatement("SELECT ?")) {
            first = driver(statement);
            statement.setLong(1, 42);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(42);
            }
        }

        try (Connection lease = pool.getConnection();
             PreparedStatement statement = lease.prepareStatement("SELECT ?");
             ResultSet rs = statement.executeQuery()) {
            assertThat(driver(statement)).isSameAs(first);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1)).as("an unbound parameter is NULL, not the last lease's value").isNull();
        }
    }

    @Test
    void aClosedStatementRefusesEverythingButClose() throws SQLException {
        start(1, 8);
        PreparedStatement statement;
        try (Connection lease = pool.getConnection()) {
            statement = lease.prepareStatement("SELECT name FROM items WHERE id = ?");
            statement.close();
            statement.close();

            assertThat(statement.isClosed()).isTrue();
            assertThatThrownBy(statement::executeQuery).isInstanceOf(SQLException.class)
                    .hasMessage("statement is closed");
            assertThatThrownBy(() -> statement.setLong(1, 1)).isInstanceOf(SQLException.class)
                    .hasMessage("statement is closed");
        }
    }

    @Test
    void aResultSetLeftOpenDiesWithItsStatementAndCannotReadTheNextLeasesRows() throws SQLException {
        start(1, 8);
        String sql = "SELECT name FROM items WHERE id = ?";
        ResultSet stale;
        try (Connection lease = pool.getConnection()) {
            PreparedStatement statement = lease.prepareStatement(sql);
            statement.setLong(1, 1);
            stale = statement.executeQuery();
            assertThat(stale.getStatement()).isSameAs(statement);
            assertThat(stale.getStatement().getConnection()).isSameAs(lease);
            statement.close(); // the result set is not closed by its holder
        }

        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            statement.setLong(1, 2);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(stale.isClosed()).isTrue();
                assertThatThrownBy(stale::next).isInstanceOf(SQLException.class)
                        .hasMessageContaining("result set is closed");
                assertThatThrownBy(() -> stale.unwrap(org.sqlite.jdbc4.JDBC4ResultSet.class))
                        .hasMessageContaining("result set is closed");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("two");
            }
        }
    }

    @Test
    void executingAgainEndsThePreviousResultSet() throws SQLException {
        start(1, 8);
        try (Connection lease = pool.getConnection();
             PreparedStatement statement = lease.prepareStatement("SELECT name FROM items WHERE id = ?")) {
            statement.setLong(1, 1);
            ResultSet first = statement.executeQuery();
            statement.setLong(1, 2);
            try (ResultSet second = statement.executeQuery()) {
                assertThatThrownBy(first::next).isInstanceOf(SQLException.class);
                assertThat(second.next()).isTrue();
                assertThat(second.getString(1)).isEqualTo("two");
            }
        }
    }

    @Test
    void aCachedStatementHoldsNoSnapshot() throws SQLException {
        start(2, 8);
        try (Connection lease = pool.getConnection()) {
            PreparedStatement statement = lease.prepareStatement("SELECT name FROM items WHERE id = ?");
            JDBC4PreparedStatement cached = driver(statement);
            statement.setLong(1, 1);
            ResultSet rs = statement.executeQuery();
            assertThat(rs.next()).isTrue();
            statement.close(); // mid-result: going back to the cache must reset it

            try (Connection writer = pool.getConnection()) {
                execute(writer, "INSERT INTO items(id, name) VALUES (3, 'three')");
                try (Statement checkpoint = writer.createStatement();
                     ResultSet result = checkpoint.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getInt(1)).as("busy: a reader would keep the WAL").isZero();
                }
            }
            assertThat(queryLong(lease, "SELECT count(id) FROM items")).as("the lease sees the new row").isEqualTo(3);
            try (PreparedStatement again = lease.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                assertThat(driver(again)).as("it was cached, not closed").isSameAs(cached);
            }
        }
    }

    @Test
    void theSettingsSpringChangesArePutBackBeforeTheStatementIsCached() throws SQLException {
        start(1, 8);
        String sql = "SELECT name FROM items WHERE id > ? ORDER BY id";
        JDBC4PreparedStatement first;
        int fetchSize;
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            fetchSize = statement.getFetchSize();
            statement.setQueryTimeout(7); // what @Transactional(timeout = 7) makes Spring do
            statement.setFetchSize(fetchSize + 50); // sqlite-jdbc refuses a fetch size above max rows
            statement.setMaxRows(1);
            statement.setLong(1, 0);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.next()).as("max rows 1").isFalse();
            }
            first = driver(statement);
        }
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            assertThat(driver(statement)).isSameAs(first);
            assertThat(statement.getQueryTimeout()).isZero();
            assertThat(statement.getMaxRows()).isZero();
            assertThat(statement.getFetchSize()).isEqualTo(fetchSize);
            statement.setLong(1, 0);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.next()).as("no row limit carried over").isTrue();
            }
        }
    }

    @Test
    void otherSettingsAndUnfetchedResultsAreNotCarriedOver() throws SQLException {
        start(1, 8);
        String sql = "SELECT name FROM items WHERE id > ?";
        JDBC4PreparedStatement withMaxFieldSize;
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            statement.setMaxFieldSize(10);
            withMaxFieldSize = driver(statement);
        }
        JDBC4PreparedStatement notPoolable;
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            assertThat(driver(statement)).isNotSameAs(withMaxFieldSize);
            statement.setPoolable(false);
            notPoolable = driver(statement);
        }
        JDBC4PreparedStatement unfetched;
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            assertThat(driver(statement)).isNotSameAs(notPoolable);
            statement.setLong(1, 0);
            assertThat(statement.execute()).isTrue(); // rows waiting, never fetched
            unfetched = driver(statement);
        }
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            assertThat(driver(statement)).isNotSameAs(unfetched);
        }
        assertThat(withMaxFieldSize.isClosed()).isTrue();
        assertThat(notPoolable.isClosed()).isTrue();
        assertThat(unfetched.isClosed()).isTrue();
    }

    @Test
    void aResultFetchedThroughGetResultSetAndClosedLetsTheStatementBeCached() throws SQLException {
        start(1, 8);
        String sql = "SELECT name FROM items WHERE id = ?";
        JDBC4PreparedStatement first;
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            statement.setLong(1, 1);
            assertThat(statement.execute()).isTrue();
            try (ResultSet rs = statement.getResultSet()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("one");
            }
            first = driver(statement);
        }
        assertThat(prepareAndClose(sql)).isSameAs(first);
    }

    @Test
    void aBatchLeftUnexecutedIsDropped() throws SQLException {
        start(1, 8);
        String sql = "INSERT INTO items(name) VALUES (?)";
        JDBC4PreparedStatement first;
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            statement.setString(1, "never");
            statement.addBatch();
            first = driver(statement);
        }
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            assertThat(driver(statement)).isSameAs(first);
            statement.setString(1, "batched");
            statement.addBatch();
            assertThat(statement.executeBatch()).containsExactly(1);
            assertThat(queryLong(lease, "SELECT count(id) FROM items WHERE name = 'never'")).isZero();
            assertThat(queryLong(lease, "SELECT count(id) FROM items WHERE name = 'batched'")).isEqualTo(1);
        }
    }

    @Test
    void cachedStatementsFollowASchemaChange() throws SQLException {
        start(1, 8);
        String named = "SELECT id, name FROM items WHERE id = ?";
        String star = "SELECT * FROM items WHERE id = ?";
        JDBC4PreparedStatement namedBefore = prepareAndClose(named);
        JDBC4PreparedStatement starBefore = prepareAndClose(star);
        try (Connection lease = pool.getConnection()) {
            execute(lease, "ALTER TABLE items ADD COLUMN extra TEXT DEFAULT 'x'");
            try (PreparedStatement statement = lease.prepareStatement(named)) {
                assertThat(driver(statement)).isSameAs(namedBefore);
                statement.setLong(1, 2);
                try (ResultSet rs = statement.executeQuery()) {
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("name")).isEqualTo("two");
                }
            }
            try (PreparedStatement statement = lease.prepareStatement(star)) {
                assertThat(driver(statement)).isSameAs(starBefore);
                statement.setLong(1, 2);
                try (ResultSet rs = statement.executeQuery()) {
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(3);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("extra")).isEqualTo("x");
                }
            }
        }
    }

    @Test
    void metadataOfAReusedStatementIsAnsweredBeforeItRuns() throws SQLException {
        start(1, 8);
        String sql = "SELECT id, name FROM items WHERE id = ?";
        JDBC4PreparedStatement first;
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            statement.setLong(1, 1);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
            first = driver(statement);
        }
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            assertThat(driver(statement)).isSameAs(first);
            assertThat(statement.getMetaData().getColumnCount()).isEqualTo(2);
            assertThat(statement.getMetaData().getColumnName(2)).isEqualTo("name");
            assertThat(statement.getParameterMetaData().getParameterCount()).isEqualTo(1);
        }
    }

    @Test
    void metadataDiesWithItsStatementAndUnwrappingKeepsTheStatementOutOfTheCache() throws SQLException {
        start(1, 8);
        String sql = "SELECT id, name FROM items WHERE id = ?";
        java.sql.ResultSetMetaData columns;
        java.sql.ParameterMetaData parameters;
        java.sql.ResultSetMetaData resultColumns;
        JDBC4PreparedStatement unwrapped;
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            columns = statement.getMetaData();
            parameters = statement.getParameterMetaData();
            statement.setLong(1, 1);
            try (ResultSet rs = statement.executeQuery()) {
                resultColumns = rs.getMetaData();
                assertThat(resultColumns.getColumnCount()).isEqualTo(2);
            }
            unwrapped = statement.unwrap(JDBC4PreparedStatement.class);
            assertThat(unwrapped).isSameAs(driver(statement));
        }
        assertThatThrownBy(columns::getColumnCount).hasMessage("statement is closed");
        assertThatThrownBy(parameters::getParameterCount).hasMessage("statement is closed");
        assertThatThrownBy(resultColumns::getColumnCount).hasMessageContaining("result set is closed");
        assertThatThrownBy(() -> columns.unwrap(ResultSet.class)).hasMessage("statement is closed");
        assertThatThrownBy(() -> parameters.unwrap(PreparedStatement.class)).hasMessage("statement is closed");
        assertThatThrownBy(() -> resultColumns.unwrap(ResultSet.class)).hasMessageContaining("result set is closed");
        assertThat(unwrapped.isClosed()).as("handed out, so closed rather than cached").isTrue();
        assertThat(prepareAndClose(sql)).isNotSameAs(unwrapped);
    }

    @Test
    void aReExecutionThatFailsWithAResultOpenIsNotCachedAndHoldsNothing() throws SQLException {
        start(2, 8);
        String sql = "SELECT name FROM items WHERE id > ?";
        JDBC4PreparedStatement failed;
        try (Connection lease = pool.getConnection()) {
            PreparedStatement statement = lease.prepareStatement(sql);
            statement.setLong(1, 0);
            ResultSet rs = statement.executeQuery();
            assertThat(rs.next()).isTrue();
            // the driver refuses this before it resets the open result
            assertThatThrownBy(statement::executeUpdate).isInstanceOf(SQLException.class);
            failed = driver(statement);
            statement.close();
            assertThat(failed.isClosed()).as("closed, not cached with its result open").isTrue();

            try (Connection writer = pool.getConnection()) {
                execute(writer, "INSERT INTO items(id, name) VALUES (3, 'three')");
                assertThat(queryLong(writer, "PRAGMA wal_checkpoint(TRUNCATE)")).as("busy").isZero();
            }
        }
    }

    @Test
    void aFailedReExecutionEndsTheWriteOfAnOpenResultAndFreesTheLane() throws SQLException {
        start(2, 8);
        try (Connection lease = pool.getConnection();
             PreparedStatement statement = lease.prepareStatement("INSERT INTO items(name) VALUES ('three') RETURNING id")) {
            ResultSet rs = statement.executeQuery();
            assertThat(rs.next()).isTrue();
            assertThat(pool.writeLaneStats().holderThread()).as("the open result holds the write").isNotNull();

            // the driver refuses this before it resets the open result; the lease resets it
            assertThatThrownBy(statement::executeUpdate).isInstanceOf(SQLException.class);

            assertThat(pool.writeLaneStats().holderThread()).isNull();
            try (Connection writer = pool.getConnection()) {
                // with SQLite's write lock still held this would wait out busy_timeout and fail
                execute(writer, "INSERT INTO items(name) VALUES ('four')");
                assertThat(queryLong(writer, "SELECT count(id) FROM items")).as("'three' committed").isEqualTo(4);
            }
        }
    }

    @Test
    void aFullCacheClosesTheStatementUsedLeastRecently() throws SQLException {
        start(1, 2);
        JDBC4PreparedStatement a = prepareAndClose("SELECT name FROM items WHERE id = 1");
        JDBC4PreparedStatement b = prepareAndClose("SELECT name FROM items WHERE id = 2");

        prepareAndClose("SELECT id FROM items WHERE name = 'one'");

        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isFalse();
    }

    @Test
    void aStatementClosedAfterItsLeaseEndedIsNotCached() throws SQLException {
        start(1, 8);
        String sql = "SELECT name FROM items WHERE id = ?";
        PreparedStatement leftOpen;
        JDBC4PreparedStatement driverStatement;
        try (Connection lease = pool.getConnection()) {
            leftOpen = lease.prepareStatement(sql);
            driverStatement = driver(leftOpen);
        }
        leftOpen.close();

        assertThat(driverStatement.isClosed()).as("closed with its lease").isTrue();
        assertThat(prepareAndClose(sql)).isNotSameAs(driverStatement);
    }

    @Test
    void insertReturningThroughTheCacheStillReleasesTheWriteLane() throws SQLException {
        start(1, 8);
        String sql = "INSERT INTO items(name) VALUES (?) RETURNING id";
        JDBC4PreparedStatement first = null;
        for (String name : new String[] {"three", "four"}) {
            try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
                if (first == null) {
                    first = driver(statement);
                } else {
                    assertThat(driver(statement)).isSameAs(first);
                }
                statement.setString(1, name);
                try (ResultSet rs = statement.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(pool.writeLaneStats().holderThread()).isNotNull();
                }
            }
            assertThat(pool.writeLaneStats().holderThread()).isNull();
        }
        try (Connection lease = pool.getConnection()) {
            assertThat(queryLong(lease, "SELECT count(id) FROM items")).isEqualTo(4);
        }
    }

    @Test
    void aCachedInsertLeavesNoStatementInProgress() throws SQLException {
        start(1, 8);
        String sql = "INSERT INTO items(name) VALUES (?)";
        JDBC4PreparedStatement first;
        try (Connection lease = pool.getConnection(); PreparedStatement statement = lease.prepareStatement(sql)) {
            statement.setString(1, "three");
            statement.executeUpdate();
            first = driver(statement);
        }
        try (Connection lease = pool.getConnection()) {
            // SQLite refuses VACUUM while any statement of the connection is in progress
            execute(lease, "VACUUM");
            try (PreparedStatement statement = lease.prepareStatement(sql)) {
                assertThat(driver(statement)).isSameAs(first);
            }
        }
    }
}
