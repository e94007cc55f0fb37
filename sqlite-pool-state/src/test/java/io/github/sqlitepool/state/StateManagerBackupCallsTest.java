package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateFixtures.executeFile;
import static io.github.sqlitepool.state.StateFixtures.queryFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The backup API and the schema: what it migrates, and what a restore does to it. */
class StateManagerBackupCallsTest extends PoolOnFileTest {

    private Path file() {
        return dir.resolve("state.db");
    }

    @Test
    void restoringABackupOfAnOlderSchemaMigratesTheRestoredDatabaseBeforeItIsUsed() throws Exception {
        StateFixtures.createOriginalToolDatabase(file());
        Path backups = dir.resolve("backups");
        pool = StateFixtures.pool(file(), 3);
        StateManager state = StateFixtures.manager(pool, backups);
        state.updateStoryStatus(StoryUpdate.of("stories/s3.md", "epics/e1.md", ProcessingStatus.PENDING));
        Path beforeMigration = backupsIn(backups).get(0);
        assertThat(queryFile(beforeMigration, "PRAGMA user_version")).isEqualTo("0");

        state.restoreBackup(beforeMigration);

        assertThat(state.getAllStories()).extracting(Story::storyPath)
                .containsExactly("stories/s2.md", "stories/s1.md");
        assertThat(state.getStory("stories/s1.md").version()).isEqualTo(1);
        assertThat(state.schemaVersion()).isEqualTo(2);
        assertThat(state.health().migrated()).isTrue();
    }

    @Test
    void verifyingAnotherFileLeavesTheLiveDatabaseUnmigrated() throws Exception {
        executeFile(file(), "CREATE TABLE customer (id INTEGER PRIMARY KEY)");
        Path backups = dir.resolve("backups");
        Files.createDirectories(backups);
        Path other = backups.resolve("other.db");
        executeFile(other, "CREATE TABLE stories (id INTEGER PRIMARY KEY)");
        pool = StateFixtures.pool(file(), 2);
        StateManager state = new StateManager(pool, StateManagerOptions.defaults().withBackupDir(backups));

        state.verifyBackup(other);

        assertThat(state.isMigrated()).isFalse();
        assertThat(queryFile(file(), "SELECT group_concat(name) FROM sqlite_master")).isEqualTo("customer");
        assertThat(queryFile(file(), "PRAGMA user_version")).isEqualTo("0");
        assertThat(backupsIn(backups)).containsExactly(other);
    }

    @Test
    void aBackupAskedForInsideATransactionIsCopiedOutsideIt() throws Exception {
        pool = StateFixtures.pool(file(), 3);
        StateManager state = StateFixtures.manager(pool, dir.resolve("backups"));
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
        TransactionTemplate callers = new TransactionTemplate(new DataSourceTransactionManager(pool));

        Path backup = callers.execute(status -> {
            assertThat(state.getStory("s1.md")).isNotNull();
            return state.createBackup();
        });

        state.verifyBackup(backup);
        assertThat(queryFile(backup, "SELECT story_path FROM stories")).isEqualTo("s1.md");
        assertThat(pool.stats().active()).isZero();
    }

    /** A backup needs no writer: asked for inside a transaction that has written, it holds what is committed. */
    @Test
    void aBackupAskedForInsideATransactionThatHasWrittenHoldsWhatIsCommitted() throws Exception {
        pool = StateFixtures.pool(file(), 3);
        StateManager state = StateFixtures.manager(pool, dir.resolve("backups"));
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
        TransactionTemplate callers = new TransactionTemplate(new DataSourceTransactionManager(pool));

        Path backup = callers.execute(status -> {
            state.updateStoryStatus(StoryUpdate.of("s2.md", "e1.md", ProcessingStatus.PENDING)); // holds the writer now
            return state.createBackup();
        });

        state.verifyBackup(backup);
        assertThat(queryFile(backup, "SELECT group_concat(story_path) FROM stories")).isEqualTo("s1.md");
        assertThat(state.getStory("s2.md")).as("the caller's transaction committed after").isNotNull();
        assertThat(pool.stats().active()).isZero();
    }

    private static List<Path> backupsIn(Path backups) throws Exception {
        try (Stream<Path> files = Files.list(backups)) {
            return files.filter(f -> !PendingBackup.isTemporary(f)).sorted().toList();
        }
    }
}
