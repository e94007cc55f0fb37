package io.github.sqlitepool.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class SqlitePoolHealthIndicatorTest {

    @TempDir
    Path dir;

    private SqlitePool pool;

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    private SqlitePool start(String url, int maxConnections) {
        pool = new SqlitePool(SqlitePoolConfig.builder().url(url).name("health").maxConnections(maxConnections)
                .acquireTimeout(Duration.ofSeconds(2)).build());
        return pool;
    }

    /** A probe timeout far above a first probe's cost on a loaded machine: the tests that expect UP get it. */
    private SqlitePoolHealthIndicator indicator(Duration quickCheckInterval) {
        return new SqlitePoolHealthIndicator(pool, Duration.ofSeconds(5), quickCheckInterval);
    }

    @Test
    void upWithPoolDatabaseAndVersionDetails() throws Exception {
        Path file = dir.resolve("up.db");
        start("jdbc:sqlite:" + file, 3);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (x INTEGER)");
            statement.execute("INSERT INTO t VALUES (1)");
        }
        SqlitePoolHealthIndicator indicator = indicator(Duration.ofMinutes(5));

        Health health;
        try (Connection held = pool.getConnection()) {
            health = indicator.health();
        }

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsEntry("pool", "health")
                .containsEntry("max", 3)
                .containsEntry("active", 1)
                .containsEntry("idle", 2)
                .containsEntry("waiting", 0)
                .containsEntry("database", file.toAbsolutePath().toString())
                .containsEntry("journalMode", "wal")
                .containsEntry("walSizeBytes", Files.size(dir.resolve("up.db-wal")))
                .containsEntry("sqliteVersion", "3.54.1")
                .containsKey("driverVersion");
        assertThat((long) health.getDetails().get("walSizeBytes")).isPositive();
        assertThat(health.getDetails().get("quickCheck")).isIn("pending", "ok");
        assertThat(health.getDetails()).doesNotContainKey("error");
    }

    @Test
    void showsTheWriteLaneHolderWhileAWriteTransactionIsOpen() throws Exception {
        start("jdbc:sqlite:" + dir.resolve("lane.db"), 2);
        SqlitePoolHealthIndicator indicator = indicator(Duration.ofMinutes(5));
        try (Connection writer = pool.getConnection(); Statement statement = writer.createStatement()) {
            statement.execute("CREATE TABLE t (x INTEGER)");
            writer.setAutoCommit(false);
            statement.execute("INSERT INTO t VALUES (1)");

            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails().get("writeLane")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("enabled", true)
                    .containsEntry("holder", Thread.currentThread().getName())
                    .containsEntry("waiting", 0)
                    .containsEntry("revocations", 0L)
                    .containsEntry("serializationFailures", 0L)
                    .containsKey("heldMillis");
            writer.rollback();
        }
        assertThat(indicator.health().getDetails().get("writeLane")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("holder", "none");
    }

    @Test
    void showsAWriteLaneThatIsTurnedOff() {
        pool = new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + dir.resolve("nolane.db"))
                .writeLaneEnabled(false).build());

        Health health = indicator(Duration.ofMinutes(5)).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("writeLane")).isEqualTo(Map.of("enabled", false));
    }

    @Test
    void quickCheckOfAnIntactDatabaseIsReportedOk() {
        start("jdbc:sqlite:" + dir.resolve("intact.db"), 2);
        SqlitePoolHealthIndicator indicator = indicator(Duration.ofMinutes(5));

        await().atMost(Duration.ofSeconds(30)).until(() -> "ok".equals(indicator.health().getDetails().get("quickCheck")));

        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsKey("quickCheckAt");
    }

    @Test
    void upForAnInMemoryDatabaseWithoutFileDetails() {
        start("jdbc:sqlite::memory:", 2);

        Health health = indicator(Duration.ofMinutes(5)).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("database", "in-memory").doesNotContainKey("walSizeBytes");
    }

    @Test
    void downWhenThePoolIsClosed() {
        start("jdbc:sqlite:" + dir.resolve("closed.db"), 2);
        SqlitePoolHealthIndicator indicator = indicator(Duration.ofMinutes(5));
        pool.close();

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("error", "pool 'health' is closed");
    }

    @Test
    void downWhenTheDatabaseFileIsDeleted() throws Exception {
        Path file = dir.resolve("deleted.db");
        start("jdbc:sqlite:" + file, 2);
        SqlitePoolHealthIndicator indicator = indicator(Duration.ofMinutes(5));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        Files.delete(file);
        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails())
                .containsEntry("error", "database file " + file.toAbsolutePath() + " does not exist");
    }

    /** Skipped when run as root, who can read any file. */
    @Test
    void downWhenTheDatabaseFileCannotBeRead() throws Exception {
        Path file = dir.resolve("unreadable.db");
        start("jdbc:sqlite:" + file, 2);
        SqlitePoolHealthIndicator indicator = indicator(Duration.ofMinutes(5));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        assumeFalse(Files.isReadable(file), "this user can read a file without read permission (root)");

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("error", "database file " + file.toAbsolutePath() + " cannot be read");
    }

    @Test
    void downWhenNoLeaseIsFreeWithinTheTimeout() throws Exception {
        start("jdbc:sqlite:" + dir.resolve("busy.db"), 1);
        SqlitePoolHealthIndicator indicator = new SqlitePoolHealthIndicator(pool, Duration.ofMillis(500),
                Duration.ofMinutes(5));

        Health health;
        try (Connection held = pool.getConnection()) {
            health = indicator.health();
        }

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) health.getDetails().get("error")).startsWith("no lease and SELECT 1 within 500 ms");
    }

    @Test
    void downWhenQuickCheckFindsCorruption() throws Exception {
        Path file = dir.resolve("corrupt.db");
        int pageSize = createDatabaseWithManyPages(file);
        corruptPage(file, pageSize, 5);
        start("jdbc:sqlite:" + file, 2);
        SqlitePoolHealthIndicator indicator = indicator(Duration.ZERO);

        await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.DOWN));

        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("error", "PRAGMA quick_check reports corruption");
        assertThat((String) health.getDetails().get("quickCheck")).startsWith("corrupt: ");
    }

    /** A real database, written without the pool and in rollback-journal mode so all pages are in the file. */
    static int createDatabaseWithManyPages(Path file) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE story (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
                statement.execute("CREATE INDEX story_body ON story (body)");
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO story (body) VALUES (?)")) {
                for (int i = 0; i < 2000; i++) {
                    insert.setString(1, "story number " + i + " with some text to fill the pages");
                    insert.executeUpdate();
                }
            }
            connection.commit();
            try (Statement statement = connection.createStatement();
                    var rows = statement.executeQuery("PRAGMA page_size")) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Overwrites one page (1-based) with garbage, leaving the header page intact. */
    static void corruptPage(Path file, int pageSize, int page) throws Exception {
        byte[] garbage = new byte[pageSize];
        Arrays.fill(garbage, (byte) 0x5A);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            assertThat(raw.length()).isGreaterThan((long) page * pageSize);
            raw.seek((long) (page - 1) * pageSize);
            raw.write(garbage);
        }
    }
}
