package io.github.sqlitepool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;

import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * The pooled connections a {@link ConnectionLease} stands on: its own ({@link #entry}), which it
 * hands back when it ends, and the one its statements run on now ({@link #connection()}): the
 * same, or a commit group's while the lease's transaction is a member of the group
 * ({@link GroupMembership}). A group commit may also exchange the lease's own connection for
 * another ({@link #rehome}).
 *
 * <p>Only the lease's thread changes them. {@link #entry} is written with a release store that an
 * abort from another thread reads with an acquire ({@link #ownConnection()}): not a volatile
 * field, whose store in the constructor would cost every lease a full fence.
 */
abstract class LeaseConnections {

    private static final VarHandle ENTRY = FieldHandles.of(MethodHandles.lookup(), "entry", PooledConnection.class);

    /** The pooled connection the lease hands back when it ends. */
    PooledConnection entry;

    /** The connection statements run on now: {@link #entry}, or a commit group's while a member. */
    private PooledConnection current;

    /** {@link #current}'s driver connection, which the lease's generated methods delegate to. */
    Connection delegate;

    /** The thread that took the lease. */
    final Thread owner = Thread.currentThread();

    LeaseConnections(PooledConnection entry) {
        this.entry = entry;
        this.current = entry;
        this.delegate = entry.raw();
    }

    /** The connection statements run on now: the lease's own, or a commit group's while it is a member. */
    final PooledConnection connection() {
        return current;
    }

    /** The lease's own connection, read from any thread (an abort). */
    final PooledConnection ownConnection() {
        return (PooledConnection) ENTRY.getAcquire(this);
    }

    /**
     * Closes the lease's own driver connection underneath it (an abort, from any thread), after
     * interrupting what runs on it, and on a commit group's connection the lease's transaction runs
     * on, which fails that group: nobody waits for a running statement.
     */
    final void closeUnderneath() throws SQLException {
        PooledConnection own = ownConnection();
        PooledConnection running = current;
        if (running != own) {
            running.interrupt();
        }
        own.interrupt();
        own.raw().close();
    }

    /** The SQLite database of the connection statements run on now. */
    final DB database() {
        return ((SQLiteConnection) delegate).getDatabase();
    }

    /** From now on statements run on {@code connection}: a commit group's, or the lease's own again. */
    final void useConnection(PooledConnection connection) {
        current = connection;
        delegate = connection.raw();
        databaseChanged();
    }

    /** Statements run on {@link #database()} from now on: what is bound to the old one follows. */
    abstract void databaseChanged();

    /**
     * The lease keeps {@code connection} as its own, in exchange for its own (group commit). Both
     * leases of an exchange are in a JDBC transaction then, so the connection carries this one's.
     */
    final void rehome(PooledConnection connection) {
        connection.leasedTo(owner);
        connection.transactionThread(owner);
        ENTRY.setRelease(this, connection);
        useConnection(connection);
    }
}
