package io.github.sqlitepool.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one database file: this JVM's pool and a child JVM ({@link CrashWriter})
 * writing at the same time, and a connection outside the pool holding SQLite's write lock.
 */
class TwoProcessTest {

    @TempDir
    Path dir;

    /** With the default busy timeout, both processes write side by side without a single error. */
    @Test
    void twoProcessesWritingOneFileSeeNoErrors() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shared.db");
        try (SqlitePool pool = new SqlitePool(SqlitePoolConfig.builder().url(url).maxConnections(3).build())) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS auto_rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                    CrashWriter.class.getName(), url, "1000000000").redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            AtomicInteger childCommits = new AtomicInteger();
            AtomicInteger childErrors = new AtomicInteger();
            CountDownLatch ready = new CountDownLatch(1);
            CompletableFuture<Void> reader = CompletableFuture.runAsync(
                    () -> count(child, ready, childCommits, childErrors));
            int commits = 0;
            try {
                assertThat(ready.await(60, TimeUnit.SECONDS)).as("the child started").isTrue();
                // write until the child has committed a few hundred times alongside
                long id = 0;
                while (childCommits.get() < 300 || commits < 300) {
                    try (Connection c = pool.getConnection();
                            PreparedStatement insert = c.prepareStatement(
                                    "INSERT INTO auto_rows (id, payload) VALUES (?, 'parent')")) {
                        insert.setLong(1, ++id);
                        insert.executeUpdate();
                        commits++;
                    }
                    if (commits > 200_000) {
                        throw new AssertionError("the child committed only " + childCommits.get() + " times");
                    }
                }
            } finally {
                child.toHandle().destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            reader.get(30, TimeUnit.SECONDS);
            assertThat(childErrors.get()).as("errors in the other process").isZero();
            assertThat(commits).isGreaterThanOrEqualTo(300);
        }
    }

    /**
     * Another process holds SQLite's write lock: the lane holder waits in SQLite's busy handler
     * and answers SQLITE_BUSY; a writer that then times out waiting for the lane is told that
     * another process holds the lock, not only who holds the lane.
     */
    @Test
    void aLaneTimeoutSaysWhenAnotherProcessHoldsTheLock() throws Exception {
        Path file = dir.resolve("locked.db");
        try (SqlitePool pool = new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + file).maxConnections(3)
                .acquireTimeout(Duration.ofMillis(300))
                .pragmas(PragmaSettings.builder().busyTimeout(Duration.ofMillis(1500)).build()).build());
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            execute(pool, "CREATE TABLE rows (id INTEGER PRIMARY KEY)");
            try (Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE"); // the other process's long write transaction
            }
            SQLException busy = catchThrowableOfType(SQLException.class,
                    () -> execute(pool, "INSERT INTO rows DEFAULT VALUES"));
            assertThat(busy.getMessage()).contains("SQLITE_BUSY");

            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
                try {
                    execute(pool, "INSERT INTO rows DEFAULT VALUES"); // waits 1.5 s in SQLite holding the lane
                } catch (SQLException expected) {
                    // SQLITE_BUSY again: the lock is still held
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.writeLaneStats().holderThread() != null);
            SQLTransientConnectionException timeout = catchThrowableOfType(SQLTransientConnectionException.class,
                    () -> execute(pool, "INSERT INTO rows DEFAULT VALUES"));

            assertThat(timeout.getMessage()).contains("another process", "holds SQLite's write lock",
                    "busy-timeout 1500 ms");
            holder.get(10, TimeUnit.SECONDS);
            try (Statement s = other.createStatement()) {
                s.execute("ROLLBACK");
            }
        }
    }

    private static void execute(SqlitePool pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void count(Process child, CountDownLatch ready, AtomicInteger commits, AtomicInteger errors) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals("READY END")) {
                    ready.countDown();
                } else if (line.startsWith("COMMIT ") && line.endsWith(" END")) {
                    commits.incrementAndGet();
                } else if (line.startsWith("ERROR ") && line.endsWith(" END")) {
                    errors.incrementAndGet();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
