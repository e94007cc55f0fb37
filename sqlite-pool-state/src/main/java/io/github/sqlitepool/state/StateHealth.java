package io.github.sqlitepool.state;

import io.github.sqlitepool.pool.PoolStats;

/**
 * What the state store runs on.
 *
 * @param databasePath  the database file, or null for an in-memory database
 * @param fileExists    whether that file exists
 * @param poolEnabled   whether the data source is the SQLite pool
 * @param poolSize      the pool's size, 0 when not pooled
 * @param poolStats     the pool's counts now, or null when not pooled
 * @param schemaVersion the schema version ({@code PRAGMA user_version}), 0 while not {@code migrated}
 * @param migrated      whether the manager has migrated its schema in this process (it does on
 *                      first use, or at startup with {@code sqlite.pool.state-manager.migrate-on-startup});
 *                      before that it has read nothing but the database's product name
 * @param migrationFailure how the last migration failed (exception type and message), while no
 *                         migration has succeeded since; null when none failed
 */
public record StateHealth(String databasePath, boolean fileExists, boolean poolEnabled, int poolSize,
        PoolStats poolStats, int schemaVersion, boolean migrated, String migrationFailure) {
}
