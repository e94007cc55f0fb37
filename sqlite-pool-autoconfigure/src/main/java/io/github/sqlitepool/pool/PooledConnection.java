package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * One physical connection owned by the pool, and where it is in its life ({@link Lifecycle}).
 * The pool's counts (open, idle, active) are read from these states, never kept beside them.
 */
final class PooledConnection {

    private static final Logger log = LoggerFactory.getLogger(PooledConnection.class);

    /**
     * Where a pooled connection is in its life. Every move is a compare-and-set, so a connection
     * is claimed, retired or closed by exactly one caller.
     *
     * <pre>
     * OPENED --offer--&gt; IDLE --claim--&gt; LEASED --offer--&gt; IDLE
     *                     IDLE --retire (pool closing)--&gt; RETIRED
     * any state --close--&gt; CLOSED
     * </pre>
     */
    enum Lifecycle {
        /** Opened and configured, not yet offered to the pool. */
        OPENED,
        /** In the pool, free for the next lease. */
        IDLE,
        /** Held by a lease (or handed to a waiter that is about to wrap it in one). */
        LEASED,
        /** Idle when the pool began closing; nobody may claim it, the pool closes it. */
        RETIRED,
        /** Closed, or being closed, and no longer the pool's. */
        CLOSED
    }

    private final Connection raw;

    private final int defaultIsolation;

    private final StatementCache statements;

    private final AtomicReference<Lifecycle> state = new AtomicReference<>(Lifecycle.OPENED);

    /**
     * The thread whose lease has a transaction open on this connection, or null. A plain field:
     * only that thread asks whether it is the one ({@link SqlitePool} when it may lease a reserve
     * connection), and its own writes are visible to it; a stale value seen by another thread
     * matches no one.
     */
    private Thread transactionThread;

    /**
     * The thread of the lease that took this connection last, and how many leases took it. Plain
     * fields, written once per lease by the leasing thread: only {@link LeaseAges} reads them, from
     * the checkpointer's thread, for a diagnostic that may lag by a lease.
     */
    private Thread leaseThread;

    private int leaseCount;

    /** See {@link #markSessionState()}: set once, by the lease that used it, and kept for the connection's life. */
    private volatile boolean sessionState;

    /** See {@link #countersRows()}; changed by the thread using the connection, read by a thread that ends its lease too. */
    private volatile long countersRows;

    PooledConnection(Connection raw, StatementCache statements) throws SQLException {
        this.raw = raw;
        this.defaultIsolation = raw.getTransactionIsolation();
        this.statements = statements;
    }

    Connection raw() {
        return raw;
    }

    /** Prepared statements kept open on this connection between leases. */
    StatementCache statements() {
        return statements;
    }

    int defaultIsolation() {
        return defaultIsolation;
    }

    Lifecycle state() {
        return state.get();
    }

    /**
     * Stops the statement running on this connection, if any, from any thread
     * ({@code sqlite3_interrupt}). sqlite-jdbc holds a connection's lock while a statement runs,
     * so closing a connection from another thread would otherwise wait for the statement to end.
     *
     * <p>On a connection with no statement running the interrupt stays pending, and closing it
     * in that state can leave a lock that holds up the pool's closing checkpoint for the whole
     * {@code busy_timeout}; a trivial statement afterwards (which waits for an interrupted one to
     * return) clears it.
     */
    void interrupt() {
        try {
            raw.unwrap(SQLiteConnection.class).getDatabase().interrupt();
            try (Statement statement = raw.createStatement()) {
                statement.execute("SELECT 1");
            }
        } catch (SQLException e) {
            // closed already (nothing runs on it), or the statement was interrupted too: close anyway
            log.debug("Interrupting a connection before closing it: {}", e.getMessage());
        }
    }

    /**
     * Marks the connection as carrying state of its own that SQL on another connection would miss
     * (a temporary table, an attached database, a function registered through the driver): its
     * transactions are then never moved into a commit group, nor is it lent to one.
     */
    void markSessionState() {
        sessionState = true;
    }

    /** See {@link #markSessionState()}. */
    boolean hasSessionState() {
        return sessionState;
    }

    /** The pool's own rows inserted to set this connection's counters ({@link ConnectionCounters#set}). */
    void countedOwnRows(long rows) {
        countersRows = countersRows + rows; // one writer at a time: the lease's thread, or a member's holding the lane
    }

    /** How much of the connection's {@code total_changes()} the pool's own rows make up: not the application's writes. */
    long countersRows() {
        return countersRows;
    }

    /** A lease of {@code thread} took this connection. */
    void leasedTo(Thread thread) {
        leaseThread = thread;
        leaseCount++;
    }

    /** The thread of the lease that took this connection last; null before the first. */
    Thread leaseThread() {
        return leaseThread;
    }

    /** How many leases took this connection; a change means a new lease. */
    int leaseCount() {
        return leaseCount;
    }

    /** Marks (or, with null, unmarks) the connection as carrying {@code thread}'s open transaction. */
    void transactionThread(Thread thread) {
        this.transactionThread = thread;
    }

    /** Whether {@code thread}'s lease has a transaction open on this connection. */
    boolean inTransactionOf(Thread thread) {
        return transactionThread == thread;
    }

    /** Idle to leased; true for the one caller that got it. */
    boolean claim() {
        return state.get() == Lifecycle.IDLE && state.compareAndSet(Lifecycle.IDLE, Lifecycle.LEASED);
    }

    /** Opened or leased to idle; false when it was retired or closed meanwhile. */
    boolean makeIdle() {
        Lifecycle current = state.get();
        while (current == Lifecycle.OPENED || current == Lifecycle.LEASED) {
            if (state.compareAndSet(current, Lifecycle.IDLE)) {
                return true;
            }
            current = state.get();
        }
        return false;
    }

    /** Idle to retired, so that nobody can claim it any more; true for the one caller that did it. */
    boolean retire() {
        return state.compareAndSet(Lifecycle.IDLE, Lifecycle.RETIRED);
    }

    /** Marks the connection as no longer the pool's; true only for the first caller, who closes it. */
    boolean markClosed() {
        return state.getAndSet(Lifecycle.CLOSED) != Lifecycle.CLOSED;
    }

    boolean isClosed() {
        return state.get() == Lifecycle.CLOSED;
    }
}
