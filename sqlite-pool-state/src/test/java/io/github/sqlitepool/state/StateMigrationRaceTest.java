package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateFixtures.executeFile;
import static io.github.sqlitepool.state.StateFixtures.queryFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Migrations during live traffic: another process (here a manager on a pool of its own) may
 * migrate or write between this manager's steps, and nothing it did may be lost or done twice.
 */
class StateMigrationRaceTest {

    private static final String COUNTING = "classpath*:io/github/sqlitepool/state/counting/V*__*.sql";

    private static final String FAILING = "classpath*:io/github/sqlitepool/state/failing/V*__*.sql";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("state.db");
    }

    private static StateManagerOptions options(Path backups, String location) {
        return new StateManagerOptions(backups, StateManagerOptions.DEFAULT_OPERATION_TIMEOUT,
                new SqliteStateSql(location));
    }

    @Test
    void scriptsAnotherProcessAppliedAfterThisOneReadTheVersionAreSkipped() throws Exception {
        executeFile(file(), "CREATE TABLE customer (id INTEGER PRIMARY KEY)", "INSERT INTO customer VALUES (1)");
        try (SqlitePool mine = StateFixtures.pool(file(), 2); SqlitePool theirs = StateFixtures.pool(file(), 2)) {
            StateManager other = new StateManager(theirs, options(dir.resolve("their-backups"), COUNTING));
            // The backup's time stamp is read after the version: the other process migrates right then.
            Clock otherMigratesFirst = new OnceClock(() -> assertThat(other.migrate()).isEqualTo(2));
            StateManager state = new StateManager(mine, new DataSourceTransactionManager(mine),
                    options(dir.resolve("backups"), COUNTING), otherMigratesFirst);

            assertThat(state.migrate()).isEqualTo(2);
        }
        assertThat(queryFile(file(), "SELECT group_concat(script) FROM migration_runs")).isEqualTo("V1,V2");
        assertThat(queryFile(file(), "PRAGMA user_version")).isEqualTo("2");
        assertThat(queryFile(file(), "SELECT COUNT(*) FROM customer")).isEqualTo("1");
    }

    @Test
    void aFailedMigrationKeepsWhatOthersWroteAfterTheBackup() throws Exception {
        Path backups = dir.resolve("backups");
        try (SqlitePool pool = StateFixtures.pool(file(), 2)) {
            StateManager state = StateFixtures.manager(pool, backups);
            state.updateStoryStatus(StoryUpdate.of("before.md", "e1.md", ProcessingStatus.PENDING));
            // Another process writes once the backup is there, before the scripts run.
            StateManager broken = new StateManager(new WriteAfterBackup(pool, backups, () -> executeFile(file(),
                    "INSERT INTO stories (epic_path, story_path, status) VALUES ('e1.md', 'after.md', 'pending')")),
                    options(backups, FAILING));

            Throwable failure = catchThrowable(broken::migrate);

            assertThat(state.getAllStories()).extracting(Story::storyPath).containsExactly("before.md", "after.md");
            assertThat(state.schemaVersion()).isEqualTo(2);
            assertThat(failure).isInstanceOf(StateMigrationException.class).hasMessageContaining("V3__broken.sql")
                    .hasMessageContaining("rolled back").hasMessageContaining("kept but not restored");
            assertThat(pool.stats().active()).isZero();
        }
        assertThat(queryFile(file(), "SELECT COUNT(*) FROM pragma_table_info('stories') WHERE name = 'extra'"))
                .isEqualTo("0");
        assertThat(backupsIn(backups)).hasSize(1);
    }

    @Test
    void aFailedFirstMigrationOfADatabaseWithoutStoriesLeavesTheApplicationsTablesAlone() throws Exception {
        executeFile(file(), "CREATE TABLE customer (id INTEGER PRIMARY KEY)", "INSERT INTO customer VALUES (1)");
        Path backups = dir.resolve("backups");
        try (SqlitePool pool = StateFixtures.pool(file(), 2)) {
            StateManager broken = new StateManager(new WriteAfterBackup(pool, backups,
                    () -> executeFile(file(), "INSERT INTO customer VALUES (2)")), options(backups, FAILING));

            assertThatThrownBy(broken::migrate).isInstanceOf(StateMigrationException.class)
                    .hasMessageContaining("V3__broken.sql").hasMessageContaining("kept but not restored")
                    .hasMessageNotContaining("failed too");
        }
        assertThat(queryFile(file(), "SELECT group_concat(id) FROM customer")).isEqualTo("1,2");
        assertThat(queryFile(file(), "PRAGMA user_version")).isEqualTo("0");
        List<Path> taken = backupsIn(backups);
        assertThat(taken).hasSize(1);
        assertThat(queryFile(taken.get(0), "SELECT group_concat(id) FROM customer")).isEqualTo("1");
    }

    private static List<Path> backupsIn(Path backups) throws Exception {
        try (Stream<Path> files = Files.list(backups)) {
            return files.filter(f -> !PendingBackup.isTemporary(f)).toList();
        }
    }

    /** A step that may fail, run from inside the manager. */
    private interface Step {
        void run() throws Exception;
    }

    private static void runStep(Step step) {
        try {
            step.run();
        }
        catch (Exception ex) {
            throw new IllegalStateException("the interleaved step failed: " + ex.getMessage(), ex);
        }
    }

    /** The system clock, whose first reading runs a step first. */
    private static final class OnceClock extends Clock {

        private final Step step;

        private final AtomicBoolean done = new AtomicBoolean();

        OnceClock(Step step) {
            this.step = step;
        }

        @Override
        public Instant instant() {
            if (done.compareAndSet(false, true)) {
                runStep(step);
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.systemDefault();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.system(zone);
        }
    }

    /** The pool, which runs a step on the first connection asked for once a finished backup exists. */
    private static final class WriteAfterBackup extends DelegatingDataSource {

        private final Path backups;

        private final Step step;

        private final AtomicBoolean done = new AtomicBoolean();

        WriteAfterBackup(SqlitePool pool, Path backups, Step step) {
            super(pool);
            this.backups = backups;
            this.step = step;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (Files.isDirectory(backups) && !done.get()) {
                try {
                    if (!backupsIn(backups).isEmpty() && done.compareAndSet(false, true)) {
                        runStep(step);
                    }
                }
                catch (Exception ex) {
                    throw new SQLException("cannot look for backups in " + backups, ex);
                }
            }
            return super.getConnection();
        }
    }
}
