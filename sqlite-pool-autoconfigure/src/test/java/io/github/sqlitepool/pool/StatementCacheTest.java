package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which SQL is cached, and the least recently used statement closed when the cache is full. */
class StatementCacheTest {

    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        PoolFixtures.execute(connection, "CREATE TABLE t(a INTEGER, b TEXT)");
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT a FROM t WHERE a = ?", "  select a, b from t", "INSERT INTO t(a) VALUES (?)",
            "update t set b = ? where a = ?", "DELETE FROM t WHERE a = ?", "REPLACE INTO t(a) VALUES (1)",
            "WITH x AS (SELECT 1 AS v) SELECT v FROM x", "VALUES (1)", "INSERT INTO t(a) VALUES (?) RETURNING a"})
    void plainQueriesAndDataChangesAreCached(String sql) {
        assertThat(StatementCache.cacheable(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM t", "SELECT count(*) FROM t", "SELECT a * 2 FROM t",
            "INSERT INTO t(a) VALUES (1) RETURNING *"})
    void starIsCachedToo(String sql) {
        assertThat(StatementCache.cacheable(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO t(a) VALUES (?)", "  replace into t(a) values (1)",
            "WITH x AS (SELECT 1 AS v) INSERT INTO t(a) SELECT v FROM x"})
    void insertsLeaveGeneratedKeysToClose(String sql) {
        assertThat(StatementCache.mayLeaveGeneratedKeys(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPDATE t SET b = replace(b, ?, ?)", "DELETE FROM t WHERE b = 'inserted'",
            "SELECT a FROM t", "WITH x AS (SELECT 1 AS v) SELECT v FROM x"})
    void otherStatementsLeaveNone(String sql) {
        assertThat(StatementCache.mayLeaveGeneratedKeys(sql)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1; SELECT 2", "PRAGMA user_version",
            "CREATE TABLE u(a)", "ALTER TABLE t ADD COLUMN c", "BEGIN", "COMMIT", "SAVEPOINT s",
            "/* comment */ SELECT 1", "-- comment\nSELECT 1", "", "   ", "ATTACH 'x.db' AS x"})
    void everythingElseIsPreparedAfresh(String sql) {
        assertThat(StatementCache.cacheable(sql)).isFalse();
        assertThat(StatementCache.cacheable(null)).isFalse();
    }

    @Test
    void takeRemovesWhatPutKept() throws SQLException {
        StatementCache cache = new StatementCache(4);
        PreparedStatement statement = connection.prepareStatement("SELECT a FROM t");

        assertThat(cache.put("SELECT a FROM t", statement)).isTrue();
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.take("SELECT a FROM t")).isSameAs(statement);
        assertThat(cache.take("SELECT a FROM t")).isNull();
        assertThat(cache.size()).isZero();
        assertThat(statement.isClosed()).isFalse();
    }

    @Test
    void aSecondStatementForTheSameSqlIsNotKept() throws SQLException {
        StatementCache cache = new StatementCache(4);
        PreparedStatement first = connection.prepareStatement("SELECT a FROM t");
        PreparedStatement second = connection.prepareStatement("SELECT a FROM t");

        assertThat(cache.put("SELECT a FROM t", first)).isTrue();
        assertThat(cache.put("SELECT a FROM t", second)).isFalse();
        assertThat(cache.take("SELECT a FROM t")).isSameAs(first);
        assertThat(second.isClosed()).as("the caller closes what was refused").isFalse();
    }

    @Test
    void aFullCacheClosesTheLeastRecentlyUsed() throws SQLException {
        StatementCache cache = new StatementCache(2);
        PreparedStatement a = connection.prepareStatement("SELECT a FROM t");
        PreparedStatement b = connection.prepareStatement("SELECT b FROM t");
        PreparedStatement c = connection.prepareStatement("SELECT a, b FROM t");
        cache.put("SELECT a FROM t", a);
        cache.put("SELECT b FROM t", b);
        cache.put("SELECT a FROM t", cache.take("SELECT a FROM t")); // a is now the most recent

        cache.put("SELECT a, b FROM t", c);

        assertThat(b.isClosed()).isTrue();
        assertThat(a.isClosed()).isFalse();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.take("SELECT b FROM t")).isNull();
        assertThat(cache.take("SELECT a FROM t")).isSameAs(a);
        assertThat(cache.take("SELECT a, b FROM t")).isSameAs(c);
    }

    @Test
    void aCacheOfSizeZeroKeepsNothing() throws SQLException {
        StatementCache cache = new StatementCache(0);
        PreparedStatement statement = connection.prepareStatement("SELECT a FROM t");

        assertThat(cache.enabled()).isFalse();
        assertThat(cache.put("SELECT a FROM t", statement)).isFalse();
        assertThat(cache.size()).isZero();
    }
}
