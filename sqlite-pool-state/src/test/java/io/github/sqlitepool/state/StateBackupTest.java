package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateFixtures.queryFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateBackupTest {

    @TempDir
    Path dir;

    Path backups;

    SqlitePool pool;

    StateManager state;

    @BeforeEach
    void start() {
        backups = dir.resolve("backups");
        pool = StateFixtures.pool(dir.resolve("state.db"), 4);
        state = StateFixtures.manager(pool, backups);
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    @Test
    void backupIsNamedAfterTheDatabaseAndVerified() throws Exception {
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));

        Path first = state.createBackup();
        Path second = state.createBackup();

        assertThat(first.getParent()).isEqualTo(backups);
        assertThat(first.getFileName().toString()).matches("state_backup_\\d{8}_\\d{6}\\.db");
        assertThat(second).isNotEqualTo(first);
        assertThat(second.getFileName().toString()).matches("state_backup_\\d{8}_\\d{6}(_2)?\\.db");
        assertThat(queryFile(first, "SELECT story_path FROM stories")).isEqualTo("s1.md");
        state.verifyBackup(first);
    }

    @Test
    void inMemoryDatabaseBacksUpIntoTheConfiguredDirectoryOnly() {
        try (SqlitePool memory = new SqlitePool(SqlitePoolConfig.builder()
                .url("jdbc:sqlite::memory:").maxConnections(2).build())) {
            StateManager withDir = StateFixtures.manager(memory, backups);
            withDir.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
            StateManager withoutDir = new StateManager(memory, StateManagerOptions.defaults());

            Path backup = withDir.createBackup();

            assertThat(backup.getFileName().toString()).matches("memory_backup_\\d{8}_\\d{6}\\.db");
            assertThat(withDir.health().databasePath()).isNull();
            assertThatThrownBy(withoutDir::createBackup).isInstanceOf(StateException.class)
                    .hasMessageContaining("sqlite.pool.state-manager.backup-dir");
            withDir.updateStoryStatus(StoryUpdate.of("s2.md", "e1.md", ProcessingStatus.PENDING));
            withDir.restoreBackup(backup);
            assertThat(withDir.getAllStories()).extracting(Story::storyPath).containsExactly("s1.md");
        }
    }

    @Test
    void verifyRejectsMissingEmptyAndTablelessFiles() throws Exception {
        Path missing = dir.resolve("missing.db");
        Path empty = Files.createFile(dir.resolve("empty.db"));
        Path tableless = dir.resolve("tableless.db");
        StateFixtures.executeFile(tableless, "CREATE TABLE other (x)");
        Path garbage = Files.writeString(dir.resolve("garbage.db"), "this is not a database, just text ".repeat(200));

        assertThatThrownBy(() -> state.verifyBackup(missing)).isInstanceOf(BackupVerificationException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> state.verifyBackup(empty)).isInstanceOf(BackupVerificationException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> state.verifyBackup(tableless)).isInstanceOf(BackupVerificationException.class)
                .hasMessageContaining("no stories table");
        assertThatThrownBy(() -> state.verifyBackup(garbage)).isInstanceOf(BackupVerificationException.class)
                .hasMessageContaining(garbage.toString());
        assertThat(missing).doesNotExist();
    }

    @Test
    void restoreBringsBackTheBackedUpState() {
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS));
        Path backup = state.createBackup();
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.FAILED).withErrorMessage("bad"));
        state.updateStoryStatus(StoryUpdate.of("s2.md", "e1.md", ProcessingStatus.PENDING));

        state.restoreBackup(backup);

        assertThat(state.getAllStories()).extracting(Story::storyPath, Story::status, Story::version)
                .containsExactly(tuple("s1.md", "in_progress", 1L));
        assertThat(state.schemaVersion()).isEqualTo(2);
        assertThat(pool.stats().active()).isZero();
    }

    @Test
    void restoreRefusesAnUnverifiedFileAndKeepsTheDatabase() throws Exception {
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
        Files.createDirectories(backups);
        Path empty = Files.createFile(backups.resolve("empty.db"));

        assertThatThrownBy(() -> state.restoreBackup(empty)).isInstanceOf(BackupVerificationException.class);

        assertThat(state.getAllStories()).hasSize(1);
    }

    @Test
    void backupDuringConcurrentWritesIsConsistent() {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger batches = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ExecutorService writers = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> running = Stream.of(0, 1, 2).<Future<?>>map(w -> writers.submit(() -> {
                    while (writing.get()) {
                        int n = batches.incrementAndGet();
                        // Two rows per transaction: a consistent copy always holds an even number.
                        state.inTransaction(s -> {
                            s.updateStoryStatus(
                                    StoryUpdate.of("w" + w + "-" + n + "a", "e" + w, ProcessingStatus.PENDING));
                            return s.updateStoryStatus(
                                    StoryUpdate.of("w" + w + "-" + n + "b", "e" + w, ProcessingStatus.COMPLETED));
                        });
                    }
                })).toList();
                await("writers under way").atMost(Duration.ofSeconds(30)).until(() -> batches.get() >= 50);
                for (int i = 0; i < 3; i++) {
                    int before = state.getAllStories().size();
                    Path backup = state.createBackup();
                    int after = state.getAllStories().size();
                    assertThat(queryFile(backup, "PRAGMA integrity_check")).isEqualTo("ok");
                    int copied = Integer.parseInt(queryFile(backup, "SELECT COUNT(*) FROM stories"));
                    assertThat(copied % 2).as("rows in backup %s", backup).isZero();
                    assertThat(copied).isBetween(before, after);
                    assertThat(queryFile(backup, "SELECT COUNT(*) FROM stories WHERE status = 'completed'"))
                            .isEqualTo(String.valueOf(copied / 2));
                }
                writing.set(false);
                for (Future<?> writer : running) {
                    writer.get(30, TimeUnit.SECONDS);
                }
            }
            finally {
                writing.set(false);
                writers.shutdownNow();
                assertThat(writers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        });
        assertThat(pool.stats().active()).isZero();
    }
}
