package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a lease's {@code last_insert_rowid()} and {@code changes()} must answer once its writes and a
 * commit group's met on one connection: an auto-commit write that a group's holder ran on its own
 * connection, or one that opened a group whose writes then ran on the lease's; a transaction that
 * opened a group, whose members then ran on its connection; a transaction that ran as a member on
 * a group's connection. Before SQL on the lease asks for them, and before the lease's own writes run
 * where they could read or half set them, they are set on the connection it runs on to what they
 * would be had the lease's writes run alone on its own ({@link ConnectionCounters#set}); from then on
 * SQLite keeps them right there by itself. Where what they should be is not known, SQL asking for
 * them is refused (SQLState 25000), never answered wrongly. {@code total_changes()}, which counts a
 * connection's whole life, cannot be set: it stays refused once the lease's writes met a group.
 *
 * <p>Used on the lease's thread only; a write a group ran for the lease is recorded after the
 * lease's thread has waited for the group's end. One exception: a member rolled back to break a
 * deadlock ({@link GroupMembership#rollBackForDeadlock}) is recorded by the thread that breaks it,
 * while the lease's thread is blocked until that thread lets its lock go.
 */
final class OwedCounters {

    /** A row id that was not read. */
    static final long NOT_READ = Long.MIN_VALUE;

    /** Whether the lease's connection does not answer {@link #rowId} by itself. */
    private boolean rowIdOwed;

    /** The {@code last_insert_rowid()} owed, while {@link #rowIdOwed}. */
    private long rowId;

    /** Whether the lease's connection does not answer {@link #changes} by itself. */
    private boolean changesOwed;

    /** The {@code changes()} owed, while {@link #changesOwed}. */
    private long changes;

    /** What {@code last_insert_rowid()} should answer is not known: asking for it is refused. */
    private boolean rowIdUnknown;

    /** What {@code changes()} should answer is not known: asking for it is refused. */
    private boolean changesUnknown;

    /** Set once the lease's writes met a group: its connection's {@code total_changes()} no longer fits it. */
    private boolean metGroup;

    /** The lease handed out a driver object: writes through it bypass what is kept here. */
    private boolean exposed;

    /**
     * The lease ran a write on its own connection: what that connection answers is the lease's own,
     * which a member carries onto a group's connection.
     */
    private boolean wroteHere;

    /** While a member: the lease's own counters were set on the group's connection, which answers for it from then on. */
    private boolean setOnGroup;

    /**
     * While a member: the last row id set on the group's connection ({@link #NOT_READ}: none was),
     * which tells whether the member's statements inserted a row when its own was not known.
     */
    private long rowIdSetOnGroup = NOT_READ;

    /** While a member: it ran a statement that is not a read. */
    private boolean memberWrote;

    /** While a member: it ran a statement that may have inserted rows. */
    private boolean memberMayHaveInserted;

    /** Whether SQL on the lease must go through {@link #beforeAsking} or {@link #beforeWritingHere} first. */
    boolean metGroup() {
        return metGroup;
    }

    /** Whether the lease's connection may not answer as it would alone: something is owed, or not known. */
    boolean owing() {
        return rowIdOwed || changesOwed || rowIdUnknown || changesUnknown;
    }

    /** Whether what the lease's {@code last_insert_rowid()} should answer is known. */
    boolean rowIdKnown() {
        return !rowIdUnknown;
    }

    /** The last row id the lease's connection must answer: not known, owed to it, or its own. */
    CallersRowId callersRowId() {
        return rowIdUnknown ? CallersRowId.UNKNOWN : rowIdOwed ? CallersRowId.owed(rowId) : CallersRowId.OWN;
    }


    // --- what happened ------------------------------------------------------------------------

    /**
     * An auto-commit write of the lease ran on a group's connection and succeeded: it left
     * {@code results}, whose {@code changes()} is the lease's now, and whose row id, if it inserted
     * one, its {@code last_insert_rowid()}.
     */
    void ranElsewhere(GroupedResults results, String sql) {
        metGroup = true;
        if (results == null || results.changes() < 0) {
            lostWithGroup(sql);
            return;
        }
        oweChanges(results.changes());
        changesUnknown = false;
        if (results.inserted()) {
            oweRowId(results.rowId());
            rowIdUnknown = false;
        } else if (results.changes() > 0 && StatementCache.mayLeaveGeneratedKeys(sql)
                && !results.insertedWithoutRowId()) { // which leaves the last row id as it was, as alone
            // it inserted, but its row id could not be told from the one before it (the table's kind
            // could not be read), or was not read
            rowIdOwed = false;
            rowIdUnknown = true;
        }
    }

    /**
     * An auto-commit write {@code sql} of the lease that a group's holder ran on its connection
     * failed, which then answered {@code changesAfter} (-1: not read): a failed insert may have moved
     * the last row id (to a row rolled back), so that is not known.
     */
    void failedElsewhere(String sql, long changesAfter) {
        metGroup = true;
        if (changesAfter < 0) {
            changesOwed = false;
            changesUnknown = true; // unmoved: it may have failed before SQLite ran it
        } else {
            oweChanges(changesAfter);
            changesUnknown = false;
        }
        if (StatementCache.mayLeaveGeneratedKeys(sql)) {
            rowIdOwed = false;
            rowIdUnknown = true;
        }
    }

    /**
     * A write {@code sql} of the lease (null: not known) ran in a group that did not commit, or what it
     * left could not be read: {@code changes()} is not known, nor the last row id if it may insert.
     */
    void lostWithGroup(String sql) {
        metGroup = true;
        changesOwed = false;
        changesUnknown = true;
        if (CounterSql.mayInsert(sql)) {
            rowIdOwed = false;
            rowIdUnknown = true;
        }
    }

    /**
     * The lease's driver objects were handed out ({@code unwrap}): writes through them bypass the
     * pool, so once the lease's writes met a group, what its connection should answer is not known.
     */
    void driverExposed() {
        exposed = true;
        if (metGroup) {
            lostWithGroup(null);
        }
    }

    /** A write of the lease ran on its own connection, outside any group. */
    void wroteHere() {
        wroteHere = true;
    }

    /**
     * What {@code own} (the lease's connection) answers now, read before a group runs others' writes
     * on it after the lease's; null when it could not be read.
     */
    ConnectionCounters.Reading beforeOthersWrite(Connection own) {
        try {
            return ConnectionCounters.read(own);
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Others' writes ran on the lease's connection after the lease's, which left it answering
     * {@code before} ({@link #beforeOthersWrite}; null: not read): that is what the lease must answer.
     */
    void othersWroteAfter(ConnectionCounters.Reading before) {
        metGroup = true;
        if (before == null) {
            lostWithGroup(null);
            return;
        }
        if (!rowIdOwed && !rowIdUnknown) {
            oweRowId(before.rowId());
        }
        if (!changesOwed && !changesUnknown) {
            oweChanges(before.changes());
        }
    }

    /**
     * A single write of the lease succeeded on its own connection {@code own} after what was owed was
     * set there: the connection answers {@code changes()} for it, and the last row id too when it
     * moved from {@code rowIdBefore} ({@link #rowIdBeforeWritingHere}), whatever was not known before.
     */
    void ranHere(Connection own, long rowIdBefore) {
        changesUnknown = false;
        try {
            if (rowIdUnknown && rowIdBefore != NOT_READ && ConnectionCounters.lastInsertRowId(own) != rowIdBefore) {
                rowIdUnknown = false; // it inserted a row (one with a row id): the connection answers for it
            }
        } catch (SQLException | RuntimeException e) {
            changesUnknown = true;
        }
    }

    /**
     * Before a single write of the lease runs on its own connection {@code own}, after what was owed
     * was set there: the last row id now when it is not known (so that {@link #ranHere} can tell
     * whether the write inserted), else {@link #NOT_READ}.
     */
    long rowIdBeforeWritingHere(Connection own) {
        try {
            return rowIdUnknown ? ConnectionCounters.lastInsertRowId(own) : NOT_READ;
        } catch (SQLException | RuntimeException e) {
            return NOT_READ;
        }
    }

    /** The lease's transaction entered a group as a member: nothing of it has run on the group's connection. */
    void enteredGroup() {
        setOnGroup = false;
        rowIdSetOnGroup = NOT_READ;
        memberWrote = false;
        memberMayHaveInserted = false;
    }

    /**
     * The lease's transaction, a member, leaves {@code group} (the group's connection). If it wrote
     * there, that connection now answers for it: its {@code changes()}, and its last row id if the
     * member may have inserted or its own was set there. When the lease keeps the group's
     * connection, {@code keptFrom} is its own from before, which answers for what the member did not
     * change.
     */
    void leftGroup(PooledConnection group, PooledConnection keptFrom) {
        boolean wrote = memberWrote;
        boolean rowIdThere = memberMayHaveInserted || setOnGroup;
        long rowIdSet = rowIdSetOnGroup;
        enteredGroup(); // no longer a member
        if (!wrote && keptFrom == null) {
            return; // it changed nothing there: its own connection answers as before
        }
        metGroup = true;
        try {
            if (wrote) {
                oweChanges(ConnectionCounters.database(group.raw()).changes());
                if (rowIdThere) {
                    long groupRowId = ConnectionCounters.lastInsertRowId(group.raw());
                    oweRowId(groupRowId);
                    if (rowIdSet != NOT_READ && groupRowId != rowIdSet) {
                        rowIdUnknown = false; // the member inserted a row there: that is its last insert now
                    }
                }
            }
            if (keptFrom != null && !wrote && !changesOwed && !changesUnknown) {
                oweChanges(ConnectionCounters.database(keptFrom.raw()).changes());
            }
            if (keptFrom != null && !(wrote && rowIdThere) && !rowIdOwed && !rowIdUnknown) {
                oweRowId(ConnectionCounters.lastInsertRowId(keptFrom.raw()));
            }
        } catch (SQLException | RuntimeException e) {
            lostWithGroup(null);
        }
    }

    private void oweChanges(long newChanges) {
        changes = newChanges;
        changesOwed = true;
    }

    private void oweRowId(long newRowId) {
        rowId = newRowId;
        rowIdOwed = true;
    }

    // --- before SQL runs ----------------------------------------------------------------------

    /**
     * Before one of a member's statements, {@code sql} ({@code mayWrite}: not a read), runs on
     * {@code group}: at the first that could change the counters or asks for them, the lease's own
     * ({@code own}, or owed) are set there, so that the group's connection answers for the member
     * from then on, whatever its statements do (upserts, triggers, failures). Refuses (SQLState
     * 25000) SQL asking for {@code total_changes()}, which counts the other members' writes.
     */
    void beforeMemberStatement(String sql, boolean mayWrite, PooledConnection own, PooledConnection group)
            throws SQLException {
        if (CounterSql.asksTotal(sql)) {
            throw refused("total_changes() counts every write its connection ran, and this one ran other "
                    + "transactions' writes", null);
        }
        boolean asks = CounterSql.asks(sql);
        if (!setOnGroup && (mayWrite || asks) && (wroteHere || owing())) {
            try {
                ConnectionCounters.Reading ownCounters = ownReading(own);
                ConnectionCounters.set(group, ownCounters.rowId(), ownCounters.changes());
                rowIdSetOnGroup = ownCounters.rowId();
            } catch (SQLException | RuntimeException e) {
                lostWithGroup(null);
            }
            setOnGroup = true;
        }
        if (mayWrite) {
            memberWrote = true;
            memberMayHaveInserted |= CounterSql.mayInsert(sql);
        }
        if (asks) {
            checkKnown(sql);
        }
    }

    /**
     * Before {@code sql}, which asks for the counters, runs on {@code own}, the lease's connection:
     * sets what is owed there; refuses (SQLState 25000) what is not known, and {@code total_changes()}.
     */
    void beforeAsking(String sql, PooledConnection own) throws SQLException {
        if (CounterSql.asksTotal(sql)) {
            throw refused("total_changes() counts every write its connection ran, and this one did not run them "
                    + "all (or ran others')", null);
        }
        checkKnown(sql);
        if (exposed && owing()) {
            throw refused("the connection's driver objects were handed out (unwrap), and writes through them bypass "
                    + "the pool", null);
        }
        setOwed(own);
    }

    /**
     * Before a write runs on {@code own}, the lease's connection, outside any group: sets what is owed
     * there, since the write may read the counters (a trigger) and sets only some. Ones that cannot be
     * set are not known afterwards.
     */
    void beforeWritingHere(PooledConnection own) {
        boolean rowIdWasOwed = rowIdOwed;
        boolean changesWereOwed = changesOwed;
        try {
            setOwed(own);
        } catch (SQLException e) {
            rowIdUnknown |= rowIdWasOwed;
            changesUnknown |= changesWereOwed;
            rowIdOwed = false;
            changesOwed = false;
        }
    }

    /** Sets what is owed on {@code own}, the counters not owed as {@code own} answers them. */
    private void setOwed(PooledConnection own) throws SQLException {
        if (!rowIdOwed && !changesOwed) {
            return;
        }
        if (exposed) { // setting them would undo what writes through the driver's objects did
            throw refused("the connection's driver objects were handed out (unwrap)", null);
        }
        try {
            ConnectionCounters.Reading target = ownReading(own);
            ConnectionCounters.set(own, target.rowId(), target.changes());
        } catch (SQLException | RuntimeException e) {
            SQLException cause = e instanceof SQLException sql ? sql : new SQLException(e);
            throw refused("they could not be set on its connection (" + e.getMessage() + ")", cause);
        }
        rowIdOwed = false;
        changesOwed = false;
    }

    /** What the lease's own counters are: those owed, else what its connection {@code own} answers. */
    private ConnectionCounters.Reading ownReading(PooledConnection own) throws SQLException {
        return new ConnectionCounters.Reading(rowIdOwed ? rowId : ConnectionCounters.lastInsertRowId(own.raw()),
                changesOwed ? changes : ConnectionCounters.database(own.raw()).changes());
    }

    /** Refuses {@code sql} when it asks for a counter whose answer is not known. */
    private void checkKnown(String sql) throws SQLException {
        if ((rowIdUnknown && CounterSql.asksRowId(sql)) || (changesUnknown && CounterSql.asksChanges(sql))) {
            throw refused("a group that ran one of its writes did not commit, a grouped insert failed, or they could "
                    + "not be read or set, so what they should answer is not known", null);
        }
    }

    private static SQLException refused(String why, SQLException cause) {
        return new SQLException("last_insert_rowid(), changes() or total_changes() on this connection cannot answer for "
                + "its own writes alone, since they ran in a group commit (sqlite.pool.write-lane.group-commit): " + why
                + "; use Statement.getGeneratedKeys() and the update count instead", SqlStates.INVALID_TRANSACTION_STATE,
                cause);
    }
}
