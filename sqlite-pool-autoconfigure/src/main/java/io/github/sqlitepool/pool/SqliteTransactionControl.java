package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.core.DB;

/**
 * What a lease asks SQLite about its transaction, and tells it, behind sqlite-jdbc's back:
 * sqlite-jdbc follows transactions by its own auto-commit flag, which SQLite's automatic
 * rollbacks and SQL-level {@code BEGIN}/{@code ROLLBACK} leave wrong.
 */
final class SqliteTransactionControl {

    /** Primary result codes after which SQLite may roll a transaction back by itself. */
    private static final Set<Integer> AUTO_ROLLBACK_CODES = Set.of(SQLiteErrorCode.SQLITE_FULL.code,
            SQLiteErrorCode.SQLITE_IOERR.code, SQLiteErrorCode.SQLITE_BUSY.code, SQLiteErrorCode.SQLITE_NOMEM.code,
            SQLiteErrorCode.SQLITE_INTERRUPT.code);

    private SqliteTransactionControl() {
    }

    /** Whether SQLite may have rolled the transaction back by itself after {@code e}. */
    static boolean mayHaveRolledBack(SQLException e) {
        return e instanceof SQLiteException sqlite && AUTO_ROLLBACK_CODES.contains(sqlite.getResultCode().code & 0xff);
    }

    /**
     * Whether SQLite itself has a transaction open, whatever the driver believes. sqlite-jdbc does
     * not expose {@code sqlite3_get_autocommit}, so the test is a {@code BEGIN}: it fails only
     * inside a transaction, and when it succeeds it is rolled back at once. Two statements (a few
     * microseconds), so it runs only after errors and for leases that ran SQL which may have
     * opened a transaction.
     */
    static boolean inTransaction(Connection connection) throws SQLException {
        DB database = ((SQLiteConnection) connection).getDatabase();
        try {
            database.exec("BEGIN", false);
        } catch (SQLException refusedInsideATransaction) {
            return true;
        }
        database.exec("ROLLBACK", false);
        return false;
    }

    /**
     * What {@code Connection.commit()} does on sqlite-jdbc ({@code COMMIT}, then the {@code BEGIN}
     * of the next transaction), with the two told apart: throws only when the {@code COMMIT}
     * failed, and returns the {@code BEGIN}'s failure, or null. A caller told its transaction
     * failed may retry it, so a committed one must not be reported so.
     */
    static SQLException commitThenBegin(Connection connection) throws SQLException {
        SQLiteConnection sqlite = (SQLiteConnection) connection;
        if (sqlite.isClosed()) {
            throw new SQLException("database connection closed");
        }
        if (sqlite.getAutoCommit()) {
            throw new SQLException("database in auto-commit mode");
        }
        sqlite.getDatabase().exec("commit;", false);
        try {
            beginAsTheDriverWould(connection);
        } catch (SQLException | RuntimeException e) {
            return e instanceof SQLException sql ? sql : new SQLException(e.toString(), e);
        }
        sqlite.setFirstStatementExecuted(false);
        sqlite.setCurrentTransactionMode(sqlite.getConnectionConfig().getTransactionMode());
        return null;
    }

    /** Runs {@code sql} on the driver's database directly, past sqlite-jdbc's idea of the transaction. */
    static void exec(Connection connection, String sql) throws SQLException {
        ((SQLiteConnection) connection).getDatabase().exec(sql, false);
    }

    /** Rolls back whatever transaction SQLite has open; none open is not an error. */
    static void rollback(Connection connection) throws SQLException {
        try {
            ((SQLiteConnection) connection).getDatabase().exec("ROLLBACK", false);
        } catch (SQLException e) {
            if (!noTransactionActive(e)) {
                throw e;
            }
        }
    }

    /** Runs the {@code BEGIN} sqlite-jdbc runs for the connection's transactions (deferred while the lane is on). */
    static void beginAsTheDriverWould(Connection connection) throws SQLException {
        SQLiteConnection sqlite = (SQLiteConnection) connection;
        TransactionMode mode = sqlite.getConnectionConfig().getTransactionMode();
        sqlite.getDatabase().exec(mode == TransactionMode.DEFERRED ? "BEGIN" : "BEGIN " + mode.name(), false);
    }

    /**
     * Rolls back the transaction sqlite-jdbc has open on {@code connection}, also when SQLite already
     * rolled it back by itself, leaving the connection in the next transaction as the driver does.
     */
    static void rollbackDriverTransaction(Connection connection) throws SQLException {
        try {
            connection.rollback();
        } catch (SQLException e) {
            if (!noTransactionActive(e)) {
                throw e;
            }
            // sqlite-jdbc's rollback() ends with the BEGIN of the next transaction, which it
            // skipped because its ROLLBACK failed: run it so the connection stays in a transaction
            beginAsTheDriverWould(connection);
        }
    }

    /** Makes the transactions sqlite-jdbc begins on {@code connection} deferred. */
    static void beginDeferred(Connection connection) {
        ((SQLiteConnection) connection).getConnectionConfig().setTransactionMode(TransactionMode.DEFERRED);
    }

    /** Whether {@code e} says SQLite had no transaction to end: it had already rolled it back. */
    static boolean noTransactionActive(SQLException e) {
        return e instanceof SQLiteException sqlite
                && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_ERROR
                && String.valueOf(e.getMessage()).contains("no transaction is active");
    }

    /** Turns SQLite's own read-only enforcement ({@code PRAGMA query_only}) on or off. */
    static void queryOnly(Connection connection, boolean on) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(on ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0");
        }
    }
}
