package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateFixtures.createOriginalToolDatabase;
import static io.github.sqlitepool.state.StateFixtures.executeFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

@DisabledIfSystemProperty(named = "skipPostgres", matches = "true")
class StateCopierTest {

    @TempDir
    Path dir;

    @Test
    void copiesEveryStoryWithVersionsAndTimestampsAndReRunsSafely() throws Exception {
        Path file = dir.resolve("state.db");
        createOriginalToolDatabase(file);
        try (SqlitePool pool = StateFixtures.pool(file, 2); HikariDataSource postgres = PostgresServer.get().newDatabase()) {
            StateManager sqlite = StateFixtures.manager(pool, dir.resolve("backups"));
            sqlite.updateStoryStatus(StoryUpdate.of("stories/s3.md", "epics/e2.md", ProcessingStatus.REVIEW)
                    .withPhase("qa").withIteration(4).withErrorMessage("flaky").withQaResult(Map.of("passed", false)));
            sqlite.updateStoryStatus(StoryUpdate.of("stories/s3.md", "epics/e2.md", ProcessingStatus.REVIEW));
            executeFile(file, "UPDATE stories SET created_at = '2025-05-06 07:08:09', updated_at = '2025-05-07 01:02:03'"
                    + " WHERE story_path = 'stories/s3.md'");

            assertThat(StateCopier.copy(pool, postgres)).isEqualTo(3);

            StateManager target = new StateManager(postgres, StateManagerOptions.defaults());
            List<Story> copied = target.getAllStories();
            List<Story> original = sqlite.getAllStories();
            assertThat(copied).extracting(Story::storyPath).containsExactlyElementsOf(
                    original.stream().map(Story::storyPath).toList());
            for (int i = 0; i < original.size(); i++) {
                Story from = original.get(i);
                Story to = copied.get(i);
                assertThat(to).usingRecursiveComparison().ignoringFields("id", "createdAt", "updatedAt").isEqualTo(from);
                // SQLite may hold Python's ISO form with fractions; PostgreSQL reads back whole seconds.
                assertThat(to.createdAt()).isEqualTo(from.createdAt().replace('T', ' ').substring(0, 19));
                assertThat(to.updatedAt()).isEqualTo(from.updatedAt().replace('T', ' ').substring(0, 19));
            }
            assertThat(target.getStory("stories/s3.md").version()).isEqualTo(2);
            assertThat(target.getStory("stories/s3.md").createdAt()).isEqualTo("2025-05-06 07:08:09");
            assertThat(target.getStory("stories/s2.md").status()).isEqualTo("waiting_for_human");

            // Re-run: same rows again; a story updated on PostgreSQL since keeps its newer version.
            target.updateStoryStatus(StoryUpdate.of("stories/s1.md", "epics/e1.md", ProcessingStatus.FAILED));
            assertThat(StateCopier.copy(pool, postgres)).isEqualTo(2);
            assertThat(target.getAllStories()).hasSize(3);
            assertThat(target.getStory("stories/s1.md").status()).isEqualTo("failed");
            assertThat(target.getStory("stories/s1.md").version()).isEqualTo(2);
            assertThat(target.getStory("stories/s3.md").version()).isEqualTo(2);
        }
    }
}
