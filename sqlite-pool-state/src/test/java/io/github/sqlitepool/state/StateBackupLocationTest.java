package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore accepts only files inside the backup directory: a valid backup copied elsewhere is
 * refused whether it is named by an absolute path, by {@code ..}, or reached through a symbolic
 * link, and the live database is left as it was.
 */
class StateBackupLocationTest {

    @TempDir
    Path dir;

    Path backups;

    SqlitePool pool;

    StateManager state;

    Path backup;

    Path outside;

    @BeforeEach
    void start() throws Exception {
        backups = dir.resolve("backups");
        pool = StateFixtures.pool(dir.resolve("state.db"), 2);
        state = StateFixtures.manager(pool, backups);
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
        backup = state.createBackup();
        // a valid backup, but outside the backup directory
        outside = Files.copy(backup, dir.resolve("outside.db"));
        state.updateStoryStatus(StoryUpdate.of("s2.md", "e1.md", ProcessingStatus.PENDING));
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    @Test
    void anAbsolutePathOutsideTheBackupDirectoryIsRefused() {
        assertRefused(outside, "is not inside the backup directory");
    }

    @Test
    void dotDotIsRefusedEvenWhenItLeadsBackInside() {
        assertRefused(backups.resolve("..").resolve("outside.db"), "must not contain '..'");
        assertRefused(Path.of("..", "outside.db"), "must not contain '..'");
        assertRefused(backups.resolve("..").resolve("backups").resolve(backup.getFileName()), "must not contain '..'");
    }

    @Test
    void aSymbolicLinkOutOfTheBackupDirectoryIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(backups.resolve("link.db"), outside);
        assertRefused(link, "outside the backup directory");

        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.copy(outside, elsewhere.resolve("copy.db"));
        Path linkedDir = Files.createSymbolicLink(backups.resolve("sub"), elsewhere);
        assertRefused(linkedDir.resolve("copy.db"), "outside the backup directory");
    }

    @Test
    void aFileInsideIsRestoredByAbsoluteOrRelativePath() {
        state.restoreBackup(Path.of(backup.getFileName().toString()));
        assertThat(state.getAllStories()).extracting(Story::storyPath).containsExactly("s1.md");

        state.updateStoryStatus(StoryUpdate.of("s3.md", "e1.md", ProcessingStatus.PENDING));
        state.restoreBackup(backup);
        assertThat(state.getAllStories()).extracting(Story::storyPath).containsExactly("s1.md");
    }

    @Test
    void aBackupDirectoryThatIsItselfALinkWorks() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real-backups"));
        Path linkDir = Files.createSymbolicLink(dir.resolve("linked-backups"), real);
        Files.copy(backup, real.resolve("b.db"), StandardCopyOption.REPLACE_EXISTING);
        StateManager linked = StateFixtures.manager(pool, linkDir);

        linked.restoreBackup(linkDir.resolve("b.db"));

        assertThat(linked.getAllStories()).extracting(Story::storyPath).containsExactly("s1.md");
    }

    private void assertRefused(Path path, String problem) {
        assertThatThrownBy(() -> state.restoreBackup(path)).isInstanceOf(StateException.class)
                .isNotInstanceOf(BackupVerificationException.class)
                .hasMessageContaining(path.toString()).hasMessageContaining(problem)
                .hasMessageContaining(backups.toString());
        assertThat(state.getAllStories()).as("the live database is unchanged")
                .extracting(Story::storyPath).containsExactly("s1.md", "s2.md");
    }
}
