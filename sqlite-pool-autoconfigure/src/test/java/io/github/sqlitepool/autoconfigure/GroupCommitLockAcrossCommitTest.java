package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.sqlitepool.autoconfigure.metrics.SqlitePoolMetricsAutoConfiguration;
import io.github.sqlitepool.pool.PoolFixtures;
import io.github.sqlitepool.pool.SqlitePool;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@code synchronized} method around a Spring transaction, with group commit on: its commit waits
 * for the group, a later member waits for the method's monitor. The pool rolls that member back
 * (docs/write-lane.md, "Why it is off by default"); Spring reports it as a
 * {@link CannotAcquireLockException} (a {@link ConcurrencyFailureException}), which a retry gets
 * past; the method's transaction commits, and the meter {@code sqlite.pool.group.commit.deadlocks}
 * counts the rollback.
 */
class GroupCommitLockAcrossCommitTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                    JdbcTemplateAutoConfiguration.class, SqlitePoolMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class));

    /** An application service whose method holds its monitor across its transaction's commit. */
    static final class Ledger {

        private final TransactionTemplate transactions;

        private final JdbcTemplate jdbc;

        private final Runnable beforeCommit;

        Ledger(TransactionTemplate transactions, JdbcTemplate jdbc, Runnable beforeCommit) {
            this.transactions = transactions;
            this.jdbc = jdbc;
            this.beforeCommit = beforeCommit;
        }

        synchronized void record(String owner) {
            transactions.executeWithoutResult(status -> {
                jdbc.update("INSERT INTO entry (owner) VALUES (?)", owner);
                beforeCommit.run();
            });
        }

        synchronized long entries() {
            return jdbc.queryForObject("SELECT count(*) FROM entry", Long.class);
        }
    }

    @Test
    void aTransactionThatWaitsForTheMonitorOfAMethodCommittingInItsGroupIsAConcurrencyFailureAndItsRetryCommits() {
        runner.withPropertyValues(PoolFixtures.GROUP_WHENEVER_WAITING_PROPERTIES)
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("ledger.db"),
                "sqlite.pool.max-connections=4").run(context -> {
                    SqlitePool pool = context.getBean(SqlitePool.class);
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    TransactionTemplate transactions = new TransactionTemplate(
                            context.getBean(PlatformTransactionManager.class));
                    jdbc.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, owner TEXT)");
                    CountDownLatch ledgerWrote = new CountDownLatch(1);
                    Ledger ledger = new Ledger(transactions, jdbc, () -> {
                        ledgerWrote.countDown();
                        PoolFixtures.awaitLaneWaiters(pool, 1); // the other transaction waits at its begin
                    });
                    ExecutorService threads = Executors.newCachedThreadPool();
                    try {
                        Future<?> recording = threads.submit(() -> ledger.record("ledger"));
                        assertThat(ledgerWrote.await(10, TimeUnit.SECONDS)).isTrue();
                        Future<Throwable> first = threads.submit(() -> {
                            try {
                                transactions.executeWithoutResult(status -> {
                                    jdbc.update("INSERT INTO entry (owner) VALUES ('report')");
                                    long seen = ledger.entries(); // waits for the monitor held across the commit
                                    jdbc.update("INSERT INTO entry (owner) VALUES (?)", "report-of-" + seen);
                                });
                                return null;
                            } catch (RuntimeException e) {
                                return e;
                            }
                        });
                        recording.get(20, TimeUnit.SECONDS);
                        assertThat(first.get(20, TimeUnit.SECONDS)).isInstanceOf(CannotAcquireLockException.class)
                                .hasMessageContaining("rolled back to break a deadlock");
                        transactions.executeWithoutResult(status -> {
                            jdbc.update("INSERT INTO entry (owner) VALUES ('report')");
                            jdbc.update("INSERT INTO entry (owner) VALUES (?)", "report-of-" + ledger.entries());
                        });
                    } finally {
                        threads.shutdownNow();
                        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                    }
                    assertThat(jdbc.queryForList("SELECT owner FROM entry ORDER BY id", String.class))
                            .containsExactly("ledger", "report", "report-of-2");
                    assertThat(context.getBean(MeterRegistry.class).get("sqlite.pool.group.commit.deadlocks")
                            .counter().count()).as("the member rolled back, counted").isEqualTo(1);
                });
    }
}
