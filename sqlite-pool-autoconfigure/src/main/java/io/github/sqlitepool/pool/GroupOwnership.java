package io.github.sqlitepool.pool;

import java.sql.SQLException;

/**
 * A lease's committing transaction as the owner of a commit group: the group opens on the lease's
 * connection, the lane goes to the members, and the commit waits for the group's end (docs/write-lane.md,
 * "How a group forms"). Part of {@link GroupMembership}, whose {@link RunningPart} it shares: the
 * owner's thread and a thread closing the lease never run a part of the group at once.
 */
final class GroupOwnership {

    private final ConnectionLease lease;

    private final LeaseOwner owner;

    private final GroupCommit groupCommit;

    private final RunningPart running;

    private final OwedCounters counters;

    /** The group this lease's committing transaction opened and waits for; read by a thread that closes the lease. */
    private volatile CommitGroup owned;

    GroupOwnership(ConnectionLease lease, LeaseOwner owner, GroupCommit groupCommit, RunningPart running,
            OwedCounters counters) {
        this.lease = lease;
        this.owner = owner;
        this.groupCommit = groupCommit;
        this.running = running;
        this.counters = counters;
    }

    /**
     * The lease's transaction, which wrote and holds the lane, commits: if writers that may join
     * wait (transactions at their begin, auto-commit writes), a group opens on this connection and
     * this call returns once the group has ended.
     *
     * @return false when no group opened: the caller commits as usual
     * @throws SQLException when the group opened and did not commit (nothing of it was), or when a
     *                      thread closing the lease settles it already (SQLState {@code 08003})
     */
    boolean commitInGroup() throws SQLException {
        CommitGroup opened = groupCommit.open(lease);
        if (opened == null) {
            return false;
        }
        boolean handedOn;
        if (!running.tryBegin()) {
            throw TransactionErrors.closedWhileEnding(); // the closing thread settles the lease: its connection is being taken back
        }
        try {
            // claimed before the look, as the close sets its flag before it looks for a part: one sees the other
            if (lease.isClosed()) {
                throw TransactionErrors.closedWhileEnding();
            }
            ConnectionCounters.Reading ownCounters = counters.beforeOthersWrite(lease.delegate);
            handedOn = groupCommit.passOn(lease, opened); // runs the waiting auto-commit writes first
            if (handedOn || opened.members() > 1) {
                counters.othersWroteAfter(ownCounters); // others' writes run on its connection after its own
            }
            if (handedOn) {
                owned = opened; // before the part ends: a close then waits for the group
            } else if (opened.members() == 1 && opened.lostBy() == null) {
                return false; // nobody joined: it commits as usual
            } else {
                opened.commitAndEnd(owner, lease, null); // only auto-commit writes joined, run by this thread
            }
        } finally {
            running.end();
        }
        if (!handedOn) {
            opened.awaitCommitted();
            return true;
        }
        opened.awaitEnd();
        if (running.tryBegin()) { // else the thread closing the lease settles it, and takes the exchange itself
            try {
                PooledConnection exchanged = opened.ownerConnection();
                if (exchanged != null) {
                    lease.rehome(exchanged); // the last member kept this connection
                }
                owned = null;
            } finally {
                running.end();
            }
        }
        opened.awaitCommitted();
        return true;
    }

    /** Whether the lease's commit waits for a group it opened. */
    boolean waiting() {
        return owned != null;
    }

    /**
     * For a thread closing the lease, in the lease's part: waits for the group the lease's commit
     * waits for to end, and takes the connection its last member left, as the owner's thread would.
     */
    void settle() {
        CommitGroup waitingFor = owned;
        if (waitingFor == null) {
            return;
        }
        waitingFor.awaitEnd();
        PooledConnection exchanged = waitingFor.ownerConnection();
        if (exchanged != null) {
            lease.rehome(exchanged); // as the owner's own thread does, with the same connection
        }
    }
}
