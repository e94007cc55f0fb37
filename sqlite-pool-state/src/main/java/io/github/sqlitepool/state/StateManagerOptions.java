package io.github.sqlitepool.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.github.sqlitepool.pool.config.PoolConfigurationException;


/**
 * How a {@link StateManager} runs.
 *
 * @param backupDir        where backups go; null for a {@code backups} directory next to the database file
 * @param operationTimeout the longest one operation (or one batch) may take, at least one second
 * @param sql              the SQL dialect; null to pick it from the data source's metadata
 *                         ({@link StateDialects#detect}: SQLite or PostgreSQL)
 */
public record StateManagerOptions(Path backupDir, Duration operationTimeout, StateSql sql) {

    /** The original tool's bound on one operation. */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @throws PoolConfigurationException naming {@code sqlite.pool.state-manager.operation-timeout}
     *                                    when the timeout is under one second or not under
 *                                    {@code Integer.MAX_VALUE} seconds, or
     *                                    {@code sqlite.pool.state-manager.backup-dir} when it
     *                                    exists and is not a directory
     */
    public StateManagerOptions {
        if (backupDir != null && Files.exists(backupDir) && !Files.isDirectory(backupDir)) {
            throw new PoolConfigurationException("sqlite.pool.state-manager.backup-dir", backupDir.toString(),
                    "exists and is not a directory; name a directory (it is created when missing)");
        }
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        if (operationTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new PoolConfigurationException("sqlite.pool.state-manager.operation-timeout", operationTimeout,
                    "must be at least 1s");
        }
        // JDBC query timeouts and Spring transaction timeouts are whole seconds in an int.
        if (operationTimeout.getSeconds() >= Integer.MAX_VALUE) {
            throw new PoolConfigurationException("sqlite.pool.state-manager.operation-timeout", operationTimeout,
                    "must be under " + Integer.MAX_VALUE + " seconds (about 68 years), the longest timeout JDBC takes");
        }
    }

    /** The dialect picked from the data source, backups next to the database, 30 s per operation. */
    public static StateManagerOptions defaults() {
        return new StateManagerOptions(null, DEFAULT_OPERATION_TIMEOUT, null);
    }

    public StateManagerOptions withBackupDir(Path backupDir) {
        return new StateManagerOptions(backupDir, operationTimeout, sql);
    }

    public StateManagerOptions withOperationTimeout(Duration operationTimeout) {
        return new StateManagerOptions(backupDir, operationTimeout, sql);
    }

    public StateManagerOptions withSql(StateSql sql) {
        return new StateManagerOptions(backupDir, operationTimeout, sql);
    }

    /** The timeout in whole seconds, rounded up, as JDBC and Spring transactions take it. */
    int timeoutSeconds() {
        long seconds = operationTimeout.getSeconds() + (operationTimeout.getNano() > 0 ? 1 : 0);
        return (int) seconds;
    }
}
