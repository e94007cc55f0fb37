package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/** One physical connection owned by the pool, leased out or idle. */
final class PooledConnection {

    private static final Logger log = LoggerFactory.getLogger(PooledConnection.class);

    private final Connection raw;

    private final int defaultIsolation;

    private final AtomicBoolean discarded = new AtomicBoolean();

    private static final int IN_USE = 0;
    private static final int IDLE = 1;
    private static final int RETIRED = 2;

    /** In use (leased, or not yet offered), idle, or retired; moved by {@link IdleConnections}. */
    private final AtomicInteger state = new AtomicInteger(IN_USE);

    private volatile boolean member;

    private final StatementCache statements;

    /**
     * The thread whose lease has a transaction open on this connection, or null. A plain field:
     * only that thread asks whether it is the one ({@link SqlitePool} when it may lease a reserve
     * connection), and its own writes are visible to it; a stale value seen by another thread
     * matches no one.
     */
    private Thread transactionThread;

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

    /**
     * Stops the statement running on this connection, if any, from any thread
     * ({@code sqlite3_interrupt}). sqlite-jdbc holds a connection's lock while a statement runs,
     * so closing a connection from another thread would otherwise wait for the statement to end.
     *
     * <p>On a connection with no statement running the interrupt stays pending, and closing it
     * in that state was measured to leave a lock that held up the pool's closing checkpoint for
     * the whole {@code busy_timeout}; a trivial statement afterwards (which waits for an
     * interrupted one to return) clears it.
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

    /** Marks (or, with null, unmarks) the connection as carrying {@code thread}'s open transaction. */
    void transactionThread(Thread thread) {
        this.transactionThread = thread;
    }

    /** Whether {@code thread}'s lease has a transaction open on this connection. */
    boolean inTransactionOf(Thread thread) {
        return transactionThread == thread;
    }

    /** Idle to in use; true for the one caller that got it. */
    boolean claim() {
        return state.get() == IDLE && state.compareAndSet(IDLE, IN_USE);
    }

    /** In use to idle. */
    void release() {
        state.set(IDLE);
    }

    /** Idle to retired, so that nobody can claim it any more; true for the one caller that did it. */
    boolean retire() {
        return state.compareAndSet(IDLE, RETIRED);
    }

    boolean isIdle() {
        return state.get() == IDLE;
    }

    boolean isMember() {
        return member;
    }

    void markMember() {
        member = true;
    }

    /** Marks the connection as no longer the pool's; true only for the first caller. */
    boolean discard() {
        return discarded.compareAndSet(false, true);
    }

    boolean isDiscarded() {
        return discarded.get();
    }
}
