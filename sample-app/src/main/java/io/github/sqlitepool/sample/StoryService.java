package io.github.sqlitepool.sample;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.github.sqlitepool.state.EpicSummary;
import io.github.sqlitepool.state.ProcessingStatus;
import io.github.sqlitepool.state.StateManager;
import io.github.sqlitepool.state.Story;
import io.github.sqlitepool.state.StoryUpdate;
import io.github.sqlitepool.state.UpdateResult;

import org.springframework.stereotype.Service;

/**
 * What the REST API does, over the starter's {@link StateManager} and the sample's own
 * {@link StatusChangeLog}: checks the input, and writes a status change and its audit row in
 * one transaction.
 */
@Service
class StoryService {

    private static final String KNOWN_STATUSES = Arrays.stream(ProcessingStatus.values())
            .map(ProcessingStatus::value)
            .collect(Collectors.joining(", "));

    private final StateManager states;

    private final StatusChangeLog changes;

    StoryService(StateManager states, StatusChangeLog changes) {
        this.states = states;
        this.changes = changes;
    }

    /**
     * Sets the story's status (creating the story when it is new) and records the change.
     *
     * @throws InvalidRequestException   when the epic path or status is missing or the status is unknown
     * @throws VersionConflictException  when {@code expectedVersion} is set and the stored version differs
     */
    StoryResponse changeStatus(String storyPath, StatusChangeRequest request) {
        requirePath(storyPath, "path");
        StoryUpdate update = toUpdate(storyPath, request);
        Story changed = states.inTransaction(store -> {
            Story before = store.getStory(storyPath);
            UpdateResult result = store.updateStoryStatus(update);
            if (!result.applied()) {
                throw new VersionConflictException(storyPath, request.expectedVersion(), result.version());
            }
            changes.record(storyPath, before == null ? null : before.status(), update.status().value(),
                    result.version(), request.note());
            return store.getStory(storyPath);
        });
        return StoryResponse.of(changed);
    }

    /** @throws StoryNotFoundException when no story is stored under the path */
    StoryResponse story(String storyPath) {
        requirePath(storyPath, "path");
        Story story = states.getStory(storyPath);
        if (story == null) {
            throw new StoryNotFoundException(storyPath);
        }
        return StoryResponse.of(story);
    }

    List<StoryResponse> storiesWithStatus(String status) {
        return states.getStoriesByStatus(parseStatus(status)).stream().map(StoryResponse::of).toList();
    }

    /** @throws StoryNotFoundException when no story is stored under the path */
    List<StatusChange> history(String storyPath) {
        story(storyPath);
        return changes.changesOf(storyPath);
    }

    EpicSummary epicSummary(String epicPath) {
        requirePath(epicPath, "path");
        return states.getEpicSummary(epicPath);
    }

    /** Creates a backup; the StateManager verifies it before returning. */
    Path backup() {
        return states.createBackup();
    }

    private static StoryUpdate toUpdate(String storyPath, StatusChangeRequest request) {
        if (request == null) {
            throw new InvalidRequestException("A JSON body with epicPath and status is required");
        }
        TextInput.check(request.epicPath(), "epicPath", TextInput.MAX_PATH_LENGTH);
        TextInput.check(request.phase(), "phase", TextInput.MAX_TEXT_LENGTH);
        TextInput.check(request.note(), "note", TextInput.MAX_TEXT_LENGTH);
        StoryUpdate update;
        try {
            update = StoryUpdate.of(storyPath, request.epicPath(), parseStatus(request.status()));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidRequestException(ex.getMessage(), ex);
        }
        if (request.phase() != null) {
            update = update.withPhase(request.phase());
        }
        if (request.expectedVersion() != null) {
            update = update.withExpectedVersion(request.expectedVersion());
        }
        return update;
    }

    private static ProcessingStatus parseStatus(String status) {
        requireText(status, "status");
        return ProcessingStatus.fromValue(status)
                .orElseThrow(() -> new InvalidRequestException(
                        "Unknown status '" + status + "'; known statuses: " + KNOWN_STATUSES));
    }

    private static void requirePath(String value, String name) {
        requireText(value, name);
        TextInput.check(value, name, TextInput.MAX_PATH_LENGTH);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(name + " is required");
        }
    }
}
