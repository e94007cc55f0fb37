package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One lease's part in group commits ({@link GroupCommit}): its committing transaction opening a
 * group on its connection ({@link GroupOwnership}), and its transaction joining the group it was handed the lane for at
 * its begin, running on that group's connection in a savepoint until it ends. Used by the lease's
 * thread, from {@link LeaseTransactions}, and by a thread that closes the lease ({@link #settle()});
 * the two never run a part of a group at once ({@link RunningPart}).
 *
 * <p>A transaction takes part only when nothing ties it to its own connection: no statement or
 * metadata result open, no session state on the connection (a temporary table, an attached
 * database, a function registered through the driver), no setting changed. A member that leaves
 * such a tie on the group's connection (a statement it keeps open, a temporary table it created)
 * ends the group and keeps that connection as its own; the owner then takes the member's.
 */
final class GroupMembership {

    private final ConnectionLease lease;

    private final LeaseOwner owner;

    /** Null when group commit is off. */
    private final GroupCommit groupCommit;

    /** The group this lease's transaction was handed the lane for; null when it is not a member. */
    private volatile CommitGroup group;

    /** Whether the member has moved onto the group's connection. */
    private boolean entered;

    /** Whether the member's savepoint is open on the group's connection. */
    private boolean inSavepoint;

    /** The member took the group's connection's {@code DatabaseMetaData}, which stays bound to it. */
    private boolean tied;

    /**
     * The lease's thread running a group's part that a thread closing the lease must wait for: the
     * committing transaction running, on this lease's connection, the group it opened until it hands
     * the lane on or commits; a member ending its part on the group's connection (its savepoint,
     * the waiting writes, handing the lane on or committing) until it is back on its own.
     */
    private final RunningPart running = new RunningPart();

    /** The membership of every lease while group commit is off: never active, never eligible; stateless. */
    static final GroupMembership OFF = new GroupMembership(null, null, null, null, null);

    /** The lease's open statements and metadata results: what ties it to a connection. */
    private final LeaseResources resources;

    /** The settings the lease changed: a tie too, and put back on a group's connection it leaves. */
    private final LeaseSettings settings;

    /** What the lease's connection must answer for its counters once a group ran on it, or it in a group. */
    final OwedCounters counters;

    /** The group the lease's committing transaction opened on its connection. */
    private final GroupOwnership ownership;

    /**
     * Why a thread waiting for the member's group rolled its part back ({@link #rollBackForDeadlock});
     * written while the member's thread waits for a lock that thread lets go only afterwards.
     */
    private SQLException rolledBackBy;

    private GroupMembership(ConnectionLease lease, LeaseOwner owner, GroupCommit groupCommit,
            LeaseResources resources, LeaseSettings settings) {
        this.lease = lease;
        this.owner = owner;
        this.groupCommit = groupCommit;
        this.resources = resources;
        this.settings = settings;
        this.counters = groupCommit == null ? null : new OwedCounters();
        this.ownership = groupCommit == null ? null : new GroupOwnership(lease, owner, groupCommit, running, counters);
    }

    /** {@code lease}'s membership: {@link #OFF} when its pool has group commit off. */
    static GroupMembership of(ConnectionLease lease, LeaseOwner owner, LeaseResources resources,
            LeaseSettings settings) {
        GroupCommit groupCommit = owner.groupCommit();
        return groupCommit == null ? OFF : new GroupMembership(lease, owner, groupCommit, resources, settings);
    }

    /**
     * Whether the lease's transaction is a group's member now. A member that has not entered
     * (pending) and was evicted meanwhile stops being one here.
     */
    boolean active() {
        if (group != null && !entered && group.evicted()) {
            group = null; // it goes on on its own connection, without the lane, as if revoked
        }
        return group != null;
    }

    /** Whether a transaction of the lease, at its begin or commit, may take part in a group. */
    boolean eligible(boolean readOnly) {
        return groupCommit != null && !readOnly && group == null && resources.nothingOpen()
                && !lease.connection().hasSessionState() && !settings.changed();
    }

    /** See {@link GroupOwnership#commitInGroup()}. */
    boolean commitInGroup() throws SQLException {
        return ownership.commitInGroup();
    }

    /** Whether the lease's commit waits for a group it opened. */
    private boolean owning() {
        return ownership != null && ownership.waiting();
    }

    /**
     * Right after the begin of a transaction that took the lane: notes the group the lane was
     * handed over for, if it was. The lease moves onto the group's connection only when the
     * transaction first uses its connection ({@link #enterIfPending()}).
     */
    boolean joinIfHanded() {
        CommitGroup handed = groupCommit == null ? null : groupCommit.handedTo(lease);
        if (handed != null) {
            group = handed;
            entered = false;
        }
        return handed != null;
    }

    /**
     * Before the transaction first creates a statement or a savepoint: a pending member moves
     * onto the group's connection and opens its savepoint there; an evicted one stays where it is.
     */
    void enterIfPending() throws SQLException {
        if (group == null || entered) {
            return;
        }
        if (settings.changed() || !resources.nothingOpen()) {
            // changed its own connection after the begin (an isolation level): it runs alone there
            if (group.evict(lease)) {
                groupCommit.releaseEvicted(group); // the group committed without it
            }
            group = null;
            return;
        }
        moveIn();
    }

    /** The pending member moves onto the group's connection, in its savepoint, unless it was evicted. */
    private void moveIn() throws SQLException {
        if (!group.enter(lease)) {
            group = null; // evicted
            return;
        }
        entered = true;
        lease.useConnection(group.connection());
        try {
            CommitGroup.openMemberSavepoint(lease.delegate);
            inSavepoint = true;
            counters.enteredGroup();
            group.running(this);
        } catch (SQLException e) {
            try {
                end(false);
            } catch (SQLException endFailure) {
                e.addSuppressed(endFailure);
            }
            throw e;
        }
    }

    // --- auto-commit writes, for AutoCommitGrouping -------------------------------------------

    /**
     * Whether an auto-commit write of {@code statement} may take part in a group, as far as the
     * lease is concerned: auto-commit writes are grouped, nothing ties the lease to its own
     * connection (a temporary table, an attached database, a registered function, a changed
     * setting), and no other statement of the lease is open (a cursor's snapshot on its own
     * connection would not see the write).
     */
    boolean eligibleForWrite(LeasedStatement<?> statement) {
        return groupCommit != null && groupCommit.groupsAutoCommitWrites() && group == null
                && !lease.connection().hasSessionState() && !settings.changed() && resources.onlyOpen(statement);
    }

    /**
     * The lease handed out its connection's {@code DatabaseMetaData}: a member then keeps the
     * group's connection, which that object stays bound to.
     */
    void tie() {
        if (group != null && entered) {
            tied = true;
        }
    }

    /** Whether the lease's statements run on its own connection: it is not a member on a group's. */
    boolean onOwnConnection() {
        return !entered;
    }

    /** Whether the lease's transaction is a group's member, or its commit runs or waits for a group it opened. */
    boolean inGroup() {
        return running.running() || owning() || active();
    }

    /**
     * A statement of the member failed: any error may have rolled the group's whole transaction
     * back ({@code INSERT OR ROLLBACK}, a trigger's {@code RAISE(ROLLBACK)}, {@code SQLITE_FULL}).
     *
     * @return whether it did: the group is lost
     */
    boolean statementFailed(SQLException e) throws SQLException {
        if (SqliteTransactionControl.inTransaction(lease.delegate)) {
            return false;
        }
        group.lost(e);
        return true;
    }

    /**
     * The member's transaction ends: {@code commit} releases its savepoint into the group, else it
     * is rolled back. The member's thread then runs the auto-commit writes waiting for the lane in
     * the group, and the lane goes to the next waiting transaction, or, when none waits or at the
     * group's bounds, this member commits the group. Returns with the lease on its own connection (or on
     * the group's, which it keeps when something ties it there), once the group has committed
     * when {@code commit}.
     *
     * @throws SQLException when {@code commit} and its savepoint could not be released, or the
     *                      group did not commit
     */
    void end(boolean commit) throws SQLException {
        if (!running.tryBegin()) {
            running.awaitEnd(); // the thread closing the lease ends its part (rolled back): wait for it
            throw TransactionErrors.closedWhileEnding();
        }
        CommitGroup committing;
        try {
            committing = endPart(commit, false);
        } finally {
            running.end();
        }
        if (committing != null) {
            committing.awaitCommitted(); // outside the part: a closing thread need not wait for the others
        }
    }

    /**
     * Before the lease's connection is taken back, from whatever thread ends the lease: a group
     * it opened and waits for ends first (the group's connection is in use until then), and its
     * own part in a group is rolled back, without keeping the group's connection (the settings it
     * changed there are put back).
     */
    void settle() throws SQLException {
        if (!running.begin()) { // after the part the lease's thread runs, if it runs one: then it cannot begin one
            return; // closed from within its own part (a listener): the part ends the group's work itself
        }
        try {
            if (!owning() && !active()) {
                return;
            }
            resources.closeAll(); // a member's statements run on the group's connection: closed before its part there ends
            ownership.settle();
            if (active()) {
                endPart(false, true);
            }
        } finally {
            running.end();
        }
    }

    /**
     * Called by a thread waiting for {@code ending}, the group this member runs in, after it found
     * this member's thread waiting for a lock it holds ({@code cycle}, {@link GroupDeadlocks}): the
     * member's part is rolled back and the group goes on without it; its transaction then fails with
     * SQLState {@code 40001} ({@link #takeRollback()}), as a database's deadlock victim does. A
     * member with a statement open, or tied to the group's connection, is left as it is: its lease
     * could not go back to its own connection.
     *
     * @return whether it was rolled back
     */
    boolean rollBackForDeadlock(CommitGroup ending, String cycle) {
        if (!running.tryBegin()) {
            return false;
        }
        try {
            if (group != ending || !entered || tiedToGroupConnection()) {
                return false;
            }
            SQLException rolledBack = TransactionErrors.groupDeadlock(owner.name(), cycle);
            rolledBackBy = rolledBack;
            counters.leftGroup(ending.connection(), null); // what its statements left, which a rollback keeps
            try {
                endPart(false, true);
            } catch (SQLException e) {
                rolledBack.addSuppressed(e); // its part ended all the same: out of the group, or the group failed
            }
            return true;
        } finally {
            running.end();
        }
    }

    /** Why the member's part was rolled back by a thread waiting for its group, once; null when it was not. */
    SQLException takeRollback() {
        SQLException taken = rolledBackBy;
        if (taken != null) {
            rolledBackBy = null; // only then: every lease shares OFF while group commit is off
        }
        return taken;
    }

    /** Whether something of the member's stays bound to the group's connection: its metadata, a statement, session state, a setting. */
    private boolean tiedToGroupConnection() {
        return tied || !resources.nothingOpen() || lease.connection().hasSessionState() || settings.changed();
    }

    /** Whether the member still runs in {@code ending} and is tied to its connection; read without a claim, for a log. */
    boolean tiedTo(CommitGroup ending) {
        return group == ending && entered && tiedToGroupConnection();
    }

    /** Whether the member runs on its group's connection holding the lane through {@code hold}. */
    boolean runsThrough(LaneHold hold) {
        return hold.token() == lease && entered;
    }

    /**
     * Ends the membership, in the lease's part ({@link #running}); a lease that {@code leaseEnds}
     * never keeps the group's connection.
     *
     * @return the group to wait for, outside the part, when {@code commit}; else null
     */
    private CommitGroup endPart(boolean commit, boolean leaseEnds) throws SQLException {
        if (commit && entered && resources.writeResultPending()) {
            // as SQLite refuses the COMMIT of this transaction alone: it stays open, in the group
            throw new SQLException("cannot commit transaction - a statement of this transaction still has a write "
                    + "result open (INSERT ... RETURNING); close it, then commit, or roll back",
                    SqlStates.INVALID_TRANSACTION_STATE);
        }
        CommitGroup ending = group;
        group = null;
        ending.running(null);
        if (!entered && !ending.enter(lease)) {
            return null; // evicted meanwhile: never in the group
        }
        Connection connection = ending.connection().raw();
        SQLException own = null;
        if (!commit && entered) {
            try {
                resources.abortWriteResults(); // an open INSERT ... RETURNING would block the group's COMMIT
            } catch (SQLException e) {
                own = e;
            }
        }
        if (inSavepoint && ending.lostBy() == null) {
            try {
                CommitGroup.endMemberSavepoint(connection, commit);
            } catch (SQLException e) {
                own = e;
                // its part must either leave the group or take the group down with it
                boolean separated = commit && SqliteTransactionControl.inTransaction(connection)
                        && CommitGroup.undoMemberSavepoint(connection, e);
                if (!separated) {
                    ending.abandon(e);
                }
            }
        }
        boolean tiedThere = entered && tiedToGroupConnection();
        boolean keep = tiedThere && !leaseEnds;
        if (entered && !leaseEnds) {
            counters.leftGroup(ending.connection(), keep ? lease.entry : null); // before others write there, or take its own
        }
        if (tiedThere && leaseEnds) {
            try {
                settings.restore(); // on the group's connection: the owner's lease goes on with it
            } catch (SQLException | RuntimeException e) {
                SQLException failure = e instanceof SQLException sql ? sql : new SQLException(e);
                if (own == null) {
                    own = failure; // reported once the group has gone on: it must end whatever happens here
                } else {
                    own.addSuppressed(failure);
                }
            }
        }
        boolean handedOn = ending.lostBy() == null && !keep && groupCommit.passOn(lease, ending);
        if (!handedOn) {
            ending.commitAndEnd(owner, lease, keep ? lease.entry : null); // before the lane goes: SQLite's write lock goes with it
        }
        if (keep) {
            lease.rehome(lease.connection());
        } else if (entered) {
            lease.useConnection(lease.entry);
        }
        entered = false;
        inSavepoint = false;
        tied = false;
        if (own != null) {
            throw own;
        }
        return commit ? ending : null;
    }
}
