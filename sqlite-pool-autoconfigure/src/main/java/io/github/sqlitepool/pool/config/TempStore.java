package io.github.sqlitepool.pool.config;

/** Values of SQLite's {@code temp_store} pragma: where temporary tables and indices live. */
public enum TempStore {
    DEFAULT, FILE, MEMORY
}
