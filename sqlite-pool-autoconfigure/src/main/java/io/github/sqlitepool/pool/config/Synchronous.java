package io.github.sqlitepool.pool.config;

/**
 * Values of SQLite's {@code synchronous} pragma: how often SQLite waits for the disk.
 *
 * <p>In WAL mode {@link #NORMAL} loses no committed transaction when the process crashes,
 * and may lose the last transactions (never corrupt the file) on a power loss; {@link #FULL}
 * also survives a power loss at the cost of an fsync per commit.
 */
public enum Synchronous {
    OFF, NORMAL, FULL, EXTRA
}
