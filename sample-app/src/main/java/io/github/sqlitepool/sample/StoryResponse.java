package io.github.sqlitepool.sample;

import io.github.sqlitepool.state.DocumentStatus;
import io.github.sqlitepool.state.Story;

/**
 * A story as the API shows it: the stored row plus the status label for the story document.
 *
 * @param storyPath      the story document
 * @param epicPath       its epic
 * @param status         the stored processing status
 * @param documentStatus the label for the document (e.g. {@code In Progress}), or null for an unknown status
 * @param phase          the phase, or null
 * @param iteration      the iteration
 * @param errorMessage   the last error, or null
 * @param version        the optimistic version, to send back as {@code expectedVersion}
 * @param createdAt      when the story was created (UTC)
 * @param updatedAt      when it last changed (UTC)
 */
public record StoryResponse(String storyPath, String epicPath, String status, String documentStatus, String phase,
        int iteration, String errorMessage, long version, String createdAt, String updatedAt) {

    static StoryResponse of(Story story) {
        return new StoryResponse(story.storyPath(), story.epicPath(), story.status(),
                story.documentStatus().map(DocumentStatus::label).orElse(null), story.phase(), story.iteration(),
                story.errorMessage(), story.version(), story.createdAt(), story.updatedAt());
    }
}
