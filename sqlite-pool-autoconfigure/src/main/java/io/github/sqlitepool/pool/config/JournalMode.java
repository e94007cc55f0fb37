package io.github.sqlitepool.pool.config;

/**
 * Values of SQLite's {@code journal_mode} pragma.
 *
 * <p>{@link #WAL} is the default because it lets readers run beside the single writer; the
 * other modes block readers while a write commits.
 */
public enum JournalMode {
    DELETE, TRUNCATE, PERSIST, MEMORY, WAL, OFF
}
