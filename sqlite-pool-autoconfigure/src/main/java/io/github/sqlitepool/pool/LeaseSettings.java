package io.github.sqlitepool.pool;

import java.sql.SQLException;

import io.github.sqlitepool.pool.sql.SqlClassifier;

/**
 * What a lease may have changed in its connection's settings that the next lease must not see
 * (a PRAGMA run as SQL, the isolation level), and putting it back when the lease ends.
 */
final class LeaseSettings {

    private final LeaseOwner pool;

    private final ConnectionLease lease;

    /** Group commit is on: SQL that leaves state on the connection marks it ({@link PooledConnection#markSessionState()}). */
    private final boolean followsSessionState;

    /** SQL ran that may have changed a configured PRAGMA: they are applied again when the lease ends. */
    private boolean settingsMayHaveChanged;

    private boolean isolationChanged;

    LeaseSettings(LeaseOwner pool, ConnectionLease lease) {
        this.pool = pool;
        this.lease = lease;
        this.followsSessionState = pool.groupCommit() != null;
    }

    /** Notes an execution of {@code sql} of {@code kind} (null when the text is not known) that may change a PRAGMA. */
    void executing(SqlClassifier.SqlKind kind, String sql) {
        // reads never scan their text
        if (sql == null || kind != SqlClassifier.SqlKind.READ) {
            if (!settingsMayHaveChanged) {
                settingsMayHaveChanged = sql == null || SqlClassifier.mayChangeConnectionSettings(sql);
            }
            if (followsSessionState && (sql == null || SqlClassifier.mayCreateSessionState(sql))) {
                lease.connection().markSessionState();
            }
        }
    }

    /**
     * A driver object of the lease was handed out: settings may be changed through it without SQL
     * the pool sees ({@code SQLiteConnection.setBusyTimeout}, a PRAGMA run on the driver's own
     * statement), so they are all put back when the lease ends.
     */
    void driverExposed() {
        settingsMayHaveChanged = true;
    }

    /** Whether SQL may have changed a setting, or the isolation level differs from the default. */
    boolean changed() {
        return settingsMayHaveChanged || isolationChanged;
    }

    /** Sets the isolation level, noting whether it now differs from the connection's default. */
    void setTransactionIsolation(int level) throws SQLException {
        lease.delegate.setTransactionIsolation(level);
        isolationChanged = level != lease.connection().defaultIsolation();
    }

    /**
     * Applies the configured PRAGMAs, and the session ones the connection opened with
     * ({@link SessionPragmas}), again if SQL may have changed them, and the default isolation
     * level if it was changed.
     *
     * @throws SQLException when they cannot be restored and the connection must be replaced
     */
    void restore() throws SQLException {
        if (settingsMayHaveChanged) {
            pool.restoreSettings(lease.delegate); // a PRAGMA the caller set must not reach the next lease
            settingsMayHaveChanged = false;
        }
        if (isolationChanged) {
            lease.delegate.setTransactionIsolation(lease.connection().defaultIsolation());
        }
    }
}
