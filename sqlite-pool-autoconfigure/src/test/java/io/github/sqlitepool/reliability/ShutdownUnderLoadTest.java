package io.github.sqlitepool.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Closing the application context while 32 threads write: the close ends within the shutdown
 * timeout, no worker hangs, every commit a worker saw succeed is in the database, and the WAL
 * has been checkpointed into the database file.
 */
class ShutdownUnderLoadTest {

    @TempDir
    Path dir;

    @Test
    void closingTheContextUnderLoadLosesNothingAndCheckpoints() throws Exception {
        Path file = dir.resolve("shutdown.db");
        Set<Long> committed = ConcurrentHashMap.newKeySet();
        AtomicLong keys = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(32);
        CountDownLatch running = new CountDownLatch(32);
        long[] closeMillis = new long[1];
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + file, "sqlite.pool.max-connections=8",
                        "sqlite.pool.shutdown-timeout=3s", "sqlite.pool.acquire-timeout=2s")
                .run(context -> {
                    SqlitePool pool = context.getBean(SqlitePool.class);
                    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE work (id INTEGER PRIMARY KEY, note TEXT)");
                    }
                    for (int t = 0; t < 32; t++) {
                        workers.submit(() -> {
                            running.countDown();
                            while (true) {
                                long key = keys.incrementAndGet();
                                try (Connection c = pool.getConnection()) {
                                    boolean transaction = key % 3 == 0;
                                    c.setAutoCommit(!transaction);
                                    try (PreparedStatement insert = c
                                            .prepareStatement("INSERT INTO work (id, note) VALUES (?, 'x')")) {
                                        insert.setLong(1, key);
                                        insert.executeUpdate();
                                    }
                                    if (transaction) {
                                        c.commit();
                                    }
                                    committed.add(key);
                                } catch (SQLException e) {
                                    if (pool.isClosed()) {
                                        return; // refused or cut off by the shutdown: expected
                                    }
                                }
                            }
                        });
                    }
                    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
                    // close under load: once the workers are committing
                    await("work committed").atMost(Duration.ofSeconds(30)).until(() -> committed.size() >= 32);
                    long start = System.nanoTime();
                    context.close();
                    closeMillis[0] = Duration.ofNanos(System.nanoTime() - start).toMillis();
                });
        workers.shutdown();
        assertThat(workers.awaitTermination(20, TimeUnit.SECONDS)).as("no worker hangs after close").isTrue();
        assertThat(closeMillis[0]).as("close ends within the shutdown timeout (plus maintenance)")
                .isLessThan(3_000 + 2_000);
        assertThat(committed).as("work was done before the close").isNotEmpty();

        Path wal = dir.resolve("shutdown.db-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("WAL checkpointed on close").isTrue();
        try (SqlitePool reopened = new SqlitePool(
                SqlitePoolConfig.builder().url("jdbc:sqlite:" + file).maxConnections(1).build());
                Connection c = reopened.getConnection(); Statement s = c.createStatement()) {
            Set<Long> stored = ConcurrentHashMap.newKeySet();
            try (ResultSet rs = s.executeQuery("SELECT id FROM work")) {
                while (rs.next()) {
                    stored.add(rs.getLong(1));
                }
            }
            assertThat(stored).as("every commit a worker saw succeed").containsAll(committed);
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
        }
    }
}
