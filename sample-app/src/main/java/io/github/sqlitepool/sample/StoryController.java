package io.github.sqlitepool.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.sqlitepool.state.EpicSummary;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's REST API over the StateManager. Story and epic paths contain slashes, so they are
 * query parameters ({@code ?path=docs/stories/1.1.md}) rather than path segments.
 */
@RestController
@RequestMapping("/api")
class StoryController {

    private final StoryService stories;

    StoryController(StoryService stories) {
        this.stories = stories;
    }

    /** Sets a story's status; 409 when {@code expectedVersion} is stale. */
    @PutMapping("/stories/status")
    StoryResponse changeStatus(@RequestParam String path, @RequestBody(required = false) StatusChangeRequest body) {
        return stories.changeStatus(path, body);
    }

    /** One story by its path. */
    @GetMapping(path = "/stories", params = { "path", "!status" })
    StoryResponse story(@RequestParam String path) {
        return stories.story(path);
    }

    /** The stories with a status. */
    @GetMapping(path = "/stories", params = { "status", "!path" })
    List<StoryResponse> storiesWithStatus(@RequestParam String status) {
        return stories.storiesWithStatus(status);
    }

    /** Both selectors at once are a mistake of the caller, not two handlers to choose from. */
    @GetMapping(path = "/stories", params = { "path", "status" })
    StoryResponse storyAndStatus(@RequestParam String path, @RequestParam String status) {
        throw new InvalidRequestException("Give either path (one story) or status (stories with that status), not both");
    }

    /** The story's status changes, from the sample's own Flyway-managed table. */
    @GetMapping("/stories/history")
    List<StatusChange> history(@RequestParam String path) {
        return stories.history(path);
    }

    @GetMapping("/epics/summary")
    EpicStats epicSummary(@RequestParam String path) {
        EpicSummary summary = stories.epicSummary(path);
        return new EpicStats(summary.epicPath(), summary.counts(), summary.total());
    }

    @PostMapping("/backups")
    @ResponseStatus(HttpStatus.CREATED)
    BackupResponse backup() throws IOException {
        Path file = stories.backup();
        return new BackupResponse(file.toAbsolutePath().toString(), Files.size(file), true);
    }

    /**
     * Stories of an epic per status.
     *
     * @param epicPath the epic
     * @param counts   stories per stored status
     * @param total    all stories of the epic
     */
    record EpicStats(String epicPath, Map<String, Long> counts, long total) {
    }

    /**
     * A backup just written.
     *
     * @param file     where it is
     * @param bytes    its size
     * @param verified whether it passed {@code StateManager.verifyBackup} (always true: a failed check is an error)
     */
    record BackupResponse(String file, long bytes, boolean verified) {
    }
}
