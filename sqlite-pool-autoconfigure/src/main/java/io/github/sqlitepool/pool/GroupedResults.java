package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetFactory;
import javax.sql.rowset.RowSetProvider;

/**
 * What a write that ran in a commit group left for its caller to ask of its statement: the
 * update count and generated keys as sqlite-jdbc answers them right after the same write alone
 * ({@link GroupedWrite}). Only what the next member's write would change is taken during the
 * member's turn (a count, a row id); the result set of the keys is made on the caller's own
 * connection when first asked, off the lane.
 */
final class GroupedResults {

    /**
     * What the keys are: the caller's own statement answers (it ran there), none, the row id the
     * write inserted, a row id that may not be the write's (ROW_ID: the caller's connection's last
     * one after an insert that inserted nothing, or the group connection's when the two cannot be
     * told apart), the caller's connection's last row id after an insert into a {@code WITHOUT ROWID}
     * table (which leaves it as it was), or they could not be taken (the error is thrown when they
     * are asked for, not by the write).
     */
    private enum Keys {
        OWN_STATEMENT, NONE, INSERTED, ROW_ID, WITHOUT_ROWID, FAILED
    }

    /** After {@code getMoreResults()}: no update count, as the driver answers. */
    static final GroupedResults NO_MORE = new GroupedResults(-1, null, Keys.NONE, 0L, null, -1);

    /** The result set sqlite-jdbc's keys are: {@code SELECT last_insert_rowid();}, or none. */
    private static final String ROW_ID_KEYS = "SELECT ? AS \"last_insert_rowid()\"";

    private static final String NO_KEYS = "SELECT 1 WHERE 1 = 2";

    private static final RowSetFactory ROW_SETS = rowSets();

    private final int updateCount;

    /** What {@code getUpdateCount()} threw instead (sqlite-jdbc fails it after some executions); else null. */
    private final Exception updateCountFailure;

    private final Keys keys;

    private final long rowId;

    /** Why the keys could not be taken ({@link Keys#FAILED}); else null. */
    private final Exception keysFailure;

    /** SQLite's {@code changes()} on the connection the write ran on, right after it; -1 when not known. */
    private final long changes;

    /** The keys as a result set, made when first asked. */
    private ResultSet generatedKeys;

    private GroupedResults(int updateCount, Exception updateCountFailure, Keys keys, long rowId, Exception keysFailure,
            long changes) {
        this.changes = changes;
        this.updateCount = updateCount;
        this.updateCountFailure = updateCountFailure;
        this.keys = keys;
        this.rowId = rowId;
        this.keysFailure = keysFailure;
    }

    /**
     * Right after {@code sql} ran on {@code there}, a statement on the group's connection made like
     * the caller's {@code callers}: the update count, and the row id sqlite-jdbc's generated keys
     * name (the group's connection's last insert; for an insert that inserted nothing, such as an
     * ignored {@code INSERT OR IGNORE}, the caller's own connection's, as alone: {@code callersRowId}
     * says whether its earlier grouped writes left it owed, or not known, when the keys fail). {@code groupRowIdBefore} is the group's
     * connection's last row id before the write ({@code Long.MIN_VALUE}: not known). Never throws:
     * the write ran, and what could not be taken fails when it is asked for.
     */
    static GroupedResults ranOn(Statement there, Statement callers, String sql, CallersRowId callersRowId,
            long groupRowIdBefore) {
        int updateCount = -1;
        Exception updateCountFailure = null;
        try {
            updateCount = there.getUpdateCount();
        } catch (SQLException | RuntimeException e) {
            updateCountFailure = e;
        }
        long changes;
        try {
            changes = ConnectionCounters.database(there.getConnection()).changes();
        } catch (SQLException | RuntimeException e) {
            changes = -1;
        }
        if (!StatementCache.mayLeaveGeneratedKeys(sql)) {
            return new GroupedResults(updateCount, updateCountFailure, Keys.NONE, 0L, null, changes);
        }
        try {
            if (changes < 0) {
                throw new SQLException("changes() could not be read after the write");
            }
            if (changes == 0) {
                return new GroupedResults(updateCount, updateCountFailure, Keys.ROW_ID,
                        callersRowId.on(callers.getConnection()), null, changes);
            }
            long key;
            try (ResultSet driverKeys = there.getGeneratedKeys()) {
                if (driverKeys == null || !driverKeys.next()) {
                    return new GroupedResults(updateCount, updateCountFailure, Keys.NONE, 0L, null, changes);
                }
                key = driverKeys.getLong(1);
            }
            if (key != groupRowIdBefore) {
                return new GroupedResults(updateCount, updateCountFailure,
                        groupRowIdBefore == Long.MIN_VALUE ? Keys.ROW_ID : Keys.INSERTED, key, null, changes);
            }
            // the connection's last row id did not move: a WITHOUT ROWID table, or a new row id equal
            // to the last one in another table; only the table's kind tells them apart
            return switch (InsertTable.kindOf(there.getConnection(), sql)) {
                case ROWID -> new GroupedResults(updateCount, updateCountFailure, Keys.INSERTED, key, null, changes);
                case WITHOUT_ROWID -> new GroupedResults(updateCount, updateCountFailure, Keys.WITHOUT_ROWID,
                        callersRowId.on(callers.getConnection()), null, changes); // as alone
                case UNKNOWN -> new GroupedResults(updateCount, updateCountFailure, Keys.ROW_ID, key, null, changes);
            };
        } catch (SQLException | RuntimeException e) {
            return new GroupedResults(updateCount, updateCountFailure, Keys.FAILED, 0L, e, changes);
        }
    }

    /** Right after the caller's own statement ran (a group's owner): its keys are its own; its count is taken now. */
    static GroupedResults ranHere(Statement own) {
        try {
            return new GroupedResults(own.getUpdateCount(), null, Keys.OWN_STATEMENT, 0L, null, -1);
        } catch (SQLException | RuntimeException e) {
            return new GroupedResults(-1, e, Keys.OWN_STATEMENT, 0L, null, -1);
        }
    }

    /** The update count the caller's statement answers. */
    int updateCount() throws SQLException {
        if (updateCountFailure instanceof SQLException e) {
            throw e;
        }
        if (updateCountFailure instanceof RuntimeException e) {
            throw e;
        }
        return updateCount;
    }

    /** SQLite's {@code changes()} right after the write, on the connection it ran on; -1 when it could not be read. */
    long changes() {
        return changes;
    }

    /** Whether the write inserted a row, whose id {@link #rowId()} is: the last row id of its connection. */
    boolean inserted() {
        return keys == Keys.INSERTED;
    }

    /** Whether the write inserted rows into a {@code WITHOUT ROWID} table, leaving the last row id as it was. */
    boolean insertedWithoutRowId() {
        return keys == Keys.WITHOUT_ROWID;
    }

    /** The row id the generated keys name, when {@link #inserted()}. */
    long rowId() {
        return rowId;
    }

    /** Whether the generated keys are answered here, not by the caller's own statement. */
    boolean answersKeys() {
        return keys != Keys.OWN_STATEMENT;
    }

    /**
     * The generated keys as sqlite-jdbc's result set would hold them, made on {@code callersConnection}
     * (the caller's own driver connection) at the first ask: a copy, which holds nothing open.
     */
    ResultSet generatedKeys(Connection callersConnection) throws SQLException {
        if (keys == Keys.FAILED) {
            throw new SQLException("the generated keys of this statement's write, which ran in a group commit, could "
                    + "not be read: " + keysFailure, keysFailure instanceof SQLException e ? e.getSQLState() : null,
                    keysFailure);
        }
        if (generatedKeys == null) {
            boolean rowIdKeys = keys == Keys.INSERTED || keys == Keys.ROW_ID || keys == Keys.WITHOUT_ROWID;
            try (PreparedStatement query = callersConnection.prepareStatement(rowIdKeys ? ROW_ID_KEYS : NO_KEYS)) {
                if (rowIdKeys) {
                    query.setLong(1, rowId);
                }
                try (ResultSet rows = query.executeQuery()) {
                    CachedRowSet copy = ROW_SETS.createCachedRowSet();
                    copy.populate(rows);
                    generatedKeys = copy;
                }
            }
        }
        return generatedKeys;
    }

    private static RowSetFactory rowSets() {
        try {
            return RowSetProvider.newFactory();
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
