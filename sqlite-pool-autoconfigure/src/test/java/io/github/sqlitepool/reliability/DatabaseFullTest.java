package io.github.sqlitepool.reliability;

import static io.github.sqlitepool.pool.PoolFixtures.pragma;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.sqlitepool.autoconfigure.health.SqlitePoolHealthIndicator;
import io.github.sqlitepool.autoconfigure.metrics.SqlitePoolMetrics;
import io.github.sqlitepool.pool.SqlitePool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A full database ({@code SQLITE_FULL}, simulated with {@code PRAGMA max_page_count}): the
 * failing write reports it clearly, earlier data stays intact, reads go on, and writes work
 * again once space is freed.
 */
class DatabaseFullTest {

    @TempDir
    Path dir;

    @Test
    void aFullDatabaseFailsTheWriteClearlyAndRecoversWhenSpaceIsFreed() throws Exception {
        try (SqlitePool pool = fullPool("full.db", 3)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
            }
            int stored = 0;
            SQLException full = null;
            for (int i = 0; i < 1_000 && full == null; i++) {
                try (Connection c = pool.getConnection();
                        PreparedStatement insert = c.prepareStatement("INSERT INTO blobs (data) VALUES (?)")) {
                    insert.setBytes(1, new byte[2_000]);
                    insert.executeUpdate();
                    stored++;
                } catch (SQLException e) {
                    full = e;
                }
            }
            assertThat((Throwable) full).as("the database filled up").isNotNull();
            assertThat(full.getMessage()).contains("SQLITE_FULL");
            assertThat(stored).isPositive();

            // A failed transaction leaves nothing behind either.
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                SQLException inTransaction = catchThrowableOfType(SQLException.class, () -> {
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO blobs (data) VALUES (?)")) {
                        for (int i = 0; i < 100; i++) {
                            insert.setBytes(1, new byte[2_000]);
                            insert.executeUpdate();
                        }
                    }
                });
                assertThat((Throwable) inTransaction).hasMessageContaining("SQLITE_FULL");
                c.rollback();
            }

            assertThat(count(pool)).as("earlier data intact, reads still served").isEqualTo(stored);
            try (Connection c = pool.getConnection()) {
                assertThat(pragma(c, "integrity_check")).isEqualTo("ok");
            }

            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                // whole pages go to the free list; deleting every other row would leave each page
                // half full, and rows with growing ids are appended to the last page, not there
                s.executeUpdate("DELETE FROM blobs WHERE id <= (SELECT max(id) / 2 FROM blobs)");
            }
            int afterDelete = count(pool);
            for (int i = 0; i < 5; i++) {
                try (Connection c = pool.getConnection();
                        PreparedStatement insert = c.prepareStatement("INSERT INTO blobs (data) VALUES (?)")) {
                    insert.setBytes(1, new byte[2_000]);
                    insert.executeUpdate();
                }
            }
            assertThat(count(pool)).as("writes work again once space is freed").isEqualTo(afterDelete + 5);
            assertThat(pool.stats().idle()).isEqualTo(3);
        }
    }

    /** Only a write that was committed shows the storage takes writes again: one rolled back never reached it. */
    @Test
    void aWriteRolledBackDoesNotCountAsTheStorageTakingWritesAgain() throws Exception {
        try (SqlitePool pool = fullPool("rolled-back.db", 2)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
            }
            try (Connection c = pool.getConnection()) {
                assertThatThrownBy(() -> fill(c)).hasMessageContaining("SQLITE_FULL");
            }
            assertThat(pool.storageHealth().writable()).as("after SQLITE_FULL").isFalse();

            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    assertThat(s.executeUpdate("UPDATE blobs SET data = x'00' WHERE id = 1")).isEqualTo(1); // no new page
                }
                c.rollback();
                c.setAutoCommit(true);
            }
            assertThat(pool.storageHealth().writable()).as("after a write rolled back").isFalse();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("BEGIN");
                assertThat(s.executeUpdate("UPDATE blobs SET data = x'00' WHERE id = 1")).isEqualTo(1);
                s.execute("ROLLBACK");
            }
            assertThat(pool.storageHealth().writable()).as("after a write rolled back in SQL").isFalse();

            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE blobs SET data = x'00' WHERE id = 1");
            }
            assertThat(pool.storageHealth().writable()).as("after a write committed").isTrue();
        }
    }

    @Test
    void aTransactionTemplateSeesTheFullErrorAndTheConnectionIsKept() throws Exception {
        // one connection, so the lease after the failure shows whether it was replaced
        try (SqlitePool pool = fullPool("full-tx.db", 1)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(pool));
            jdbc.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
            jdbc.update("INSERT INTO blobs (data) VALUES (?)", (Object) new byte[2_000]);
            SQLiteConnection before;
            try (Connection c = pool.getConnection()) {
                before = c.unwrap(SQLiteConnection.class);
            }

            Throwable failure = catchThrowable(() -> transactions.executeWithoutResult(status -> {
                for (int i = 0; i < 1_000; i++) {
                    jdbc.update("INSERT INTO blobs (data) VALUES (?)", (Object) new byte[2_000]);
                }
            }));

            assertThat(failure).as("the caller sees SQLITE_FULL, not a failed rollback")
                    .isInstanceOf(DataAccessException.class)
                    .hasMessageContaining("SQLITE_FULL")
                    .hasRootCauseInstanceOf(SQLiteException.class);
            assertThat(((SQLiteException) NestedExceptionUtils.getRootCause(failure)).getResultCode())
                    .isEqualTo(SQLiteErrorCode.SQLITE_FULL);
            assertThat(failure.getSuppressed()).isEmpty();
            assertThat(count(pool)).as("the whole transaction rolled back, earlier data intact").isEqualTo(1);
            assertThat(pool.stats().idle()).isEqualTo(1);
            assertThat(pool.writeLaneStats().holderThread()).isNull();
            try (Connection c = pool.getConnection()) {
                assertThat(c.unwrap(SQLiteConnection.class)).as("the connection was reset, not replaced")
                        .isSameAs(before);
                assertThat(c.getAutoCommit()).isTrue();
            }

            // the next transaction on the same connection commits normally
            transactions.executeWithoutResult(status -> jdbc.update("DELETE FROM blobs"));
            transactions.executeWithoutResult(
                    status -> jdbc.update("INSERT INTO blobs (data) VALUES (?)", (Object) new byte[2_000]));
            assertThat(count(pool)).isEqualTo(1);
        }
    }

    @Test
    void rollbackAfterSqliteRolledBackKeepsTheLeaseInAnImmediateTransaction() throws Exception {
        try (SqlitePool pool = fullPool("full-rb.db", 2)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
            }
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                Savepoint beforeFill = c.setSavepoint();
                assertThat(catchThrowable(() -> fill(c))).hasMessageContaining("SQLITE_FULL");
                // the savepoint went with the transaction: the driver would say "no such savepoint"
                assertThat(catchThrowable(() -> c.rollback(beforeFill))).hasMessageContaining("already rolled back by SQLite")
                        .hasMessageContaining("SQLITE_FULL").hasMessageContaining("its savepoints went with it");
                // and a new one would begin another transaction, as a statement would
                assertThat(catchThrowable(c::setSavepoint)).hasMessageContaining("already rolled back by SQLite")
                        .hasMessageContaining("no savepoint was set");
                // SQLite left the transaction: a further statement would commit on its own, so
                // the lease refuses statements and commit until rollback()
                assertThat(catchThrowable(() -> {
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("DELETE FROM blobs");
                    }
                })).hasMessageContaining("already rolled back by SQLite").hasMessageContaining("nothing was run")
                        .hasCauseInstanceOf(SQLiteException.class);
                assertThat(catchThrowable(c::commit)).hasMessageContaining("already rolled back by SQLite")
                        .hasMessageContaining("SQLITE_FULL");
                c.rollback(); // SQLite had already rolled back: this must not throw
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO blobs (data) VALUES (x'01')");
                }
                // still inside a JDBC transaction: another connection does not see the row yet
                assertThat(count(pool)).isZero();
                c.commit();
                assertThat(count(pool)).isEqualTo(1);
                assertThat(catchThrowable(() -> fill(c))).hasMessageContaining("SQLITE_FULL");
                // closed without rollback: the reset must cope too
            }
            assertThat(count(pool)).isEqualTo(1);
            assertThat(pool.stats().idle()).isEqualTo(pool.stats().total());

            // setAutoCommit(true) after SQLite's rollback reports it instead of committing nothing
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                assertThat(catchThrowable(() -> fill(c))).hasMessageContaining("SQLITE_FULL");
                assertThat(catchThrowable(() -> c.setAutoCommit(true)))
                        .hasMessageContaining("already rolled back by SQLite")
                        .hasMessageContaining("nothing was committed");
                assertThat(c.getAutoCommit()).isTrue();
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO blobs (data) VALUES (x'02')");
                }
            }
            assertThat(count(pool)).isEqualTo(2);
            assertThat(pool.writeLaneStats().holderThread()).isNull();
        }
    }

    /**
     * A real full disk: a 2 MiB tmpfs (mounted when the tests run as root and the kernel
     * allows it; skipped otherwise). The failing write reports {@code SQLITE_FULL}, health says
     * DOWN with the failure in its details and the storage gauge reads 0; once a file is
     * removed, the next write succeeds and health is UP again, without a restart.
     */
    @Test
    void aFullDiskTurnsHealthDownUntilAWriteSucceedsAgain() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()),
                "mounting a 2 MiB tmpfs is not allowed here");
        try {
            Path ballast = mount.resolve("ballast.bin");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (SqlitePool pool = new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + mount.resolve("disk.db"))
                    .maxConnections(2).build())) {
                new SqlitePoolMetrics(pool).bindTo(registry);
                SqlitePoolHealthIndicator health = new SqlitePoolHealthIndicator(pool, Duration.ofSeconds(2),
                        Duration.ZERO);
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
                }
                // leave a little room, then fill it with rows
                Files.write(ballast, new byte[1_400_000]);
                SQLException full = null;
                for (int i = 0; i < 2_000 && full == null; i++) {
                    try (Connection c = pool.getConnection();
                            PreparedStatement insert = c.prepareStatement("INSERT INTO blobs (data) VALUES (?)")) {
                        insert.setBytes(1, new byte[4_000]);
                        insert.executeUpdate();
                    } catch (SQLException e) {
                        full = e;
                    }
                }
                assertThat((Throwable) full).as("the disk filled up").isNotNull();
                assertThat(full.getMessage()).containsPattern("SQLITE_(FULL|IOERR)");

                Health down = health.health();
                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                assertThat((String) down.getDetails().get("error")).startsWith("writes are failing in storage");
                assertThat(down.getDetails().get("storage")).asString().contains("writable=false", "lastWriteFailure=");
                assertThat(registry.get("sqlite.pool.storage.writable").gauge().value()).isZero();
                assertThat(registry.get("sqlite.pool.storage.failures").functionCounter().count()).isPositive();

                Files.delete(ballast);
                try (Connection c = pool.getConnection();
                        PreparedStatement insert = c.prepareStatement("INSERT INTO blobs (data) VALUES (?)")) {
                    insert.setBytes(1, new byte[4_000]);
                    insert.executeUpdate();
                }
                assertThat(health.health().getStatus()).as("UP again after a write succeeded").isEqualTo(Status.UP);
                assertThat(registry.get("sqlite.pool.storage.writable").gauge().value()).isEqualTo(1);
            }
        } finally {
            assertThat(run("umount", mount.toString())).as("umount " + mount).isTrue();
        }
    }

    private static boolean run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void fill(Connection c) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO blobs (data) VALUES (?)")) {
            for (int i = 0; i < 1_000; i++) {
                insert.setBytes(1, new byte[2_000]);
                insert.executeUpdate();
            }
        }
    }

    /** A pool on a database limited to 64 pages (256 KiB with 4 KiB pages). */
    private SqlitePool fullPool(String file, int maxConnections) {
        return new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + dir.resolve(file))
                .maxConnections(maxConnections)
                .pragmas(PragmaSettings.builder().extra(Map.of("max_page_count", "64")).build())
                .build());
    }

    private static int count(SqlitePool pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM blobs")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
