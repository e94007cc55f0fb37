package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.github.sqlitepool.pool.config.SqliteConnectionFactory;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a closing pool does to its database file: folds the WAL into it
 * ({@code wal_checkpoint(TRUNCATE)}) and runs {@code PRAGMA optimize}.
 *
 * <p>A checkpoint that reports SQLite as busy is tried on the next idle connection: measured
 * here, a connection that had not read since another one wrote could be refused for the whole
 * busy timeout while the connection that wrote last succeeded at once.
 */
final class ClosingCheckpoint {

    private static final Logger log = LoggerFactory.getLogger(ClosingCheckpoint.class);

    private ClosingCheckpoint() {
    }

    /** Checkpoints and optimizes on the first of {@code idleConnections} (or a fresh one) that is not refused. */
    static void run(SqlitePoolConfig config, SqliteConnectionFactory factory, List<PooledConnection> idleConnections) {
        try {
            for (PooledConnection connection : idleConnections) {
                if (checkpointAndOptimize(connection.raw())) {
                    return;
                }
            }
            try (Connection fresh = factory.open()) {
                if (!checkpointAndOptimize(fresh)) {
                    log.warn("Pool '{}' could not checkpoint the WAL on close: another connection to {} is reading "
                            + "or writing; the WAL stays until the next checkpoint", config.name(), config.url());
                }
            }
        } catch (SQLException e) {
            log.warn("Pool '{}' could not checkpoint and optimize on close: {}", config.name(), e.getMessage(), e);
        }
    }

    /** {@code wal_checkpoint(TRUNCATE)} on {@code connection}; false when readers or a writer kept it busy. */
    static boolean truncate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            return !(result.next() && result.getInt(1) != 0);
        }
    }

    private static boolean checkpointAndOptimize(Connection connection) throws SQLException {
        if (!truncate(connection)) {
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA optimize");
            return true;
        }
    }
}
