package io.github.sqlitepool.it.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.sqlitepool.it.Concurrently;
import io.github.sqlitepool.it.Database;
import io.github.sqlitepool.it.Integration;
import io.github.sqlitepool.it.TestApplications;
import io.github.sqlitepool.pool.PoolListener;
import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.orm.ObjectOptimisticLockingFailureException;

/** Spring Data JPA with Hibernate 7 and the community SQLite dialect, on the starter's pool. */
class JpaIntegrationTest {

    private static final int THREADS = 32;

    private static final int INCREMENTS_PER_THREAD = 20;

    /** One more than Hibernate's default id allocation size (50): a second id block is needed. */
    private static final int NOTES = 61;

    @TempDir
    Path dir;

    @Test
    void optimisticVersionUnderThirtyTwoThreadsCountsEverySuccessfulUpdateAndReportsEveryConflictAsOptimistic()
            throws Exception {
        try (ConfigurableApplicationContext context = start(Database.POOL)) {
            assertThat(context.getBean(javax.sql.DataSource.class)).isInstanceOf(SqlitePool.class);
            long id = context.getBean(CounterRepository.class).save(new Counter(0)).getId();
            CounterService service = context.getBean(CounterService.class);
            SqlitePool pool = context.getBean(SqlitePool.class);
            AtomicInteger groups = new AtomicInteger();
            pool.addListener(new PoolListener() {
                @Override
                public void groupCommitEnded(int members, boolean committed) {
                    groups.incrementAndGet();
                }
            });
            AtomicInteger succeeded = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            List<Throwable> unexpected = new ArrayList<>();
            Concurrently.run(THREADS, () -> {
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    try {
                        service.increment(id);
                        succeeded.incrementAndGet();
                    }
                    catch (ObjectOptimisticLockingFailureException conflict) {
                        conflicts.incrementAndGet();
                    }
                    catch (RuntimeException other) {
                        synchronized (unexpected) {
                            unexpected.add(other);
                        }
                    }
                }
            });
            assertThat(unexpected).as("failures other than optimistic-lock conflicts").isEmpty();
            assertThat(succeeded.get() + conflicts.get()).isEqualTo(THREADS * INCREMENTS_PER_THREAD);
            assertThat(succeeded.get()).isPositive();
            Counter counter = context.getBean(CounterRepository.class).findById(id).orElseThrow();
            assertThat(counter.getHits()).isEqualTo(succeeded.get());
            assertThat(counter.getVersion()).isEqualTo(succeeded.get());
            // the group-commit execution of this module turns it on: then the transactions were grouped
            assertThat(groups.get() > 0).as("groups formed (%d)", groups.get())
                    .isEqualTo(pool.config().groupCommit().enabled());
        }
    }

    @Test
    void readOnlyTransactionReadsWhileAnotherThreadHoldsAWriteTransactionAndFlushesNothing() throws Exception {
        try (ConfigurableApplicationContext context = start(Database.POOL)) {
            long id = context.getBean(CounterRepository.class).save(new Counter(7)).getId();
            CounterService service = context.getBean(CounterService.class);
            CountDownLatch written = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                Future<?> holding = writer.submit(() -> {
                    service.incrementAndHold(id, written, release);
                    return null;
                });
                assertThat(written.await(30, TimeUnit.SECONDS)).as("writer flushed its update").isTrue();

                // the writer's transaction is open: a read-only one neither waits for it nor sees its write
                assertThat(service.hitsChangedInMemory(id)).isEqualTo(8);
                assertThat(service.hits(id)).isEqualTo(7);

                release.countDown();
                holding.get(30, TimeUnit.SECONDS);
            }
            finally {
                release.countDown();
                writer.shutdownNow();
                assertThat(writer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(service.hits(id)).as("the writer's increment only; the read-only change was not flushed")
                    .isEqualTo(8);
        }
    }

    @Test
    void defaultGeneratedIdEntitiesAreSavedOnThePlainDriver() {
        saveNotesOneByOne(Database.PLAIN_DRIVER);
    }

    // Issue 14, row 0: failed on the previous lane with "Unable to manage autocommit on isolated JDBC connection
    // [write lane ... already holds the lane through another connection]".
    @Test
    void defaultGeneratedIdEntitiesAreSavedOnThePool() {
        saveNotesOneByOne(Database.POOL);
    }

    // Issue 14, row 0's sharper form: the second id block is fetched on a second connection after
    // the transaction has written; SQLite allows one writer, so the plain driver can only fail
    // (SQLITE_BUSY) and nothing is stored.
    @Test
    void moreDefaultGeneratedIdEntitiesThanOneIdBlockInOneTransactionFailOnThePlainDriver() {
        try (ConfigurableApplicationContext context = start(Database.PLAIN_DRIVER)) {
            assertThatThrownBy(() -> context.getBean(CounterService.class).saveAndFlushEach(notes()))
                    .hasStackTraceContaining("SQLITE_BUSY");
            assertThat(context.getBean(NoteRepository.class).count()).isZero();
        }
    }

    // Issue 14, row 0's sharper form: the pool must fail at once (not after busy_timeout) and say
    // what to change: GenerationType.IDENTITY, or a larger allocation size.
    @Test
    void moreDefaultGeneratedIdEntitiesThanOneIdBlockInOneTransactionFailOnThePoolNamingTheFix() {
        try (ConfigurableApplicationContext context = start(Database.POOL)) {
            assertThatThrownBy(() -> context.getBean(CounterService.class).saveAndFlushEach(notes()))
                    .hasStackTraceContaining("GenerationType.IDENTITY")
                    .hasStackTraceContaining("allocation");
            assertThat(context.getBean(NoteRepository.class).count()).isZero();
        }
    }

    private void saveNotesOneByOne(Database database) {
        try (ConfigurableApplicationContext context = start(database)) {
            NoteRepository notes = context.getBean(NoteRepository.class);
            notes().forEach(notes::save);
            assertThat(notes.count()).isEqualTo(NOTES);
            assertThat(notes.findAll()).extracting(Note::getId).doesNotHaveDuplicates().doesNotContainNull();
        }
    }

    private static List<Note> notes() {
        return IntStream.range(0, NOTES).mapToObj(i -> new Note("note " + i)).toList();
    }

    private ConfigurableApplicationContext start(Database database) {
        return TestApplications.run(database, TestApplications.url(dir, "jpa.db"), Set.of(Integration.JPA),
                JpaApplication.class, JpaApplication.PROPERTIES);
    }
}
