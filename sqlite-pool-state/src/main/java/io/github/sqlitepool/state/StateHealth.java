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
 * @param schemaVersion the schema version ({@code PRAGMA user_version})
 */
public record StateHealth(String databasePath, boolean fileExists, boolean poolEnabled, int poolSize,
        PoolStats poolStats, int schemaVersion) {
}
