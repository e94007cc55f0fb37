package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The last row id a lease's own connection must answer once its writes met a group
 * ({@link OwedCounters}): a value the pool owes it, not known, or what the connection answers
 * itself. A grouped write that inserted nothing (an ignored {@code INSERT OR IGNORE}) gives it as
 * its generated key, as sqlite-jdbc does alone ({@link GroupedResults}).
 *
 * @param owed  the owed row id, when {@code state} is {@link State#OWED}
 * @param state where the answer comes from
 */
record CallersRowId(long owed, State state) {

    /** Where the answer comes from. */
    enum State {
        OWED, UNKNOWN, OWN
    }

    /** The connection answers for itself. */
    static final CallersRowId OWN = new CallersRowId(0L, State.OWN);

    /** What it should answer is not known: a grouped insert failed, or a group did not commit. */
    static final CallersRowId UNKNOWN = new CallersRowId(0L, State.UNKNOWN);

    static CallersRowId owed(long rowId) {
        return new CallersRowId(rowId, State.OWED);
    }

    /**
     * The row id, asking {@code callers} (the lease's own driver connection) when it answers itself.
     *
     * @throws SQLException when it is not known (SQLState {@code 25000}), or the connection fails
     */
    long on(Connection callers) throws SQLException {
        return switch (state) {
            case OWED -> owed;
            case OWN -> ConnectionCounters.lastInsertRowId(callers);
            case UNKNOWN -> throw notKnown();
        };
    }

    /** The error a key that would name an unknown last row id is refused with (SQLState {@code 25000}). */
    static SQLException notKnown() {
        return new SQLException("the last row id of this connection, which sqlite-jdbc gives as the key of an insert "
                + "that inserted nothing, is not known: an earlier grouped insert of this lease failed, or its group "
                + "did not commit", SqlStates.INVALID_TRANSACTION_STATE);
    }
}
