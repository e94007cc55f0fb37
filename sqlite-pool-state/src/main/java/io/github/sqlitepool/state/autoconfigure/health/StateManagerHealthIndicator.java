package io.github.sqlitepool.state.autoconfigure.health;

import io.github.sqlitepool.state.StateHealth;
import io.github.sqlitepool.state.StateManager;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The StateManager's own view of its store, as Actuator's {@code stateManager} contributor:
 * UP with the schema version and pool size when it can read its schema (before the first use,
 * which migrates it, a note instead of the version: health never creates the schema), DOWN when
 * its database file is gone, the read fails, or the last migration failed and none has succeeded
 * since (with that failure as {@code migrationFailure}). The database path is a detail, so
 * Actuator shows it only where details are shown.
 */
public final class StateManagerHealthIndicator implements HealthIndicator {

    private final StateManager stateManager;

    public StateManagerHealthIndicator(StateManager stateManager) {
        this.stateManager = stateManager;
    }

    @Override
    public Health health() {
        StateHealth health;
        try {
            health = stateManager.health();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
        Health.Builder builder = health.databasePath() != null && !health.fileExists()
                ? Health.down().withDetail("error", "the state database file does not exist")
                : Health.up();
        if (health.migrationFailure() != null) {
            builder.down().withDetail("migrationFailure", health.migrationFailure());
        }
        if (health.migrated()) {
            builder.withDetail("schemaVersion", health.schemaVersion());
        }
        else if (health.migrationFailure() != null) {
            builder.withDetail("schema", "not migrated: the last migration failed (migrationFailure); the next use"
                    + " of the StateManager tries again");
        }
        else {
            builder.withDetail("schema", "not migrated yet: the StateManager has not been used (it migrates on first use)");
        }
        builder.withDetail("poolEnabled", health.poolEnabled())
                .withDetail("poolSize", health.poolSize());
        if (health.databasePath() != null) {
            builder.withDetail("database", health.databasePath());
        }
        return builder.build();
    }
}
