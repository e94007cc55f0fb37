package io.github.sqlitepool.state;

import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * One row of the {@code stories} table.
 *
 * @param id           the row id
 * @param epicPath     the epic the story belongs to
 * @param storyPath    the story document, unique
 * @param status       the stored status, kept as written so that an unknown value never fails a read
 * @param iteration    how many times the story went round
 * @param qaResult     the last QA result as a JSON tree, or null when none was recorded
 * @param errorMessage the last error, or null
 * @param createdAt    when the row was created, as SQLite wrote it (UTC, {@code yyyy-MM-dd HH:mm:ss})
 * @param updatedAt    when the row last changed, in the same form
 * @param phase        the phase the story is in, or null
 * @param version      the optimistic version: 1 on insert, incremented by every update
 */
public record Story(long id, String epicPath, String storyPath, String status, int iteration, JsonNode qaResult,
        String errorMessage, String createdAt, String updatedAt, String phase, long version) {

    /** The status as an enum, or empty when the database holds a value this version does not know. */
    public Optional<ProcessingStatus> processingStatus() {
        return ProcessingStatus.fromValue(status);
    }

    /** The status to show in the story document; empty for an unknown stored status. */
    public Optional<DocumentStatus> documentStatus() {
        return processingStatus().map(ProcessingStatus::toDocumentStatus);
    }
}
