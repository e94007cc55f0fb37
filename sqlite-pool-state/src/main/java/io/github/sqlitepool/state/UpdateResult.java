package io.github.sqlitepool.state;

/**
 * The outcome of a status update.
 *
 * @param applied whether the row was written; false only when an expected version did not match
 * @param version the version after the update when applied, else the current stored version
 */
public record UpdateResult(boolean applied, long version) {
}
