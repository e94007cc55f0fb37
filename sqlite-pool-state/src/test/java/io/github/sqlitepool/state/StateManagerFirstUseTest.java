package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateFixtures.executeFile;
import static io.github.sqlitepool.state.StateFixtures.queryFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A new manager touches nothing; its first use migrates, once, outside the caller's transaction. */
class StateManagerFirstUseTest extends PoolOnFileTest {

    private Path file() {
        return dir.resolve("app.db");
    }

    private StateManager unmigratedManager() {
        pool = StateFixtures.pool(file(), 4);
        return new StateManager(pool, StateManagerOptions.defaults());
    }

    private int tables() throws Exception {
        return Integer.parseInt(queryFile(file(), "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"));
    }

    @Test
    void creatingItAndAskingForHealthTouchNothing() throws Exception {
        executeFile(file(), "CREATE TABLE customer (id INTEGER PRIMARY KEY)");
        StateManager state = unmigratedManager();

        StateHealth health = state.health();

        assertThat(health.migrated()).isFalse();
        assertThat(health.schemaVersion()).isZero();
        assertThat(state.isMigrated()).isFalse();
        assertThat(tables()).isEqualTo(1);
        assertThat(queryFile(file(), "PRAGMA user_version")).isEqualTo("0");
        assertThat(dir.resolve("backups")).doesNotExist();
    }

    @Test
    void theFirstOperationMigratesBackingUpTheApplicationsTablesFirst() throws Exception {
        executeFile(file(), "CREATE TABLE customer (id INTEGER PRIMARY KEY)");
        StateManager state = unmigratedManager();

        assertThat(state.getStory("s1.md")).isNull();

        assertThat(state.isMigrated()).isTrue();
        assertThat(state.schemaVersion()).isEqualTo(2);
        assertThat(state.health().migrated()).isTrue();
        try (var backups = Files.list(dir.resolve("backups"))) {
            assertThat(backups).hasSize(1);
        }
    }

    @Test
    void firstUseInsideTheCallersReadOnlyTransactionMigratesOutsideIt() throws Exception {
        StateManager state = unmigratedManager();
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
        transactions.setReadOnly(true); // DDL inside it would fail: query_only

        transactions.executeWithoutResult(status -> {
            assertThat(state.getAllStories()).isEmpty();
            status.setRollbackOnly();
        });

        // The caller's transaction was rolled back; the schema, migrated in its own, stays.
        assertThat(queryFile(file(), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'stories'")).isEqualTo("1");
        assertThat(state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING)).version())
                .isEqualTo(1);
    }

    @Test
    void firstUseInsideAWriteTransactionThatHoldsTheWriterSaysHowToMigrateEarlier() throws Exception {
        StateManager state = unmigratedManager();
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));

        transactions.executeWithoutResult(status -> {
            new org.springframework.jdbc.core.JdbcTemplate(pool).execute("CREATE TABLE customer (id INTEGER)");
            assertThatThrownBy(state::getAllStories).isInstanceOf(StateMigrationException.class)
                    .hasMessageContaining("sqlite.pool.state-manager.migrate-on-startup=true");
        });
        assertThat(state.getAllStories()).isEmpty();
    }

    /** After a restart the schema is current: the first use inside a transaction that has written just works. */
    @Test
    void firstUseOfACurrentSchemaInsideAWriteTransactionNeedsNoLock() throws Exception {
        StateManager first = unmigratedManager();
        first.migrate();
        StateManager afterRestart = new StateManager(pool, StateManagerOptions.defaults());
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));

        transactions.executeWithoutResult(status -> {
            new org.springframework.jdbc.core.JdbcTemplate(pool).execute("CREATE TABLE customer (id INTEGER)");
            assertThat(afterRestart.getAllStories()).isEmpty();
        });
        assertThat(afterRestart.health().migrationFailure()).isNull();
        assertThat(tables()).isEqualTo(3); // stories, customer and sqlite_sequence
    }

    @Test
    void concurrentFirstUsesMigrateOnce() throws Exception {
        // A database with the application's table: every migration that found scripts pending takes a backup.
        executeFile(file(), "CREATE TABLE customer (id INTEGER PRIMARY KEY)");
        StateManager state = unmigratedManager();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<UpdateResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String story = "s" + i + ".md";
                results.add(executor.submit(() -> {
                    start.await();
                    return state.updateStoryStatus(StoryUpdate.of(story, "e1.md", ProcessingStatus.PENDING));
                }));
            }
            start.countDown();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (Future<UpdateResult> result : results) {
                    assertThat(result.get().version()).isEqualTo(1);
                }
            });
        }
        finally {
            executor.shutdownNow();
        }
        assertThat(state.getAllStories()).hasSize(threads);
        assertThat(tables()).isEqualTo(3); // customer, stories and sqlite_sequence
        try (var backups = Files.list(dir.resolve("backups"))) {
            assertThat(backups).as("backups taken: one per migration that ran").hasSize(1);
        }
    }
}
