package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateFixtures.queryFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.sqlitepool.pool.SqlitePool;
import org.h2.Driver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

class StateMigrationTest {

    @TempDir
    Path dir;

    @Test
    void createsTablesAndIndexesOnAFreshDatabaseWithoutABackup() throws Exception {
        Path file = dir.resolve("state.db");
        try (SqlitePool pool = StateFixtures.pool(file, 2)) {
            StateManager state = new StateManager(pool, StateManagerOptions.defaults().withBackupDir(dir.resolve("b")));
            assertThat(state.migrate()).isEqualTo(2);
        }
        assertThat(queryFile(file, "PRAGMA user_version")).isEqualTo("2");
        assertThat(queryFile(file, "SELECT group_concat(name) FROM (SELECT name FROM pragma_table_info('stories') "
                + "ORDER BY cid)")).isEqualTo("id,epic_path,story_path,status,iteration,qa_result,error_message,"
                        + "created_at,updated_at,phase,version");
        assertThat(queryFile(file, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master "
                + "WHERE type = 'index' AND tbl_name = 'stories' AND sql IS NOT NULL ORDER BY name)"))
                .isEqualTo("idx_stories_status,idx_stories_story_path");
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void runningTwiceChangesNothing() throws Exception {
        Path file = dir.resolve("state.db");
        try (SqlitePool pool = StateFixtures.pool(file, 2)) {
            StateManager state = StateFixtures.manager(pool, dir.resolve("b"));
            state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.REVIEW));
            String schema = queryFile(file, "SELECT group_concat(sql, ';') FROM sqlite_master");

            assertThat(state.migrate()).isEqualTo(2);
            assertThat(state.migrate()).isEqualTo(2);

            assertThat(queryFile(file, "SELECT group_concat(sql, ';') FROM sqlite_master")).isEqualTo(schema);
            assertThat(state.getAllStories()).extracting(Story::version).containsExactly(1L);
        }
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void upgradesAnOriginalToolDatabaseInPlaceKeepingRows() throws Exception {
        Path file = dir.resolve("original.db");
        StateFixtures.createOriginalToolDatabase(file);
        Path backups = dir.resolve("b");
        try (SqlitePool pool = StateFixtures.pool(file, 2)) {
            StateManager state = StateFixtures.manager(pool, backups);

            assertThat(state.schemaVersion()).isEqualTo(2);
            List<Story> stories = state.getAllStories();
            // s2 was written in 2024 in the ISO form Python writes; s1 now, by SQLite.
            assertThat(stories).extracting(Story::storyPath).containsExactly("stories/s2.md", "stories/s1.md");
            Story s1 = stories.get(1);
            assertThat(s1.version()).isEqualTo(1);
            assertThat(s1.iteration()).isEqualTo(2);
            assertThat(s1.phase()).isEqualTo("qa");
            assertThat(s1.qaResult().get("passed").asBoolean()).isTrue();
            assertThat(stories.get(0).processingStatus()).isEmpty();
            assertThat(state.updateStoryStatus(StoryUpdate.of("stories/s1.md", "epics/e1.md", ProcessingStatus.FAILED)
                    .withExpectedVersion(1))).isEqualTo(new UpdateResult(true, 2));
        }
        try (Stream<Path> files = Files.list(backups)) {
            List<Path> taken = files.toList();
            assertThat(taken).hasSize(1);
            assertThat(taken.get(0).getFileName().toString()).matches("original_backup_\\d{8}_\\d{6}\\.db");
            assertThat(queryFile(taken.get(0), "SELECT COUNT(*) FROM stories")).isEqualTo("2");
            assertThat(queryFile(taken.get(0), "PRAGMA user_version")).isEqualTo("0");
        }
    }

    @Test
    void skipsAddingTheVersionColumnWhenTheOriginalDatabaseHasIt() throws Exception {
        Path file = dir.resolve("original.db");
        StateFixtures.createOriginalToolDatabase(file);
        StateFixtures.executeFile(file, "ALTER TABLE stories ADD COLUMN version INTEGER DEFAULT 1",
                "UPDATE stories SET version = 7 WHERE story_path = 'stories/s1.md'");
        try (SqlitePool pool = StateFixtures.pool(file, 2)) {
            StateManager state = StateFixtures.manager(pool, dir.resolve("b"));
            assertThat(state.schemaVersion()).isEqualTo(2);
            assertThat(state.getStory("stories/s1.md").version()).isEqualTo(7);
        }
    }

    @Test
    void rejectsAMissingDatabase() throws Exception {
        Path file = dir.resolve("gone.db");
        try (SqlitePool pool = StateFixtures.pool(file, 1)) {
            StateManager state = new StateManager(pool, StateManagerOptions.defaults());
            Files.delete(file);
            assertThatThrownBy(state::migrate).isInstanceOf(StateMigrationException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("does not exist");
        }
    }

    @Test
    void refusesADatabaseOfAnotherKind() {
        SimpleDriverDataSource h2 = new SimpleDriverDataSource(new Driver(), "jdbc:h2:mem:state;DB_CLOSE_DELAY=-1");
        StateManager detected = new StateManager(h2, StateManagerOptions.defaults());
        assertThatThrownBy(detected::migrate)
                .isInstanceOf(StateException.class)
                .hasMessageContaining("supports SQLite and PostgreSQL, but the data source is H2")
                .hasMessageContaining("sqlite.pool.state-manager.enabled=false");

        StateManager forced = new StateManager(h2, StateManagerOptions.defaults().withSql(new SqliteStateSql()));
        assertThatThrownBy(forced::migrate).isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("is for SQLite but the data source is H2");
    }

    @Test
    void failedMigrationRollsBackKeepsTheBackupAndNamesTheMigration() throws Exception {
        Path file = dir.resolve("state.db");
        Path backups = dir.resolve("b");
        try (SqlitePool pool = StateFixtures.pool(file, 1)) {
            StateManager state = StateFixtures.manager(pool, backups);
            state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.COMPLETED));
            StateManager broken = new StateManager(pool, new StateManagerOptions(backups,
                    StateManagerOptions.DEFAULT_OPERATION_TIMEOUT,
                    new SqliteStateSql("classpath*:io/github/sqlitepool/state/failing/V*__*.sql")));

            assertThatThrownBy(broken::migrate).isInstanceOf(StateMigrationException.class)
                    .hasMessageContaining("V3__broken.sql").hasMessageContaining("no_such_table")
                    .hasMessageContaining("rolled back").hasMessageContaining("kept but not restored")
                    .hasMessageContaining(backups.toString());

            assertThat(state.schemaVersion()).isEqualTo(2);
            assertThat(state.getAllStories()).extracting(Story::storyPath).containsExactly("s1.md");
            assertThat(queryFile(file, "SELECT COUNT(*) FROM pragma_table_info('stories') WHERE name = 'extra'"))
                    .isEqualTo("0");
            assertThat(pool.stats().active()).isZero();
        }
    }
}
