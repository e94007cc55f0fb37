package io.github.sqlitepool.state.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.state.PostgresServer;
import io.github.sqlitepool.state.ProcessingStatus;
import io.github.sqlitepool.state.StateManager;
import io.github.sqlitepool.state.StoryUpdate;
import io.github.sqlitepool.state.UpdateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

/**
 * Two application instances (two Spring contexts, each with its own connection pool) on one
 * PostgreSQL database: the starter's pool steps aside, the StateManager is auto-configured on
 * Boot's data source, and concurrent updates from both keep the versioning guarantees.
 */
@DisabledIfSystemProperty(named = "skipPostgres", matches = "true")
class PostgresTwoInstancesTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    private ApplicationContextRunner instance;

    @BeforeEach
    void createDatabase() {
        PostgresServer server = PostgresServer.get();
        String database;
        try (HikariDataSource created = server.newDatabase()) {
            database = PostgresServer.databaseOf(created);
        }
        instance = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                        TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                        StateManagerAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + server.urlOf(database),
                        "spring.datasource.username=" + server.user(), "spring.datasource.password=" + server.password(),
                        "spring.datasource.hikari.maximum-pool-size=4",
                        // Instances share one database: the first to start migrates, as docs/state-manager.md advises.
                        "sqlite.pool.state-manager.migrate-on-startup=true");
    }

    @Test
    void bothInstancesGetAMigratedStateManagerOnBootsPoolAndSeeEachOthersWrites() {
        instance.run(a -> instance.run(b -> {
            assertThat(a).hasNotFailed().doesNotHaveBean(SqlitePool.class).hasSingleBean(StateManager.class);
            assertThat(b).hasNotFailed().doesNotHaveBean(SqlitePool.class).hasSingleBean(StateManager.class);
            assertThat(a.getBean(DataSource.class)).isNotSameAs(b.getBean(DataSource.class));
            StateManager first = a.getBean(StateManager.class);
            StateManager second = b.getBean(StateManager.class);
            assertThat(first.schemaVersion()).isEqualTo(2);
            assertThat(second.schemaVersion()).isEqualTo(2);

            first.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
            assertThat(second.getStory("s1.md").version()).isEqualTo(1);
        }));
    }

    @Test
    void concurrentUpdatesFromBothInstancesLoseNoIncrement() {
        instance.run(a -> instance.run(b -> {
            StateManager[] managers = managers(a, b);
            int perInstance = 60;
            List<Long> versions = runConcurrently(2 * perInstance, 8, i -> managers[i % 2]
                    .updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS).withIteration(i))
                    .version());

            assertThat(versions).doesNotHaveDuplicates().hasSize(2 * perInstance);
            assertThat(managers[0].getStory("s1.md").version()).isEqualTo(2L * perInstance);
            assertThat(managers[1].getStory("s1.md").version()).isEqualTo(2L * perInstance);
        }));
    }

    @Test
    void versionConflictsBetweenInstancesAreReportedAndNothingIsLost() {
        instance.run(a -> instance.run(b -> {
            StateManager[] managers = managers(a, b);
            managers[0].updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));

            // A stale write is refused and reports the version that beat it.
            long seen = managers[0].getStory("s1.md").version();
            managers[1].updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS)
                    .withExpectedVersion(seen));
            UpdateResult stale = managers[0].updateStoryStatus(StoryUpdate.of("s1.md", "e1.md",
                    ProcessingStatus.FAILED).withExpectedVersion(seen));
            assertThat(stale).isEqualTo(new UpdateResult(false, seen + 1));
            assertThat(managers[1].getStory("s1.md").status()).isEqualTo("in_progress");

            // Under contention every retry loop gets its updates in; each refusal names a newer version.
            int threads = 8;
            int perThread = 5;
            AtomicInteger conflicts = new AtomicInteger();
            AtomicReference<String> wrongConflict = new AtomicReference<>();
            runConcurrently(threads, threads, i -> {
                StateManager state = managers[i % 2];
                int applied = 0;
                while (applied < perThread) {
                    long read = state.getStory("s1.md").version();
                    UpdateResult result = state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md",
                            ProcessingStatus.REVIEW).withIteration(i).withExpectedVersion(read));
                    if (result.applied()) {
                        applied++;
                    }
                    else {
                        conflicts.incrementAndGet();
                        if (result.version() <= read) {
                            wrongConflict.set("refused at " + read + " reporting " + result.version());
                        }
                    }
                }
                return applied;
            });

            assertThat(wrongConflict.get()).isNull();
            assertThat(managers[0].getStory("s1.md").version()).isEqualTo(seen + 1 + threads * perThread);
        }));
    }

    @Test
    void batchesThatReadThenWriteOnBothInstancesLoseNoUpdate() {
        instance.run(a -> instance.run(b -> {
            StateManager[] managers = managers(a, b);
            managers[0].updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING).withIteration(0));
            int batches = 40;

            runConcurrently(batches, 8, i -> managers[i % 2].inTransaction(s -> {
                int iteration = s.getStory("s1.md").iteration();
                return s.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS)
                        .withIteration(iteration + 1)).version();
            }));

            assertThat(managers[1].getStory("s1.md").iteration()).isEqualTo(batches);
            assertThat(managers[1].getStory("s1.md").version()).isEqualTo(1L + batches);
        }));
    }

    private static StateManager[] managers(AssertableApplicationContext a, AssertableApplicationContext b) {
        assertThat(a).hasNotFailed();
        assertThat(b).hasNotFailed();
        return new StateManager[] { a.getBean(StateManager.class), b.getBean(StateManager.class) };
    }

    private static <T> List<T> runConcurrently(int tasks, int threads, IntFunction<T> task) {
        return assertTimeoutPreemptively(BOUND, () -> {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<T>> futures = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> task.apply(n)));
                }
                List<T> results = new ArrayList<>();
                for (Future<T> future : futures) {
                    results.add(future.get());
                }
                return results;
            }
            finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("workers stopped").isTrue();
            }
        });
    }
}
