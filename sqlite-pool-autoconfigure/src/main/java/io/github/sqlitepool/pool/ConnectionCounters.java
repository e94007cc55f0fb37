package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * Reads and sets a pool connection's {@code last_insert_rowid()} and {@code changes()} for
 * {@link OwedCounters}. sqlite-jdbc has no call that sets them ({@code sqlite3_set_last_insert_rowid}
 * is not exposed), so they are set the way SQLite sets them: by an insert, into a temporary table of
 * the pool's own that holds at most one row and never the application's data. The table is created
 * when the connection opens (with group commit on), so that setting them inside a transaction
 * changes no schema (a schema change would make a later {@code ROLLBACK TO} abort open cursors). An
 * insert there changes neither the main database nor SQLite's write lock on it, and a rollback does
 * not undo what it set.
 */
final class ConnectionCounters {

    private static final Logger log = LoggerFactory.getLogger(ConnectionCounters.class);

    /** The pool's own table, in the connection's {@code temp} schema. */
    static final String TABLE = "sqlitepool_counters";

    /** The most rows {@link #set} inserts to count a {@code changes()}. */
    static final long MAX_CHANGES = 10_000;

    /** What a connection answered for its counters. */
    record Reading(long rowId, long changes) {
    }

    private ConnectionCounters() {
    }

    /** Creates the pool's table on a connection just opened; one that cannot have it refuses the counters later. */
    static void createTable(Connection raw) {
        try (Statement statement = raw.createStatement()) {
            statement.execute("CREATE TEMP TABLE IF NOT EXISTS " + TABLE + " (one UNIQUE)");
        } catch (SQLException e) {
            log.debug("The pool's table for setting a connection's counters could not be created: {}", e.toString());
        }
    }

    /** {@code raw}'s SQLite handle, for the counters sqlite-jdbc reads without SQL. */
    static DB database(Connection raw) {
        return ((SQLiteConnection) raw).getDatabase();
    }

    /** {@code raw}'s {@code last_insert_rowid()}. */
    static long lastInsertRowId(Connection raw) throws SQLException {
        try (Statement query = raw.createStatement();
                ResultSet lastInsert = query.executeQuery("SELECT last_insert_rowid()")) {
            lastInsert.next();
            return lastInsert.getLong(1);
        }
    }

    /** {@code raw}'s {@code last_insert_rowid()} and {@code changes()} now. */
    static Reading read(Connection raw) throws SQLException {
        return new Reading(lastInsertRowId(raw), database(raw).changes());
    }

    /**
     * Sets {@code connection}'s {@code last_insert_rowid()} to {@code rowId} and {@code changes()} to
     * {@code changes}; its {@code total_changes()} grows by as many rows (at least one), which the
     * connection counts as its own ({@link PooledConnection#countersRows()}). Each row replaces the
     * one before it (the table's one unique value), the last one has row id {@code rowId}, and SQLite
     * counts the inserted rows, not the replaced ones. Run past sqlite-jdbc's statements (the values
     * are numbers written into the text), so that no statement of the driver's is made or left open.
     *
     * @throws SQLException when {@code changes} is above {@link #MAX_CHANGES}, or SQLite refused the
     *                      insert (a read-only connection); the counters may then be half set
     */
    static void set(PooledConnection connection, long rowId, long changes) throws SQLException {
        if (changes > MAX_CHANGES) {
            throw new SQLException("its changes() (" + changes + " rows) is more than " + MAX_CHANGES + " rows to set");
        }
        long rows = Math.max(changes, 1);
        String insert = rows == 1
                ? "INSERT OR REPLACE INTO temp." + TABLE + " (rowid, one) VALUES (" + rowId + ", 1)"
                : "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ") "
                        + "INSERT OR REPLACE INTO temp." + TABLE + " (rowid, one) SELECT CASE WHEN i = " + rows
                        + " THEN " + rowId + " END, 1 FROM n ORDER BY i";
        try {
            SqliteTransactionControl.exec(connection.raw(), insert);
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("no such table")) {
                throw e;
            }
            createTable(connection.raw()); // dropped (a PRAGMA temp_store change drops temporary tables): made again
            SqliteTransactionControl.exec(connection.raw(), insert);
        }
        connection.countedOwnRows(rows);
        if (changes == 0) {
            SqliteTransactionControl.exec(connection.raw(), "UPDATE temp." + TABLE + " SET one = 1 WHERE 0"); // changes() 0
        }
    }
}
