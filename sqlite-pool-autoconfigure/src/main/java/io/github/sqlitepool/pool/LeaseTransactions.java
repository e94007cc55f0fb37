package io.github.sqlitepool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;

import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import io.github.sqlitepool.pool.sql.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions of one {@link ConnectionLease} and the write lane they hold: every execution
 * and every transaction boundary of the lease comes here, after the lease has checked it is open,
 * so that the pool's write discipline is enforced without the caller's code knowing it. A lease
 * is in auto-commit mode ({@link AutoCommitLane}) or in a JDBC transaction
 * ({@link JdbcTransaction}); read-only, it never takes the lane. Used by the lease's owning thread
 * only (an abort from another thread only lets the lane go, after the lease is closed,
 * {@link #dropWriteLane()}).
 *
 * <p>Read-only mode is implemented with {@code PRAGMA query_only}: sqlite-jdbc can only set
 * read-only when a connection is opened, which a pool cannot do per lease.
 */
final class LeaseTransactions {

    private static final Logger log = LoggerFactory.getLogger(LeaseTransactions.class);

    private static final VarHandle GROUPING = FieldHandles.of(MethodHandles.lookup(), "grouping",
            AutoCommitGrouping.class);

    private static final VarHandle MEMBERSHIP = FieldHandles.of(MethodHandles.lookup(), "membership",
            GroupMembership.class);

    private final LeaseOwner owner;

    /** The lease, which is also the token it holds the lane with. */
    private final ConnectionLease lease;

    private final boolean laneEnabled;

    /** Whether auto-commit writes may run in commit groups ({@link #grouping}). */
    private final boolean groupsWrites;

    /** A write ran on the lease before its {@link #membership} was made: its counters are its own. */
    private boolean wroteBeforeMembership;

    /**
     * The lease's auto-commit writes in groups; made at its first write when {@link #groupsWrites}.
     * Published with release semantics, as a thread that ends the lease settles its write
     * ({@link #settleGroup()}); the lease's own thread reads it plainly on every execution.
     */
    private AutoCommitGrouping grouping;

    private boolean readOnly;

    /** The lane in auto-commit mode. */
    private final AutoCommitLane autoCommitLane;

    /** Its open statements and changed settings, which the JDBC transactions look at. */
    private final LeaseResources resources;

    private final LeaseSettings settings;

    /**
     * The lease's JDBC transactions; made at the first one, so that a lease that never leaves
     * auto-commit mode (a {@code JdbcTemplate} call) does not pay for it.
     */
    private JdbcTransaction jdbcTransaction;

    /**
     * The lease's part in group commits; made with {@link #jdbcTransaction}, or at the first write
     * when auto-commit writes are grouped. Published with release semantics, as a thread that ends
     * the lease settles it ({@link #settleGroup()}).
     */
    private GroupMembership membership = GroupMembership.OFF;

    LeaseTransactions(ConnectionLease lease, LeaseOwner owner, LeaseResources resources, LeaseSettings settings) {
        this.owner = owner;
        this.lease = lease;
        this.laneEnabled = owner.writeLaneEnabled();
        this.resources = resources;
        this.settings = settings;
        this.autoCommitLane = new AutoCommitLane(owner, lease);
        GroupCommit groupCommit = owner.groupCommit();
        this.groupsWrites = groupCommit != null && groupCommit.groupsAutoCommitWrites();
    }

    private boolean inJdbcTransaction() {
        return jdbcTransaction != null && jdbcTransaction.open();
    }

    private JdbcTransaction jdbcTransaction() {
        if (jdbcTransaction == null) {
            jdbcTransaction = new JdbcTransaction(owner, lease, resources, membership(), autoCommitLane);
        }
        return jdbcTransaction;
    }

    private AutoCommitGrouping grouping() {
        AutoCommitGrouping made = grouping;
        if (made == null) {
            made = new AutoCommitGrouping(lease, owner, membership());
            GROUPING.setRelease(this, made);
        }
        return made;
    }

    private GroupMembership membership() {
        if (membership == GroupMembership.OFF) {
            GroupMembership made = GroupMembership.of(lease, owner, resources, settings); // OFF again while group commit is off
            if (wroteBeforeMembership && made.counters != null) {
                made.counters.wroteHere();
            }
            MEMBERSHIP.setRelease(this, made);
        }
        return membership;
    }

    boolean isReadOnly() {
        return readOnly;
    }

    // --- statements ---------------------------------------------------------------------------

    /**
     * Runs one execution of {@code sql}, of {@code kind}, on this lease; {@code sql} is null when
     * the text is not known (a batch of different statements).
     */
    <T> T execute(LeasedStatement<?> statement, SqlKind kind, String sql, SqlCall<T> driverCall) throws SQLException {
        statement.startExecution();
        OwedCounters counters = membership.counters; // null while group commit is off, or no membership is made yet
        // a lease whose writes never met a group, outside one, always knows its last row id: no guard to make
        SqlCall<T> call = kind == SqlKind.WRITE && counters != null && (counters.metGroup() || !membership.onOwnConnection())
                ? StaleKeys.guard(counters, statement, sql, driverCall) : driverCall;
        if (counters != null && !membership.onOwnConnection()) {
            return executeAsMember(counters, statement, kind, sql, call);
        }
        long rowIdBefore = OwedCounters.NOT_READ;
        if (counters != null) {
            if (counters.metGroup()) {
                rowIdBefore = settleCounters(counters, statement, kind, sql);
            }
            if (kind == SqlKind.WRITE) {
                counters.wroteHere(); // what its connection answers is its own, which a member carries
            }
        } else if (kind == SqlKind.WRITE) {
            wroteBeforeMembership = true; // told to its membership when it is made
        }
        T result = executeAndNote(statement, kind, sql, call);
        if (rowIdBefore != OwedCounters.NOT_READ) {
            counters.ranHere(lease.delegate, rowIdBefore);
        }
        return result;
    }

    /** Runs {@code call} for a member on its group's connection, its counters there answering for it ({@link OwedCounters}). */
    private <T> T executeAsMember(OwedCounters counters, LeasedStatement<?> statement, SqlKind kind, String sql,
            SqlCall<T> call) throws SQLException {
        counters.beforeMemberStatement(sql, kind != SqlKind.READ, lease.entry, lease.connection());
        return executeAndNote(statement, kind, sql, call);
    }

    /**
     * Before {@code sql}, of {@code kind}, runs on the lease's own connection, whose writes met a group:
     * the counters it owes are set there if the SQL asks for them, or may write there outside a group.
     *
     * @return for a write that runs there, the last row id before it while that is not known (so that
     *     a row it inserts makes it known), else {@link OwedCounters#NOT_READ}
     */
    private long settleCounters(OwedCounters counters, LeasedStatement<?> statement, SqlKind kind, String sql)
            throws SQLException {
        if (CounterSql.asks(sql)) {
            counters.beforeAsking(sql, lease.connection());
        } else if (kind == SqlKind.WRITE && !readOnly && counters.owing()
                && (inJdbcTransaction() || !autoCommitLane.groupable(statement, kind, sql, groupsWrites ? grouping() : null))) {
            counters.beforeWritingHere(lease.connection()); // a groupable write sets them itself if it runs here
            return counters.rowIdBeforeWritingHere(lease.delegate);
        }
        return OwedCounters.NOT_READ;
    }

    /** Runs one execution with the lane it needs, and notes its outcome on the statement and the pool. */
    private <T> T executeAndNote(LeasedStatement<?> statement, SqlKind kind, String sql, SqlCall<T> call)
            throws SQLException {
        T result;
        try {
            result = route(statement, kind, sql, call);
        } catch (SQLException | RuntimeException e) {
            owner.statementFailed(e);
            // the driver may have failed before resetting the statement's earlier result (an
            // INSERT ... RETURNING that still holds SQLite's write lock): reset it, so that the
            // lane kept for that result can go
            statement.resetAfterFailure(e);
            resultDone(statement);
            throw e;
        }
        statement.executed(result instanceof ResultSet || Boolean.TRUE.equals(result), sql);
        return result;
    }

    /** Runs one execution of {@code sql} ({@code null}: a batch), of {@code kind}, with the lane it needs. */
    private <T> T route(LeasedStatement<?> statement, SqlKind kind, String sql, SqlCall<T> call) throws SQLException {
        if (readOnly) {
            // a VACUUM INTO reads, but writes a file, which query_only refuses as a storage failure would look
            if (kind == SqlKind.WRITE || kind == SqlKind.BEGIN_WRITE || SqlStatements.copiesDatabase(sql)) {
                throw TransactionErrors.writeOnReadOnly(sql);
            }
            autoCommitLane.note(kind, sql);
            return call.call();
        }
        if (inJdbcTransaction()) {
            return jdbcTransaction.execute(statement, kind, sql, call);
        }
        if (!laneEnabled) {
            autoCommitLane.note(kind, sql);
            return call.call();
        }
        return autoCommitLane.execute(statement, kind, sql, call, groupsWrites && kind == SqlKind.WRITE ? grouping() : null);
    }

    /** The statement's earlier result, if it kept the lane, is gone (closed or replaced). */
    void resultDone(LeasedStatement<?> statement) {
        if (laneEnabled) {
            autoCommitLane.resultDone(statement, !inJdbcTransaction());
        }
    }

    // --- transaction boundaries --------------------------------------------------------------

    /** Turning auto-commit off begins a JDBC transaction, turning it back on ends it ({@link JdbcTransaction}). */
    void setAutoCommit(boolean autoCommit) throws SQLException {
        if (autoCommit == inJdbcTransaction()) {
            if (!autoCommit) {
                jdbcTransaction().begin(readOnly);
            } else {
                jdbcTransaction.end();
            }
            return;
        }
        lease.delegate.setAutoCommit(autoCommit);
    }

    /** See {@link JdbcTransaction#commit()}; in auto-commit mode, sqlite-jdbc's own error. */
    void commit() throws SQLException {
        if (inJdbcTransaction()) {
            jdbcTransaction.commit();
        } else {
            lease.delegate.commit();
        }
    }

    /** See {@link JdbcTransaction#rollback()}; in auto-commit mode, sqlite-jdbc's own error. */
    void rollback() throws SQLException {
        if (inJdbcTransaction()) {
            jdbcTransaction.rollback();
        } else {
            jdbcTransaction().rollbackDriverTransaction();
        }
    }

    /**
     * A JDBC savepoint. In auto-commit mode sqlite-jdbc turns auto-commit off and opens the
     * transaction with {@code SAVEPOINT}: a JDBC transaction begins
     * ({@link JdbcTransaction#beginWithSavepoint}). Inside a transaction a savepoint changes
     * nothing for the lane.
     */
    Savepoint savepoint(SqlCall<Savepoint> call) throws SQLException {
        if (inJdbcTransaction()) {
            jdbcTransaction.checkNotRolledBack("no savepoint was set"); // as statements: it would begin another
            return call.call();
        }
        if (autoCommitLane.inSqlTransaction()) {
            return call.call();
        }
        return jdbcTransaction().beginWithSavepoint(call, readOnly);
    }

    /**
     * Before a rollback to a savepoint or its release: the savepoints of a transaction rolled back
     * as a whole (by SQLite, or by the pool for its group) went with it, and that is the error to
     * report, not the driver's "no such savepoint".
     */
    void checkSavepointsKept() throws SQLException {
        if (inJdbcTransaction()) {
            jdbcTransaction.checkNotRolledBack("its savepoints went with it");
        }
    }

    /** Before the lease creates a statement or savepoint: see {@link GroupMembership#enterIfPending()}. */
    void enterGroupIfPending() throws SQLException {
        membership.enterIfPending();
    }

    void setReadOnly(boolean readOnly) throws SQLException {
        if (readOnly == this.readOnly) {
            return;
        }
        if (inJdbcTransaction() || autoCommitLane.inSqlTransaction()) {
            throw new SQLException("read-only cannot change inside a transaction; set it before setAutoCommit(false)");
        }
        SqliteTransactionControl.queryOnly(lease.delegate, readOnly);
        this.readOnly = readOnly;
    }

    // --- life cycle ---------------------------------------------------------------------------

    /**
     * Before the lease's connection is taken back, from whatever thread ends the lease: a group
     * commit it takes part in is settled first ({@link GroupMembership#settle()}), which may change
     * which connection is the lease's. A member's statements run on the group's connection: they
     * are closed before its part there is rolled back.
     */
    void settleGroup() {
        AutoCommitGrouping writes = (AutoCommitGrouping) GROUPING.getAcquire(this);
        if (writes != null) {
            writes.settle();
        }
        GroupMembership group = (GroupMembership) MEMBERSHIP.getAcquire(this);
        if (group == GroupMembership.OFF) {
            return;
        }
        try { // whether it is in a group is looked at once the lease's thread runs no part of one

            group.settle();
        } catch (SQLException | RuntimeException e) {
            log.warn("A lease of pool '{}' ended while in a group commit and could not settle its part there: {}",
                    owner.name(), e.toString(), e);
        }
    }

    /** The lease handed out a driver object ({@code unwrap}): writes through it bypass the counters it owes. */
    void driverExposed() {
        if (membership.counters != null) {
            membership.counters.driverExposed();
        }
    }

    /** The lease handed out its connection's metadata: see {@link GroupMembership#tie()}. */
    void tieToConnection() {
        membership.tie();
    }

    /**
     * Puts the connection's transaction state back as a new lease expects (the lease's statements
     * are closed already): an open transaction rolled back, auto-commit on, read-only off.
     */
    void reset() throws SQLException {
        lease.entry.transactionThread(null); // before the connection goes back: then it may be another lease's
        if (!lease.delegate.getAutoCommit()) {
            jdbcTransaction().rollbackDriverTransaction();
            lease.delegate.setAutoCommit(true);
        } else if (autoCommitLane.mayHaveOpenTransaction()) {
            if (SqliteTransactionControl.inTransaction(lease.delegate)) {
                SqliteTransactionControl.rollback(lease.delegate);
            }
        }
        autoCommitLane.clear();
        if (readOnly) {
            SqliteTransactionControl.queryOnly(lease.delegate, false);
        }
    }

    /**
     * Ends the lease's claim on the lane, in whatever state it was left (closed, aborted, closed by
     * another thread). A write result that kept the lane in auto-commit mode was committed when its
     * statement was closed; everything else was rolled back.
     */
    void dropWriteLane() {
        boolean resultCommitted = autoCommitLane.drop();
        JdbcTransaction transaction = jdbcTransaction;
        if (transaction != null) {
            transaction.dropped();
        }
        if (laneEnabled) {
            owner.releaseWriteLane(lease, resultCommitted);
        }
    }
}
