package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The StateManager's behaviour, run against SQLite ({@link StateManagerTest}) and a real
 * PostgreSQL server ({@link PostgresStateManagerTest}).
 */
abstract class StateManagerBehaviour {

    StateManager state;

    /** A migrated manager on a fresh database. */
    abstract StateManager startManager() throws Exception;

    /** Runs statements on the database behind the manager's back. */
    abstract void execute(String... sql) throws Exception;

    /** Connections the manager's data source has leased out now. */
    abstract int activeConnections();

    @BeforeEach
    void startState() throws Exception {
        state = startManager();
    }

    @Test
    void insertsWithVersionOneThenUpdatesAndIncrements() {
        UpdateResult first = state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING)
                .withPhase("dev").withQaResult(Map.of("passed", false, "issues", List.of("a", "b"))));
        UpdateResult second = state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.REVIEW)
                .withIteration(3).withErrorMessage("flaky"));

        assertThat(first).isEqualTo(new UpdateResult(true, 1));
        assertThat(second).isEqualTo(new UpdateResult(true, 2));
        Story story = state.getStory("s1.md");
        assertThat(story.status()).isEqualTo("review");
        assertThat(story.processingStatus()).contains(ProcessingStatus.REVIEW);
        assertThat(story.documentStatus()).contains(DocumentStatus.READY_FOR_REVIEW);
        assertThat(story.phase()).isEqualTo("dev");
        assertThat(story.iteration()).isEqualTo(3);
        assertThat(story.errorMessage()).isEqualTo("flaky");
        assertThat(story.qaResult().get("passed").asBoolean()).isFalse();
        assertThat(story.qaResult().get("issues").get(1).asString()).isEqualTo("b");
        assertThat(story.version()).isEqualTo(2);
    }

    @Test
    void epicPathIsRequired() {
        assertThatIllegalArgumentException().isThrownBy(() -> StoryUpdate.of("s1.md", null, ProcessingStatus.PENDING))
                .withMessageContaining("epicPath is required");
        assertThatIllegalArgumentException().isThrownBy(() -> StoryUpdate.of("s1.md", " ", ProcessingStatus.PENDING))
                .withMessageContaining("epicPath is required");
    }

    @Test
    void expectedVersionMismatchChangesNothingAndReportsCurrentVersion() {
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS));

        UpdateResult stale = state.updateStoryStatus(
                StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.FAILED).withExpectedVersion(1));
        UpdateResult fresh = state.updateStoryStatus(
                StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.REVIEW).withExpectedVersion(2));

        assertThat(stale).isEqualTo(new UpdateResult(false, 2));
        assertThat(fresh).isEqualTo(new UpdateResult(true, 3));
        assertThat(state.getStory("s1.md").status()).isEqualTo("review");
    }

    @Test
    void queriesByStatusEpicAndIdsOldestFirst() {
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
        state.updateStoryStatus(StoryUpdate.of("s2.md", "e1.md", ProcessingStatus.COMPLETED));
        state.updateStoryStatus(StoryUpdate.of("s3.md", "e2.md", ProcessingStatus.PENDING));
        state.updateStoryStatus(StoryUpdate.of("s4.md", "e1.md", ProcessingStatus.PENDING));

        assertThat(state.getAllStories()).extracting(Story::storyPath).containsExactly("s1.md", "s2.md", "s3.md", "s4.md");
        assertThat(state.getStoriesByStatus(ProcessingStatus.PENDING)).extracting(Story::storyPath)
                .containsExactly("s1.md", "s3.md", "s4.md");
        assertThat(state.getStoriesOfEpic("e1.md")).extracting(Story::storyPath)
                .containsExactly("s1.md", "s2.md", "s4.md");
        long s3 = state.getStory("s3.md").id();
        long s4 = state.getStory("s4.md").id();
        assertThat(state.getStoriesOfEpic("e1.md", List.of(s3, s4))).extracting(Story::storyPath).containsExactly("s4.md");
        assertThat(state.getStoriesOfEpic("e1.md", List.of())).isEmpty();
        assertThat(state.getStory("missing.md")).isNull();
        assertThat(state.countByStatus()).containsExactlyInAnyOrderEntriesOf(Map.of("pending", 3L, "completed", 1L));
        EpicSummary summary = state.getEpicSummary("e1.md");
        assertThat(summary.count(ProcessingStatus.PENDING)).isEqualTo(2);
        assertThat(summary.count(ProcessingStatus.COMPLETED)).isEqualTo(1);
        assertThat(summary.count(ProcessingStatus.FAILED)).isZero();
        assertThat(summary.total()).isEqualTo(3);
    }

    @Test
    void unknownStatusInTheDatabaseDoesNotBreakReads() throws Exception {
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
        execute("UPDATE stories SET status = 'waiting_for_human'");

        Story story = state.getStory("s1.md");
        assertThat(story.status()).isEqualTo("waiting_for_human");
        assertThat(story.processingStatus()).isEmpty();
        assertThat(story.documentStatus()).isEmpty();
        assertThat(state.getAllStories()).hasSize(1);
        assertThat(state.getEpicSummary("e1.md").counts()).containsEntry("waiting_for_human", 1L);
    }

    @Test
    void deletesAndCleansUp() throws Exception {
        for (String s : List.of("old-done", "old-failed", "old-pending", "new-done")) {
            ProcessingStatus status = s.endsWith("done") ? ProcessingStatus.COMPLETED
                    : s.endsWith("failed") ? ProcessingStatus.FAILED : ProcessingStatus.PENDING;
            state.updateStoryStatus(StoryUpdate.of(s, "e1.md", status));
        }
        execute("UPDATE stories SET updated_at = '2020-01-01 00:00:00' WHERE story_path LIKE 'old-%'");

        assertThat(state.cleanupOlderThan(Duration.ofDays(7))).isEqualTo(2);
        assertThat(state.getAllStories()).extracting(Story::storyPath).containsExactly("old-pending", "new-done");
        assertThat(state.deleteStory("old-pending")).isTrue();
        assertThat(state.deleteStory("old-pending")).isFalse();

        state.updateStoryStatus(StoryUpdate.of("a", "e2.md", ProcessingStatus.PENDING));
        state.updateStoryStatus(StoryUpdate.of("b", "e2.md", ProcessingStatus.PENDING));
        state.updateStoryStatus(StoryUpdate.of("c", "e2.md", ProcessingStatus.PENDING));
        assertThat(state.deleteStoriesOfEpic("e2.md", List.of("a", "new-done"))).isEqualTo(1);
        assertThat(state.deleteStoriesOfEpic("e2.md")).isEqualTo(2);
        assertThat(state.getAllStories()).extracting(Story::storyPath).containsExactly("new-done");
    }

    @Test
    void batchIsAllOrNothing() {
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));

        assertThatIllegalStateException().isThrownBy(() -> state.inTransaction(s -> {
            s.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS));
            s.updateStoryStatus(StoryUpdate.of("s2.md", "e1.md", ProcessingStatus.PENDING));
            throw new IllegalStateException("step failed");
        }));

        assertThat(state.getStory("s1.md").status()).isEqualTo("pending");
        assertThat(state.getStory("s2.md")).isNull();
        int written = state.inTransaction(s -> {
            s.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS));
            return s.inTransaction(inner -> inner.deleteStory("s1.md") ? 1 : 0);
        });
        assertThat(written).isEqualTo(1);
        assertThat(state.getAllStories()).isEmpty();
        assertThat(activeConnections()).isZero();
    }
}
