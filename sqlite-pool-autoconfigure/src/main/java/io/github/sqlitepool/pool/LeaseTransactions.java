package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;

import io.github.sqlitepool.pool.sql.SqlClassifier;
import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;

/**
 * The transactions of one {@link ConnectionLease} and the write lane they hold: every execution
 * and every transaction boundary of the lease comes here, after the lease has checked it is open,
 * so that the pool's write discipline is enforced without the caller's code knowing it. A state
 * machine ({@link State}). Used by the lease's owning thread only (an abort from another thread
 * only lets the lane go, after the lease is closed, {@link #dropWriteLane()}).
 *
 * <p>Read-only mode is implemented with {@code PRAGMA query_only}: sqlite-jdbc can only set
 * read-only when a connection is opened, which a pool cannot do per lease.
 *
 * <p>The lane (when the owner has one) is held in a JDBC transaction ({@code setAutoCommit(false)},
 * hence Spring's {@code @Transactional}) revocably from its begin, firmly from its first statement
 * that can write ({@link SqlClassifier}), until {@code commit()}, {@code rollback()} or
 * {@code setAutoCommit(true)}; how, and the {@code 40001} of a transaction that read first and
 * lost the lane, is {@link TransactionLane}'s; with group commit, {@link GroupMembership} may run
 * the transaction on a group's connection. In auto-commit mode it is held as
 * {@link AutoCommitLane} says. In every case it is held at most until the lease is closed or
 * aborted; read-only leases never take it.
 */
final class LeaseTransactions {

    /** Where the lease is, as far as transactions and the lane go. */
    enum State {
        /** Auto-commit mode (a transaction opened in SQL included): see {@link AutoCommitLane}. */
        AUTO_COMMIT,
        /** A JDBC transaction that has run nothing yet (or only savepoints): no snapshot; the lane held revocably, or not. */
        BEGUN,
        /** A JDBC transaction that has read and not written: its snapshot is taken, the lane held revocably. */
        READ,
        /** A JDBC transaction that may have written: the lane is held until it ends. */
        WRITING,
        /** A JDBC transaction that SQLite rolled back by itself after an error; only a rollback leaves it. */
        ABORTED
    }

    private final LeaseOwner owner;

    /** The lease, which is also the token it holds the lane with. */
    private final ConnectionLease lease;

    private final boolean laneEnabled;

    /** The lease's open statements: a pending one keeps its snapshot past a commit. */
    private final LeaseResources resources;

    private State state = State.AUTO_COMMIT;

    private boolean readOnly;

    /** How the lease's JDBC transactions hold the lane, and the commit count at their snapshot. */
    private final TransactionLane transactionLane;

    /** The lane in auto-commit mode. */
    private final AutoCommitLane autoCommitLane;

    /** In {@link State#ABORTED}: the error after which SQLite rolled the transaction back. */
    private SQLException abortedBy;

    /** The lease's part in group commits. */
    private final GroupMembership membership;

    LeaseTransactions(ConnectionLease lease, LeaseOwner owner, LeaseResources resources) {
        this.owner = owner;
        this.lease = lease;
        this.resources = resources;
        this.laneEnabled = owner.writeLaneEnabled();
        this.transactionLane = new TransactionLane(owner, lease);
        this.autoCommitLane = new AutoCommitLane(owner, lease);
        this.membership = GroupMembership.of(lease, owner);
    }

    boolean isReadOnly() {
        return readOnly;
    }

    private boolean inJdbcTransaction() {
        return state == State.BEGUN || state == State.READ || state == State.WRITING || state == State.ABORTED;
    }

    // --- statements ---------------------------------------------------------------------------

    /**
     * Runs one execution of {@code sql} on this lease; {@code sql} is null when the text is
     * not known (a batch of different statements).
     */
    <T> T execute(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        statement.endResults();
        T result;
        try {
            result = route(statement, sql, call);
        } catch (SQLException | RuntimeException e) {
            owner.statementFailed(e);
            // the driver may have failed before resetting the statement's earlier result (an
            // INSERT ... RETURNING that still holds SQLite's write lock): reset it, so that the
            // lane kept for that result can go
            statement.resetAfterFailure(e);
            resultDone(statement);
            throw e;
        }
        statement.executed(result instanceof ResultSet || Boolean.TRUE.equals(result));
        return result;
    }

    /** Runs one execution of {@code sql} ({@code null}: a batch) with the lane it needs. */
    private <T> T route(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        if (readOnly) {
            SqlKind kind = SqlClassifier.classify(sql);
            if (kind == SqlKind.WRITE || kind == SqlKind.BEGIN_WRITE) {
                throw TransactionErrors.writeOnReadOnly(sql);
            }
            autoCommitLane.note(kind, sql);
            return call.call();
        }
        if (inJdbcTransaction()) {
            return executeInJdbcTransaction(sql, call);
        }
        if (!laneEnabled) {
            autoCommitLane.note(SqlClassifier.classify(sql), sql);
            return call.call();
        }
        return autoCommitLane.execute(statement, sql, call);
    }

    private <T> T executeInJdbcTransaction(String sql, SqlCall<T> call) throws SQLException {
        if (state == State.ABORTED) {
            throw TransactionErrors.aborted(abortedBy, "nothing was run: " + TransactionErrors.describe(sql));
        }
        if (membership.active()) {
            SqlKind kind = SqlClassifier.classify(sql);
            if (kind == SqlKind.BEGIN || kind == SqlKind.BEGIN_WRITE || kind == SqlKind.END) {
                throw TransactionErrors.transactionSqlInGroup(sql);
            }
        }
        if (laneEnabled && state != State.WRITING) {
            SqlKind kind = SqlClassifier.classify(sql);
            if (kind == SqlKind.WRITE || kind == SqlKind.BEGIN_WRITE) {
                beginWriting(sql);
            } else if (kind == SqlKind.READ && state == State.BEGUN) {
                beginReading();
            }
        }
        try {
            return call.call();
        } catch (SQLException e) {
            if (membership.active()) {
                memberStatementFailed(e);
            } else {
                noteAutomaticRollback(e);
            }
            throw e;
        }
    }

    /** In a group, any error may have rolled back the group's transaction: see {@link GroupMembership#statementFailed}. */
    private void memberStatementFailed(SQLException e) throws SQLException {
        if (membership.statementFailed(e)) {
            abortedBy = e;
            state = State.ABORTED;
        }
    }

    /** The transaction's first statement reads: its snapshot begins, under the lane if it can be had. */
    private void beginReading() throws SQLException {
        transactionLane.atFirstRead();
        state = State.READ;
    }

    /** The transaction is about to write (see {@link TransactionLane#atFirstWrite}). */
    private void beginWriting(String sql) throws SQLException {
        transactionLane.atFirstWrite(state == State.READ, sql);
        state = State.WRITING;
    }

    /**
     * SQLite rolls a transaction back by itself on some errors ({@code SQLITE_FULL},
     * {@code SQLITE_IOERR}, {@code SQLITE_BUSY}, {@code SQLITE_NOMEM}), while sqlite-jdbc still
     * reports the transaction open; the statements that followed would then each commit on
     * their own. After such an error this checks whether SQLite is still in a transaction.
     */
    private void noteAutomaticRollback(SQLException e) throws SQLException {
        if (SqliteTransactionControl.mayHaveRolledBack(e) && !SqliteTransactionControl.inTransaction(lease.delegate)) {
            abortedBy = e;
            state = State.ABORTED;
        }
    }

    /** The statement's earlier result, if it kept the lane, is gone (closed or replaced). */
    void resultDone(LeasedStatement<?> statement) {
        if (laneEnabled) {
            autoCommitLane.resultDone(statement, state == State.AUTO_COMMIT);
        }
    }

    // --- transaction boundaries --------------------------------------------------------------

    /**
     * Turning auto-commit off begins a deferred transaction holding the lane revocably (unless
     * read-only); its first statement decides the rest (see the class comment). Turning it back on commits and releases the lane; if that commit
     * fails, the transaction is rolled back so that the lane is not released while SQLite still
     * holds the write lock.
     */
    void setAutoCommit(boolean autoCommit) throws SQLException {
        if (autoCommit != (state == State.AUTO_COMMIT)) {
            if (!autoCommit) {
                beginTransaction();
            } else {
                endTransaction();
            }
            return;
        }
        lease.delegate.setAutoCommit(autoCommit);
    }

    private void beginTransaction() throws SQLException {
        boolean held = holdLaneAtBegin(membership.eligible(readOnly));
        if (held) {
            membership.joinIfHanded(); // before anything can fail: a group handed over waits for its member
        }
        try {
            lease.entry.raw().setAutoCommit(false); // the lease's own connection, also when it runs in a group
        } catch (SQLException | RuntimeException e) {
            if (membership.active()) {
                membership.end(false);
            } else if (held) {
                owner.releaseWriteLane(lease, false);
            }
            throw e;
        }
        begun();
    }

    /**
     * Before a JDBC transaction begins: sets the deferred {@code BEGIN} (a {@code BEGIN IMMEDIATE}
     * would take SQLite's write lock without the lane) and, unless read-only, takes the lane
     * revocably ({@link TransactionLane#atBegin}).
     *
     * @return whether the lane is held now
     */
    private boolean holdLaneAtBegin(boolean joinable) throws SQLException {
        if (!laneEnabled) {
            return false;
        }
        SqliteTransactionControl.beginDeferred(lease.delegate);
        return !readOnly && transactionLane.atBegin(joinable);
    }

    /** A JDBC transaction is open: the pool may lease this thread a reserve connection beside it. */
    private void begun() {
        state = State.BEGUN;
        lease.entry.transactionThread(Thread.currentThread());
    }

    private void endTransaction() throws SQLException {
        if (membership.active()) {
            boolean committed = false;
            try {
                endMembership(true);
                lease.delegate.setAutoCommit(true); // the lease's own connection: ends its empty transaction
                committed = true;
            } finally {
                toAutoCommit(committed);
            }
            return;
        }
        if (state == State.ABORTED) {
            // nothing to commit: end the transaction sqlite-jdbc believes open, then report
            SQLException aborted = TransactionErrors.aborted(abortedBy, "nothing was committed");
            try {
                rollbackJdbcTransaction();
                lease.delegate.setAutoCommit(true);
            } finally {
                toAutoCommit(false);
            }
            throw aborted;
        }
        boolean committed = false;
        try {
            lease.delegate.setAutoCommit(true);
            committed = true;
        } catch (SQLException | RuntimeException e) {
            owner.statementFailed(e);
            // sqlite-jdbc flips its flag before COMMIT runs: a failed COMMIT leaves SQLite in
            // the transaction while the driver reports auto-commit
            try {
                rollbackSqlTransaction();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            toAutoCommit(committed);
        }
    }

    private void toAutoCommit(boolean committed) {
        boolean wrote = state == State.WRITING;
        state = State.AUTO_COMMIT;
        lease.entry.transactionThread(null);
        abortedBy = null;
        if (laneEnabled) {
            owner.releaseWriteLane(lease, committed && wrote);
        }
    }

    /** Rolls back whatever transaction SQLite has open, behind the driver's back. */
    private void rollbackSqlTransaction() throws SQLException {
        autoCommitLane.sqlTransactionRolledBack();
        SqliteTransactionControl.rollback(lease.delegate);
    }

    /**
     * Commits; refused, with the error that caused it, when SQLite already rolled the transaction
     * back. The lane is let go; a failed {@code COMMIT} (a deferred foreign key, for example)
     * leaves the transaction open, and it keeps the lane.
     */
    void commit() throws SQLException {
        if (membership.active()) {
            boolean committed = false;
            try {
                endMembership(true);
                committed = true;
            } finally {
                transactionEnded(committed);
            }
            return;
        }
        if (state == State.ABORTED) {
            throw TransactionErrors.aborted(abortedBy, "nothing was committed");
        }
        if (!inJdbcTransaction()) {
            lease.delegate.commit(); // sqlite-jdbc's own error in auto-commit mode
            return;
        }
        if (state == State.WRITING && membership.eligible(readOnly)) {
            boolean grouped;
            try {
                grouped = membership.commitInGroup();
            } catch (SQLException e) {
                transactionEnded(false); // the group's last member rolled it back
                throw e;
            }
            if (grouped) {
                transactionEnded(true);
                return;
            }
        }
        try {
            lease.delegate.commit();
        } catch (SQLException e) {
            owner.statementFailed(e);
            if (state == State.WRITING) {
                noteAutomaticRollback(e); // unless SQLite itself rolled it back (SQLITE_FULL, ...)
            }
            throw e;
        }
        transactionEnded(true);
    }

    /**
     * Rolls the JDBC transaction back. When SQLite has already rolled it back by itself
     * ({@code SQLITE_FULL}, an I/O error, ... end the transaction), that counts as rolled back:
     * the caller sees the error that ended the transaction, not a failing rollback.
     */
    void rollback() throws SQLException {
        if (membership.active()) {
            try {
                endMembership(false);
            } finally {
                transactionEnded(false);
            }
            return;
        }
        rollbackJdbcTransaction();
        if (inJdbcTransaction()) {
            transactionEnded(false);
        }
    }

    /**
     * A JDBC transaction ended and sqlite-jdbc began the next one (deferred): the lane goes. A
     * statement still pending keeps the connection's snapshot into the next transaction, which
     * then starts as one that has read.
     */
    private void transactionEnded(boolean committed) {
        boolean wrote = state == State.WRITING;
        long commits = laneEnabled ? owner.releaseWriteLane(lease, committed && wrote) : 0L;
        abortedBy = null;
        if (laneEnabled && !readOnly && !resources.noStatements()) {
            if (state != State.READ) {
                transactionLane.snapshotAt(commits); // it held the lane, or had no snapshot: nobody committed in between
            }
            state = State.READ;
        } else {
            state = State.BEGUN;
        }
    }

    /**
     * Ends the lease's part in a group ({@link GroupMembership#end}); a transaction SQLite rolled
     * back ({@link State#ABORTED}) is reported as such when it is committed.
     */
    private void endMembership(boolean commit) throws SQLException {
        if (state == State.ABORTED) {
            membership.end(false);
            if (commit) {
                throw TransactionErrors.aborted(abortedBy, "nothing was committed");
            }
            return;
        }
        membership.end(commit);
    }

    /** Before the lease creates a statement or savepoint: see {@link GroupMembership#enterIfPending()}. */
    void enterGroupIfPending() throws SQLException {
        membership.enterIfPending();
    }

    /** A lease that ends while its transaction runs in a group rolls its part back there first. */
    void leaveGroup() throws SQLException {
        if (membership.active()) {
            membership.end(false);
        }
    }

    private void rollbackJdbcTransaction() throws SQLException {
        try {
            lease.delegate.rollback();
            abortedBy = null;
        } catch (SQLException e) {
            if (!SqliteTransactionControl.noTransactionActive(e)) {
                throw e;
            }
            // sqlite-jdbc's rollback() ends with the BEGIN of the next transaction, which it
            // skipped because its ROLLBACK failed: run it so the lease stays in a transaction
            SqliteTransactionControl.beginAsTheDriverWould(lease.delegate);
            abortedBy = null;
        }
    }

    /**
     * A JDBC savepoint. In auto-commit mode sqlite-jdbc turns auto-commit off and opens the
     * transaction with {@code SAVEPOINT}: a deferred transaction that has run nothing, as after
     * {@code setAutoCommit(false)}. Inside a transaction a savepoint changes nothing for the lane.
     */
    Savepoint savepoint(SqlCall<Savepoint> call) throws SQLException {
        if (state != State.AUTO_COMMIT || autoCommitLane.inSqlTransaction()) {
            return call.call();
        }
        boolean held = holdLaneAtBegin(false); // also for the transactions sqlite-jdbc begins after a commit
        Savepoint savepoint;
        try {
            savepoint = call.call();
        } catch (SQLException | RuntimeException e) {
            if (held) {
                owner.releaseWriteLane(lease, false);
            }
            throw e;
        }
        if (!lease.delegate.getAutoCommit()) {
            begun();
        } else if (held) {
            owner.releaseWriteLane(lease, false);
        }
        return savepoint;
    }

    void setReadOnly(boolean readOnly) throws SQLException {
        if (readOnly == this.readOnly) {
            return;
        }
        if (state != State.AUTO_COMMIT || autoCommitLane.inSqlTransaction()) {
            throw new SQLException("read-only cannot change inside a transaction; set it before setAutoCommit(false)");
        }
        SqliteTransactionControl.queryOnly(lease.delegate, readOnly);
        this.readOnly = readOnly;
    }

    // --- life cycle ---------------------------------------------------------------------------

    /**
     * Puts the connection's transaction state back as a new lease expects (the lease's statements
     * are closed already): an open transaction rolled back, auto-commit on, read-only off.
     */
    void reset() throws SQLException {
        lease.entry.transactionThread(null); // before the connection goes back: then it may be another lease's
        if (!lease.delegate.getAutoCommit()) {
            rollbackJdbcTransaction();
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
        state = State.AUTO_COMMIT;
        if (laneEnabled) {
            owner.releaseWriteLane(lease, resultCommitted);
        }
    }
}
