package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sqlitepool.pool.HelperThreads;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The write lane under Spring's JdbcTemplate and TransactionTemplate, as applications use it. */
class WriteLaneSpringTransactionTest {

    @TempDir
    Path dir;

    private SqlitePool pool;

    private JdbcTemplate jdbc;

    private TransactionTemplate transactions;

    @RegisterExtension
    final HelperThreads executor = new HelperThreads();

    @BeforeEach
    void start() {
        pool = new SqlitePool(SqlitePoolConfig.builder()
                .url("jdbc:sqlite:" + dir.resolve("spring.db"))
                .maxConnections(8)
                .acquireTimeout(Duration.ofSeconds(30))
                .build());
        jdbc = new JdbcTemplate(pool);
        transactions = new TransactionTemplate(new JdbcTransactionManager(pool));
        jdbc.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
        jdbc.update("INSERT INTO counter VALUES (1, 0)");
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    @Test
    void thirtyTwoThreadsOfReadThenUpdateTransactionsEndWithoutErrorsAndAnExactSum() throws Exception {
        int threads = 32;
        int perThread = 50;
        AtomicInteger errors = new AtomicInteger();
        Queue<String> messages = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(executor.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    try {
                        transactions.executeWithoutResult(status -> {
                            // deferred, this read-then-write would fail with SQLITE_BUSY_SNAPSHOT
                            long value = jdbc.queryForObject("SELECT v FROM counter WHERE id = 1", Long.class);
                            jdbc.update("UPDATE counter SET v = ? WHERE id = 1", value + 1);
                        });
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                        messages.add(String.valueOf(e));
                    }
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(120, TimeUnit.SECONDS);
        }
        assertThat(errors.get()).as("errors: %s", messages.stream().distinct().limit(5).toList()).isZero();
        assertThat(jdbc.queryForObject("SELECT v FROM counter WHERE id = 1", Long.class))
                .isEqualTo((long) threads * perThread);
        assertThat(pool.writeLaneStats().holderThread()).isNull();
        assertThat(pool.stats().active()).isZero();
    }

    @Test
    void readOnlyTransactionReadsAndRefusesWritesWithoutLeavingAnything() {
        TransactionTemplate readOnly = new TransactionTemplate(transactions.getTransactionManager());
        readOnly.setReadOnly(true);
        Long read = readOnly.execute(status -> {
            assertThat(pool.writeLaneStats().holderThread()).isNull();
            return jdbc.queryForObject("SELECT v FROM counter WHERE id = 1", Long.class);
        });
        assertThat(read).isZero();
        assertThatThrownBy(() -> readOnly.executeWithoutResult(
                status -> jdbc.update("UPDATE counter SET v = 42 WHERE id = 1")))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("read-only");
        assertThat(jdbc.queryForObject("SELECT v FROM counter WHERE id = 1", Long.class)).isZero();
        assertThat(pool.writeLaneStats().holderThread()).isNull();
        // the connection went back writable
        jdbc.update("UPDATE counter SET v = 1 WHERE id = 1");
        assertThat(jdbc.queryForObject("SELECT v FROM counter WHERE id = 1", Long.class)).isEqualTo(1);
    }

    @Test
    void writeLaneEnabledBindsFromProperties() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("bound.db"));
        runner.run(context -> assertThat(context.getBean(SqlitePool.class).writeLaneStats().enabled()).isTrue());
        runner.withPropertyValues("sqlite.pool.write-lane.enabled=false").run(context -> {
            SqlitePool bound = context.getBean(SqlitePool.class);
            assertThat(bound.config().writeLaneEnabled()).isFalse();
            assertThat(bound.writeLaneStats().enabled()).isFalse();
        });
    }
}
