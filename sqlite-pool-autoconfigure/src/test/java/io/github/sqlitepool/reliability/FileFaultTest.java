package io.github.sqlitepool.reliability;

import static io.github.sqlitepool.pool.PoolFixtures.pragma;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static io.github.sqlitepool.pool.PoolFixtures.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.sqlitepool.autoconfigure.health.SqlitePoolHealthIndicator;
import io.github.sqlitepool.pool.PoolFixtures;
import io.github.sqlitepool.pool.PoolStats;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.CheckpointSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The database's files changed under a running pool: made unwritable, deleted, replaced.
 * Writes fail with a clear error or health says DOWN with the reason, and the pool recovers
 * when the files are restored. (A corrupted page is covered by
 * {@code SqlitePoolHealthIndicatorTest.downWhenQuickCheckFindsCorruption}.)
 *
 * <p>The tests run as root, whom {@code chmod} does not stop; the files are made immutable with
 * {@code chattr +i} instead, which stops root too. Where {@code chattr} is missing or the file
 * system does not support it, that test is skipped.
 */
class FileFaultTest {

    private static final Logger log = LoggerFactory.getLogger(FileFaultTest.class);

    @TempDir
    Path dir;

    @Test
    void immutableFilesFailWritesClearlyAndHealthRecoversWhenRestored() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path file = data.resolve("fault.db");
        try (SqlitePool pool = pool(file)) {
            SqlitePoolHealthIndicator health = healthWithQuickCheckOnEveryCall(pool);
            execute(pool, "CREATE TABLE rows (id INTEGER PRIMARY KEY, note TEXT)");
            for (int i = 0; i < 10; i++) {
                execute(pool, "INSERT INTO rows (note) VALUES ('before')");
            }
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            List<Path> locked = new ArrayList<>(List.of(file, data));
            Path wal = data.resolve("fault.db-wal");
            if (Files.exists(wal)) {
                locked.add(0, wal);
            }
            // the -shm file stays writable: it is memory-mapped, and an immutable mapping
            // would fault in the JVM rather than fail a call
            boolean immutable = chattr("+i", locked);
            if (!immutable) {
                chattr("-i", locked); // undo a partial success so the directory can be cleaned up
            }
            assumeTrue(immutable, "chattr +i is not available or not supported by this file system");
            SQLException writeError;
            Health down;
            long readWhileLocked;
            try {
                writeError = catchThrowableOfType(SQLException.class,
                        () -> execute(pool, "INSERT INTO rows (note) VALUES ('while locked')"));
                down = health.health();
                readWhileLocked = count(pool);
            } finally {
                assertThat(chattr("-i", locked)).as("chattr -i restores the files").isTrue();
            }

            assertThat((Throwable) writeError).as("a write to an immutable database fails").isNotNull();
            log.info("Write to the immutable database failed with: {}; health: {}", writeError.getMessage(),
                    down.getDetails().get("error"));
            assertThat(writeError.getMessage()).as("the error names SQLite's result").containsPattern("SQLITE_[A-Z_]+");
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) down.getDetails().get("error")).contains("cannot be written");
            assertThat(readWhileLocked).as("reads go on while writes fail").isEqualTo(10);

            // restored: writes work again and nothing committed before was lost
            execute(pool, "INSERT INTO rows (note) VALUES ('after')");
            assertThat(count(pool)).isEqualTo(11);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            // health() may have started its quick check, which holds a lease in the background
            // for a moment: wait for it rather than read the pool mid-check
            await("every connection back in the pool").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(pool.stats())
                            .isEqualTo(new PoolStats("sqlite-pool", 2, 2, 0, 2, 0)));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(pragma(c, "integrity_check")).isEqualTo("ok");
        }
    }

    /**
     * Deleting the file does not stop connections that have it open: they would go on writing
     * to the unlinked file, and those writes would be gone once the pool closes. The pool
     * refuses writes once it sees the deletion, and health says DOWN.
     */
    @Test
    void aDeletedFileIsReportedDownAndWritesAreRefused() throws Exception {
        Path file = dir.resolve("deleted.db");
        try (SqlitePool pool = pool(file)) {
            SqlitePoolHealthIndicator health = healthWithQuickCheckOnEveryCall(pool);
            execute(pool, "CREATE TABLE rows (id INTEGER PRIMARY KEY)");
            execute(pool, "INSERT INTO rows DEFAULT VALUES");
            Files.delete(file);

            SQLException refused = awaitRefusedWrite(pool);
            assertThat(refused.getMessage()).contains("refuses writes", file.toAbsolutePath().toString(), "deleted");
            assertThat(count(pool)).as("reads go on from the open, unlinked file").isEqualTo(1);
            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("error",
                    "database file " + file.toAbsolutePath() + " does not exist");
        }
        assertThat(file).as("nothing recreates the deleted file behind the caller's back").doesNotExist();
    }

    /**
     * The WAL deleted under a running pool: commits in it live only in the open file, and a
     * crash would lose them. The pool checkpoints the open WAL into the database file as soon as
     * it sees the deletion, refuses further writes, and health says why; the database file alone
     * (what a crash leaves) then holds every acknowledged row.
     */
    @Test
    void aDeletedWalIsSavedIntoTheDatabaseAndFurtherWritesAreRefused() throws Exception {
        Path file = dir.resolve("wal-deleted.db");
        Path crashCopy = dir.resolve("after-crash.db");
        try (SqlitePool pool = pool(file)) {
            SqlitePoolHealthIndicator health = new SqlitePoolHealthIndicator(pool, Duration.ofSeconds(2), Duration.ZERO);
            execute(pool, "CREATE TABLE rows (id INTEGER PRIMARY KEY)");
            for (int i = 0; i < 20; i++) {
                execute(pool, "INSERT INTO rows DEFAULT VALUES");
            }
            Files.delete(dir.resolve("wal-deleted.db-wal"));

            SQLException refused = awaitRefusedWrite(pool);
            long acknowledged = count(pool);
            assertThat(refused.getMessage()).contains("WAL file", "was deleted", "Stop the application cleanly");
            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) down.getDetails().get("error")).contains("WAL file", "was deleted");
            assertThat(pool.storageHealth().writable()).isFalse();
            // what a kill -9 now would leave: the database file without any WAL
            Files.copy(file, crashCopy);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + crashCopy)) {
                assertThat(queryLong(c, "SELECT count(*) FROM rows")).as("every acknowledged row is in the database file")
                        .isEqualTo(acknowledged);
            }
        }
    }

    /**
     * The deleted WAL found by a writer that holds the lane already (its {@code INSERT ...
     * RETURNING} result keeps it): the WAL's rescue needs the lane, so it cannot run on that
     * thread, and is left to the next writer, which is refused too but saves the WAL first. The
     * database file alone then holds every acknowledged row. (The checkpointer is off, so that
     * only the rescue can have moved the rows into the database file.)
     */
    @Test
    void aDeletedWalFoundByTheLaneHolderIsSavedByTheNextWriter() throws Exception {
        Path file = dir.resolve("wal-holder.db");
        Path crashCopy = dir.resolve("holder-crash.db");
        try (SqlitePool pool = new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + file).maxConnections(2)
                .acquireTimeout(Duration.ofSeconds(2)).checkpoint(CheckpointSettings.OFF).build())) {
            execute(pool, "CREATE TABLE rows (id INTEGER PRIMARY KEY)");
            for (int i = 0; i < 20; i++) {
                execute(pool, "INSERT INTO rows DEFAULT VALUES");
            }
            try (Connection holder = pool.getConnection(); Statement returning = holder.createStatement()) {
                try (ResultSet open = returning.executeQuery("INSERT INTO rows DEFAULT VALUES RETURNING id")) {
                    assertThat(open.next()).isTrue(); // open: it keeps the lane
                    Files.delete(dir.resolve("wal-holder.db-wal"));
                    AtomicReference<SQLException> refused = new AtomicReference<>();
                    await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> { // the holder's thread
                        try (Statement write = holder.createStatement()) {
                            write.executeUpdate("INSERT INTO rows DEFAULT VALUES");
                            return false;
                        } catch (SQLException e) {
                            refused.set(e);
                            return true;
                        }
                    });
                    assertThat((Throwable) refused.get()).hasMessageContaining("refuses writes").hasMessageContaining("WAL file");
                }
            }
            assertThatThrownBy(() -> execute(pool, "INSERT INTO rows DEFAULT VALUES")).as("the next writer")
                    .hasMessageContaining("refuses writes");
            long acknowledged = count(pool);
            Files.copy(file, crashCopy);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + crashCopy)) {
                assertThat(queryLong(c, "SELECT count(*) FROM rows")).as("every acknowledged row is in the database file")
                        .isEqualTo(acknowledged);
            }
        }
    }

    /**
     * After the deleted WAL was found, a JDBC transaction still begins (it holds the lane only
     * revocably, and reads go on), but its first write is refused, whether it writes at once or
     * after a read: nothing is committed to a WAL that a crash would lose.
     */
    @Test
    void afterADeletedWalTransactionsThatWriteAreRefusedWhetherTheyReadFirstOrNot() throws Exception {
        Path file = dir.resolve("wal-deleted-tx.db");
        try (SqlitePool pool = pool(file)) {
            execute(pool, "CREATE TABLE rows (id INTEGER PRIMARY KEY)");
            execute(pool, "INSERT INTO rows DEFAULT VALUES");
            Files.delete(dir.resolve("wal-deleted-tx.db-wal"));
            awaitRefusedWrite(pool);
            long acknowledged = count(pool);
            for (boolean readFirst : new boolean[] { false, true }) {
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false);
                    if (readFirst) {
                        assertThat(queryLong(c, "SELECT count(*) FROM rows")).isEqualTo(acknowledged);
                    }
                    assertThatThrownBy(() -> PoolFixtures.execute(c, "INSERT INTO rows DEFAULT VALUES"))
                            .as("read first: %s", readFirst).isInstanceOf(SQLException.class)
                            .hasMessageContaining("refuses writes").hasMessageContaining("WAL file");
                    c.rollback();
                }
            }
            assertThat(count(pool)).isEqualTo(acknowledged);
        }
    }

    /**
     * Another program truncated or overwrote the database file in place (same inode): noticed
     * on the next write or health check, not at the next quick check; writes are refused.
     */
    @Test
    void aFileTruncatedOrOverwrittenInPlaceIsReportedDownAndWritesAreRefused() throws Exception {
        for (String damage : List.of("truncate", "overwrite")) {
            Path file = dir.resolve(damage + ".db");
            try (SqlitePool pool = pool(file)) {
                SqlitePoolHealthIndicator health = new SqlitePoolHealthIndicator(pool, Duration.ofSeconds(2),
                        Duration.ofHours(1));
                execute(pool, "CREATE TABLE rows (id INTEGER PRIMARY KEY)");
                execute(pool, "INSERT INTO rows DEFAULT VALUES");
                try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    if (damage.equals("truncate")) {
                        channel.truncate(1_000);
                    } else {
                        channel.write(java.nio.ByteBuffer.wrap("not a database!!".getBytes()), 0);
                    }
                }

                Health down = health.health();
                assertThat(down.getStatus()).as(damage).isEqualTo(Status.DOWN);
                assertThat((String) down.getDetails().get("error")).as(damage)
                        .contains(file.toAbsolutePath().toString(), "in place");
                SQLException refused = awaitRefusedWrite(pool);
                assertThat(refused.getMessage()).as(damage).contains("refuses writes", "restore the file from a backup");
            }
        }
    }

    /**
     * A file moved over the database: the pool's connections keep the old file, health says
     * so, and the replacement is not touched by the pool's writes.
     */
    @Test
    void aReplacedFileIsReportedDownAndTheReplacementIsLeftIntact() throws Exception {
        Path file = dir.resolve("replaced.db");
        Path replacement = dir.resolve("replacement.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + replacement);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY)");
            s.execute("INSERT INTO rows (id) VALUES (100), (101), (102)");
        }
        try (SqlitePool pool = pool(file)) {
            SqlitePoolHealthIndicator health = healthWithQuickCheckOnEveryCall(pool);
            execute(pool, "CREATE TABLE rows (id INTEGER PRIMARY KEY)");
            execute(pool, "INSERT INTO rows DEFAULT VALUES");
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            SQLException refused = awaitRefusedWrite(pool);

            assertThat(refused.getMessage()).contains(file.toAbsolutePath().toString(), "was replaced");
            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) down.getDetails().get("error")).contains(file.toAbsolutePath().toString())
                    .contains("was replaced while the pool had it open");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(pragma(c, "integrity_check")).isEqualTo("ok");
            assertThat(queryString(c, "SELECT group_concat(id) FROM (SELECT id FROM rows ORDER BY id)"))
                    .as("the replacement's rows, untouched").isEqualTo("100,101,102");
        }
    }

    /** A quick-check interval of 0: every health() call also starts PRAGMA quick_check in the background. */
    private static SqlitePoolHealthIndicator healthWithQuickCheckOnEveryCall(SqlitePool pool) {
        return new SqlitePoolHealthIndicator(pool, Duration.ofSeconds(2), Duration.ZERO);
    }

    private static SqlitePool pool(Path file) {
        return new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + file).maxConnections(2)
                .acquireTimeout(Duration.ofSeconds(2)).build());
    }

    private static void execute(SqlitePool pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection()) {
            PoolFixtures.execute(c, sql);
        }
    }

    /** Writes until the pool refuses (it compares the files at most every 100 ms); returns the refusal. */
    private static SQLException awaitRefusedWrite(SqlitePool pool) {
        AtomicReference<SQLException> refused = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                execute(pool, "INSERT INTO rows DEFAULT VALUES");
                return false;
            } catch (SQLException e) {
                refused.set(e);
                return true;
            }
        });
        return refused.get();
    }

    private static long count(SqlitePool pool) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return queryLong(c, "SELECT count(*) FROM rows");
        }
    }

    /** Runs {@code chattr flag} on the paths; false when chattr is missing or refuses. */
    private static boolean chattr(String flag, List<Path> paths) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("chattr", flag));
        paths.forEach(p -> command.add(p.toString()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
