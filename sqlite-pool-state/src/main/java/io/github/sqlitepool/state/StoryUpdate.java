package io.github.sqlitepool.state;

import java.util.Map;
import java.util.Objects;

/**
 * A change of one story's status, built with {@link #of} and the {@code with...} methods.
 *
 * <p>{@code phase}, {@code iteration} and {@code qaResult} left null keep the stored values
 * (a new story gets iteration 0). {@code errorMessage} always replaces the stored one, so a
 * successful step clears the previous error. {@code expectedVersion}, when set, makes the
 * update conditional on the stored version of an existing story.
 *
 * @param storyPath       the story document (the key)
 * @param epicPath        the epic, required
 * @param status          the new status
 * @param phase           the phase, or null to keep it
 * @param iteration       the iteration, or null to keep it
 * @param qaResult        the QA result, a JSON object serialised with Jackson, or null to keep it
 * @param errorMessage    the error message, or null to clear it
 * @param expectedVersion the version the caller read, or null for an unconditional update
 */
public record StoryUpdate(String storyPath, String epicPath, ProcessingStatus status, String phase, Integer iteration,
        Map<String, ?> qaResult, String errorMessage, Long expectedVersion) {

    /**
     * @throws IllegalArgumentException when the story path or the epic path is missing or blank,
     *                                  or the status is null
     */
    public StoryUpdate {
        requireText(storyPath, "storyPath");
        requireText(epicPath, "epicPath");
        Objects.requireNonNull(status, "status is required");
    }

    /** An update of the story's status, keeping everything else. */
    public static StoryUpdate of(String storyPath, String epicPath, ProcessingStatus status) {
        return new StoryUpdate(storyPath, epicPath, status, null, null, null, null, null);
    }

    public StoryUpdate withPhase(String phase) {
        return new StoryUpdate(storyPath, epicPath, status, phase, iteration, qaResult, errorMessage, expectedVersion);
    }

    public StoryUpdate withIteration(int iteration) {
        return new StoryUpdate(storyPath, epicPath, status, phase, iteration, qaResult, errorMessage, expectedVersion);
    }

    public StoryUpdate withQaResult(Map<String, ?> qaResult) {
        return new StoryUpdate(storyPath, epicPath, status, phase, iteration, qaResult, errorMessage, expectedVersion);
    }

    public StoryUpdate withErrorMessage(String errorMessage) {
        return new StoryUpdate(storyPath, epicPath, status, phase, iteration, qaResult, errorMessage, expectedVersion);
    }

    public StoryUpdate withExpectedVersion(long expectedVersion) {
        return new StoryUpdate(storyPath, epicPath, status, phase, iteration, qaResult, errorMessage, expectedVersion);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required for a story status update, was "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }
}
