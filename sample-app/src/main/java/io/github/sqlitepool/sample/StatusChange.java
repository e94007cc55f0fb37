package io.github.sqlitepool.sample;

/**
 * One row of the sample's Flyway-managed {@code status_changes} table.
 *
 * @param id         the row id
 * @param storyPath  the story that changed
 * @param fromStatus the status before, or null when the story was created by the change
 * @param toStatus   the status after
 * @param version    the story's version after the change
 * @param note       the caller's note, or null
 * @param changedAt  when, as SQLite wrote it (UTC, {@code yyyy-MM-dd HH:mm:ss})
 */
public record StatusChange(long id, String storyPath, String fromStatus, String toStatus, long version, String note,
        String changedAt) {
}
