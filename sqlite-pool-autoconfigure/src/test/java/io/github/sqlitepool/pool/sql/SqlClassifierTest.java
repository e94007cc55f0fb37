package io.github.sqlitepool.pool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SqlClassifierTest {

    static Stream<Arguments> statements() {
        return Stream.of(
                // reads
                Arguments.of("SELECT 1", SqlKind.READ),
                Arguments.of("select * from t where id = ?", SqlKind.READ),
                Arguments.of("  \n\t SELECT 1", SqlKind.READ),
                Arguments.of("-- a comment\nSELECT 1", SqlKind.READ),
                Arguments.of("/* block */ /* another */ select 1", SqlKind.READ),
                Arguments.of("VALUES (1), (2)", SqlKind.READ),
                Arguments.of("EXPLAIN QUERY PLAN DELETE FROM t", SqlKind.READ),
                Arguments.of("SELECT 1;", SqlKind.READ),
                Arguments.of("SELECT 1; SELECT 2", SqlKind.READ),
                Arguments.of("SELECT 'x; DELETE FROM t'", SqlKind.READ),
                Arguments.of("SELECT replace(name, 'a', 'b') FROM t", SqlKind.READ),
                Arguments.of("WITH c AS (SELECT 1) SELECT * FROM c", SqlKind.READ),
                Arguments.of("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) "
                        + "SELECT replace(x, 1, 2) FROM c", SqlKind.READ),
                Arguments.of("PRAGMA user_version", SqlKind.READ),
                Arguments.of("PRAGMA main.journal_mode", SqlKind.READ),
                Arguments.of("pragma table_info(t)", SqlKind.READ),
                Arguments.of("PRAGMA integrity_check(10)", SqlKind.READ),
                Arguments.of("ROLLBACK TO sp1", SqlKind.READ),
                Arguments.of("ROLLBACK TRANSACTION TO SAVEPOINT sp1", SqlKind.READ),
                Arguments.of("", SqlKind.READ),
                Arguments.of("-- only a comment", SqlKind.READ),
                // writes
                Arguments.of("INSERT INTO t VALUES (1)", SqlKind.WRITE),
                Arguments.of("insert into t(v) values (?) returning id", SqlKind.WRITE),
                Arguments.of("UPDATE t SET v = v + 1", SqlKind.WRITE),
                Arguments.of("DELETE FROM t", SqlKind.WRITE),
                Arguments.of("REPLACE INTO t VALUES (1)", SqlKind.WRITE),
                Arguments.of("/* SELECT */ UPDATE t SET v = 1", SqlKind.WRITE),
                Arguments.of("-- SELECT\nDELETE FROM t", SqlKind.WRITE),
                Arguments.of("CREATE TABLE t (id INTEGER)", SqlKind.WRITE),
                Arguments.of("DROP TABLE t", SqlKind.WRITE),
                Arguments.of("ALTER TABLE t ADD COLUMN x", SqlKind.WRITE),
                Arguments.of("VACUUM", SqlKind.WRITE),
                Arguments.of("vacuum main", SqlKind.WRITE),
                Arguments.of("VACUUM INTO ?", SqlKind.READ),
                Arguments.of("VACUUM main INTO '/tmp/copy.db'", SqlKind.READ),
                Arguments.of("ANALYZE", SqlKind.WRITE),
                Arguments.of("WITH c AS (SELECT 1 AS id) INSERT INTO t SELECT id FROM c", SqlKind.WRITE),
                Arguments.of("WITH c AS (SELECT 1) UPDATE t SET v = 1 WHERE id IN (SELECT * FROM c)", SqlKind.WRITE),
                Arguments.of("WITH \"select\" AS (SELECT 1) DELETE FROM t", SqlKind.WRITE),
                Arguments.of("PRAGMA user_version = 3", SqlKind.WRITE),
                Arguments.of("PRAGMA main.user_version=3", SqlKind.WRITE),
                Arguments.of("PRAGMA journal_mode(WAL)", SqlKind.WRITE),
                Arguments.of("PRAGMA wal_checkpoint(TRUNCATE)", SqlKind.WRITE),
                Arguments.of("PRAGMA optimize", SqlKind.WRITE),
                Arguments.of("SELECT 1; DELETE FROM t", SqlKind.WRITE),
                Arguments.of("SELECT ';'; UPDATE t SET v = 2", SqlKind.WRITE),
                Arguments.of("ATTACH DATABASE 'x.db' AS x", SqlKind.WRITE),
                Arguments.of("something unknown", SqlKind.WRITE),
                Arguments.of("(SELECT 1)", SqlKind.WRITE),
                Arguments.of(null, SqlKind.WRITE),
                // transaction control
                Arguments.of("BEGIN", SqlKind.BEGIN),
                Arguments.of("begin immediate transaction", SqlKind.BEGIN_WRITE),
                Arguments.of("BEGIN EXCLUSIVE", SqlKind.BEGIN_WRITE),
                Arguments.of("BEGIN DEFERRED TRANSACTION", SqlKind.BEGIN),
                Arguments.of("BEGIN TRANSACTION", SqlKind.BEGIN),
                Arguments.of("SAVEPOINT sp1", SqlKind.SAVEPOINT),
                Arguments.of("COMMIT", SqlKind.END),
                Arguments.of("END TRANSACTION", SqlKind.END),
                Arguments.of("ROLLBACK", SqlKind.END),
                Arguments.of("ROLLBACK TRANSACTION", SqlKind.END),
                Arguments.of("RELEASE SAVEPOINT sp1", SqlKind.RELEASE),
                Arguments.of("BEGIN; UPDATE t SET v = 1; COMMIT", SqlKind.WRITE));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("statements")
    void classifiesByWhatTheSqlDoes(String sql, SqlKind expected) {
        if (sql != null) {
            assertThat(SqlClassifier.classifyText(sql)).isEqualTo(expected);
        }
        assertThat(SqlClassifier.classify(sql)).isEqualTo(expected);
        assertThat(SqlClassifier.canWrite(sql)).isEqualTo(expected != SqlKind.READ);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "UPDATE a SET n = 1; COMMIT; BEGIN | true",
        "INSERT INTO a VALUES (1); /* c */ rollback | true",
        "SELECT 1; BEGIN IMMEDIATE | true",
        "END | true",
        "ROLLBACK TO s; RELEASE s | false",
        "UPDATE a SET n = 1; UPDATE b SET n = 2 | false",
        "INSERT INTO a VALUES ('; COMMIT') | false",
        "SAVEPOINT s; INSERT INTO a VALUES (1) | false"})
    void aTransactionBegunOrEndedAnywhereInATextIsFound(String sql, boolean found) {
        assertThat(SqlStatements.beginsOrEndsTransaction(sql)).as(sql).isEqualTo(found);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "ATTACH DATABASE 'aux.db' AS aux | true",
        "/* comment */ attach 'aux.db' AS aux | true",
        "-- note\\n DETACH aux | true",
        "UPDATE t SET n = 1; ATTACH 'aux.db' AS aux | true",
        "CREATE TEMP TABLE x (n INTEGER) | true",
        "INSERT INTO attachments (name) VALUES ('a') | false",
        "UPDATE t SET n = 1 | false"})
    void sessionStateIsFoundBehindCommentsAndInAnyStatement(String sql, boolean found) {
        assertThat(SqlClassifier.mayCreateSessionState(sql.replace("\\n", "\n"))).as(sql).isEqualTo(found);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "VACUUM INTO '/tmp/copy.db' | true",
        "/* backup */ vacuum main into ? | true",
        "SELECT 1; VACUUM INTO '/tmp/copy.db' | true",
        "VACUUM | false",
        "SELECT 'vacuum into' | false"})
    void aCopyOfTheDatabaseIsFoundInAnyStatement(String sql, boolean found) {
        assertThat(SqlStatements.copiesDatabase(sql)).as(sql).isEqualTo(found);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "ROLLBACK | true", "rollback transaction | true", "/* c */ ROLLBACK; | true",
        "ROLLBACK TO s | false", "COMMIT | false", "END | false"})
    void aRollbackOfTheWholeTransactionIsToldFromACommit(String sql, boolean rollsBack) {
        assertThat(SqlStatements.rollsBack(sql)).as(sql).isEqualTo(rollsBack);
    }
}
