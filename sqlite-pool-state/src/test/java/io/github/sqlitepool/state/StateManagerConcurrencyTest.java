package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionTemplate;

class StateManagerConcurrencyTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    SqlitePool pool;

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
    }

    private StateManager start(int size, Duration acquireTimeout) {
        pool = StateFixtures.pool(dir.resolve("state.db"), size, acquireTimeout);
        return StateFixtures.manager(pool, dir.resolve("backups"));
    }

    @Test
    void hundredConcurrentUpdatesOfOneStoryLoseNoIncrement() {
        StateManager state = start(5, Duration.ofSeconds(30));
        List<Long> versions = runConcurrently(100, 16, i -> state
                .updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS).withIteration(i))
                .version());

        assertThat(state.getStory("s1.md").version()).isEqualTo(100);
        assertThat(versions).doesNotHaveDuplicates().hasSize(100);
        assertThat(pool.stats().active()).isZero();
    }

    @Test
    void optimisticVersionConflictsUnder32ThreadsLoseNothing() {
        StateManager state = start(8, Duration.ofSeconds(30));
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
        int perThread = 5;
        AtomicInteger conflicts = new AtomicInteger();
        AtomicReference<String> wrongConflict = new AtomicReference<>();

        runConcurrently(32, 32, i -> {
            int applied = 0;
            while (applied < perThread) {
                long seen = state.getStory("s1.md").version();
                UpdateResult result = state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.REVIEW)
                        .withIteration(i).withExpectedVersion(seen));
                if (result.applied()) {
                    applied++;
                }
                else {
                    conflicts.incrementAndGet();
                    if (result.version() <= seen) {
                        wrongConflict.set("conflict reported version " + result.version() + " after reading " + seen);
                    }
                }
            }
            return applied;
        });

        assertThat(wrongConflict.get()).isNull();
        assertThat(state.getStory("s1.md").version()).isEqualTo(1 + 32 * perThread);
        assertThat(pool.stats().active()).isZero();
    }

    @Test
    void batchesThatReadThenWriteLoseNoUpdate() {
        StateManager state = start(4, Duration.ofSeconds(30));
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING).withIteration(0));

        runConcurrently(64, 16, i -> state.inTransaction(s -> {
            int iteration = s.getStory("s1.md").iteration();
            return s.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS)
                    .withIteration(iteration + 1)).version();
        }));

        assertThat(state.getStory("s1.md").iteration()).isEqualTo(64);
        assertThat(pool.stats().active()).isZero();
    }

    @Test
    void exhaustedPoolFailsClearlyAndRecovers() throws Exception {
        StateManager state = start(2, Duration.ofMillis(200));
        Connection first = pool.getConnection();
        Connection second = pool.getConnection();
        try {
            assertThatThrownBy(() -> state.getAllStories()).isInstanceOf(DataAccessException.class)
                    .rootCause().hasMessageContaining("exhausted");
        }
        finally {
            first.close();
            second.close();
        }
        assertThat(state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING)).applied())
                .isTrue();
        assertThat(pool.stats().active()).isZero();
    }

    @Test
    void failedOperationsReleaseTheirConnectionsAndTheNextOneWorks() throws Exception {
        StateManager state = start(2, Duration.ofSeconds(5));
        StateFixtures.executeFile(dir.resolve("state.db"), "CREATE TRIGGER reject_bad BEFORE INSERT ON stories "
                + "WHEN NEW.story_path = 'bad.md' BEGIN SELECT RAISE(ABORT, 'rejected by trigger'); END");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(
                    () -> state.updateStoryStatus(StoryUpdate.of("bad.md", "e1.md", ProcessingStatus.PENDING)))
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("rejected by trigger");
            assertThatThrownBy(() -> state.inTransaction(s -> {
                s.updateStoryStatus(StoryUpdate.of("good.md", "e1.md", ProcessingStatus.PENDING));
                return s.updateStoryStatus(StoryUpdate.of("bad.md", "e1.md", ProcessingStatus.PENDING));
            })).isInstanceOf(DataAccessException.class).hasMessageContaining("rejected by trigger");
            assertThatThrownBy(() -> state.inTransaction(s -> {
                s.updateStoryStatus(StoryUpdate.of("good.md", "e1.md", ProcessingStatus.PENDING));
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
        }
        assertThat(pool.stats().active()).isZero();
        assertThat(state.getAllStories()).isEmpty();
        assertThat(state.updateStoryStatus(StoryUpdate.of("good.md", "e1.md", ProcessingStatus.PENDING)).version())
                .isEqualTo(1);
    }

    @Test
    void interruptedCallerGetsItsInterruptBackAndAClearException() {
        StateManager state = start(2, Duration.ofSeconds(5));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> state.getAllStories()).isInstanceOf(StateOperationInterruptedException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        finally {
            Thread.interrupted();
        }
        assertThat(pool.stats().active()).isZero();
        assertThat(state.getAllStories()).isEmpty();
    }

    @Test
    void interruptWhileWaitingForAConnectionIsRestoredAndNothingLeaks() throws Exception {
        StateManager state = start(1, Duration.ofSeconds(30));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        assertTimeoutPreemptively(BOUND, () -> {
            try (Connection held = pool.getConnection()) {
                Thread waiter = new Thread(() -> {
                    started.countDown();
                    try {
                        state.getAllStories();
                    }
                    catch (RuntimeException ex) {
                        failure.set(ex);
                    }
                    flagAfter.set(Thread.currentThread().isInterrupted());
                });
                waiter.start();
                started.await();
                await("a thread waiting for a connection").atMost(Duration.ofSeconds(10))
                        .until(() -> pool.stats().waiting() > 0);
                waiter.interrupt();
                waiter.join();
            }
        });
        assertThat(failure.get()).isInstanceOf(StateOperationInterruptedException.class);
        assertThat(flagAfter.get()).isTrue();
        assertThat(pool.stats().active()).isZero();
        assertThat(state.getAllStories()).isEmpty();
    }

    @Test
    void writeOnAnotherConnectionInsideABatchFailsAtOnce() {
        StateManager state = start(3, Duration.ofSeconds(30));
        TransactionTemplate requiresNew = new TransactionTemplate(new DataSourceTransactionManager(pool));
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        TransactionTemplate requiresNewReadOnly = new TransactionTemplate(new DataSourceTransactionManager(pool));
        requiresNewReadOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        requiresNewReadOnly.setReadOnly(true);

        assertTimeoutPreemptively(BOUND, () -> {
            // Caught by the state manager whether or not the pool has a write lane.
            assertThatThrownBy(() -> state.inTransaction(s -> {
                s.updateStoryStatus(StoryUpdate.of("outer.md", "e1.md", ProcessingStatus.PENDING));
                return requiresNewReadOnly.execute(tx -> s.updateStoryStatus(
                        StoryUpdate.of("inner.md", "e1.md", ProcessingStatus.PENDING)));
            })).isInstanceOf(NestedWriteBatchException.class).hasMessageContaining("write batch")
                    .hasMessageContaining("another connection");
            // A writable REQUIRES_NEW: the state manager's check, or the pool's write lane when it
            // has one (it refuses the second connection's first write); never a wait.
            assertThatThrownBy(() -> state.inTransaction(s -> {
                s.updateStoryStatus(StoryUpdate.of("outer.md", "e1.md", ProcessingStatus.PENDING));
                return requiresNew.execute(tx -> s.inTransaction(inner -> inner.updateStoryStatus(
                        StoryUpdate.of("inner.md", "e1.md", ProcessingStatus.PENDING))));
            })).hasStackTraceContaining("another connection"); // in the message of the failure or a cause
        });

        assertThat(state.getAllStories()).isEmpty();
        assertThat(pool.stats().active()).isZero();
        // Reads from a suspended batch are fine: they take no writer.
        List<Story> seen = state.inTransaction(s -> requiresNewReadOnly.execute(tx -> s.getAllStories()));
        assertThat(seen).isEmpty();
    }

    @Test
    void batchOverrunningTheOperationTimeoutFailsAndRollsBack() {
        pool = StateFixtures.pool(dir.resolve("state.db"), 2);
        StateManager state = new StateManager(pool,
                StateManagerOptions.defaults().withOperationTimeout(Duration.ofSeconds(1)));
        state.migrate();

        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> state.inTransaction(s -> {
            s.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
            sleep(Duration.ofMillis(1500));
            return s.updateStoryStatus(StoryUpdate.of("s2.md", "e1.md", ProcessingStatus.PENDING));
        })).isInstanceOf(TransactionTimedOutException.class).hasMessageContaining("deadline"));

        assertThat(state.getAllStories()).isEmpty();
        assertThat(pool.stats().active()).isZero();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private interface Task<T> {
        T run(int i) throws Exception;
    }

    private static <T> List<T> runConcurrently(int tasks, int threads, Task<T> task) {
        return assertTimeoutPreemptively(BOUND, () -> {
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<T>> futures = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    int n = i;
                    futures.add(executor.submit(() -> {
                        go.await();
                        return task.run(n);
                    }));
                }
                go.countDown();
                List<T> results = new ArrayList<>();
                for (Future<T> future : futures) {
                    results.add(future.get());
                }
                return results;
            }
            finally {
                executor.shutdownNow();
                assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        });
    }
}
