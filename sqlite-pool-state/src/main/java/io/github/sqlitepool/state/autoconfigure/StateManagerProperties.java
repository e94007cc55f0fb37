package io.github.sqlitepool.state.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import io.github.sqlitepool.state.StateManagerOptions;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the {@code StateManager} bean, under {@code sqlite.pool.state-manager}. */
@ConfigurationProperties("sqlite.pool.state-manager")
public class StateManagerProperties {

    /**
     * Whether to create the StateManager bean. Creating it touches nothing: its table appears on
     * first use (or at startup with migrate-on-startup).
     */
    private boolean enabled = true;

    /**
     * Whether to migrate the StateManager's schema at startup (after Flyway, Liquibase and
     * schema.sql) instead of on its first use.
     */
    private boolean migrateOnStartup = false;

    /**
     * Directory for backups (before migrations and on request). Defaults to a "backups"
     * directory next to the database file; required for an in-memory database.
     */
    private Path backupDir;

    /** The longest one state operation or one batch may take; at least 1s. */
    private Duration operationTimeout = Duration.ofSeconds(30); // StateManagerOptions.DEFAULT_OPERATION_TIMEOUT, literal for the IDE metadata

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isMigrateOnStartup() {
        return migrateOnStartup;
    }

    public void setMigrateOnStartup(boolean migrateOnStartup) {
        this.migrateOnStartup = migrateOnStartup;
    }

    public Path getBackupDir() {
        return backupDir;
    }

    public void setBackupDir(Path backupDir) {
        this.backupDir = backupDir;
    }

    public Duration getOperationTimeout() {
        return operationTimeout;
    }

    public void setOperationTimeout(Duration operationTimeout) {
        this.operationTimeout = operationTimeout;
    }

    /** The options, validated; messages name the property and its value. */
    StateManagerOptions toOptions() {
        return StateManagerOptions.defaults().withBackupDir(backupDir).withOperationTimeout(operationTimeout);
    }
}
