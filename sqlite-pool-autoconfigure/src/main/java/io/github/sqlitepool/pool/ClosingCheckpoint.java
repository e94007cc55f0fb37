package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.github.sqlitepool.pool.config.SqliteConnectionFactory;
import io.github.sqlitepool.pool.config.SqliteUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's last maintenance as it closes: folds the WAL into the database file
 * ({@code wal_checkpoint(TRUNCATE)}) and runs {@code PRAGMA optimize}.
 */
final class ClosingCheckpoint {

    // under the pool's logger, where these messages were before the checkpoint had a class of its own
    private static final Logger log = LoggerFactory.getLogger(SqlitePool.class);

    private final String poolName;

    private final SqliteUrl url;

    private final SqliteConnectionFactory factory;

    ClosingCheckpoint(String poolName, SqliteUrl url, SqliteConnectionFactory factory) {
        this.poolName = poolName;
        this.url = url;
        this.factory = factory;
    }

    /**
     * Folds the WAL into the database file and runs {@code PRAGMA optimize}. A checkpoint that
     * reports SQLite as busy is tried on the next idle connection: measured here, a connection
     * that had not read since another one wrote could be refused for the whole busy timeout while
     * the connection that wrote last succeeded at once.
     */
    void run(List<PooledConnection> idleConnections) {
        if (url.inMemory()) {
            return;
        }
        try {
            for (PooledConnection connection : idleConnections) {
                if (runMaintenance(connection.raw())) {
                    return;
                }
            }
            try (Connection fresh = factory.open()) {
                if (!runMaintenance(fresh)) {
                    log.warn("Pool '{}' could not checkpoint the WAL on close: another connection to {} is reading "
                            + "or writing; the WAL stays until the next checkpoint", poolName, url);
                }
            }
        } catch (SQLException | RuntimeException e) { // the pool still closes its connections after it
            log.warn("Pool '{}' could not checkpoint and optimize on close: {}", poolName, e.getMessage(), e);
        }
    }

    /** Checkpoints (TRUNCATE) and optimizes; false when the checkpoint was blocked. */
    private static boolean runMaintenance(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            boolean busy;
            try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                busy = result.next() && result.getInt(1) != 0;
            }
            if (busy) {
                return false;
            }
            statement.execute("PRAGMA optimize");
            return true;
        }
    }
}
