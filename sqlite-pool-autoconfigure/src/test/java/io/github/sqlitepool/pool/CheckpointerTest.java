package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.github.sqlitepool.pool.config.CheckpointSettings;
import io.github.sqlitepool.pool.config.PoolConfigurationException;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool's checkpointer on real WAL databases: PASSIVE when writes pause, TRUNCATE past the size, starvation. */
class CheckpointerTest {

    private static final long SMALL_WAL = 256 * 1024;

    @TempDir
    Path dir;

    @Test
    void aPauseInWritesGetsAPassiveCheckpoint() throws Exception {
        try (SqlitePool pool = pool(settings(Long.MAX_VALUE, Duration.ofSeconds(30)))) {
            write(pool, 50);

            await().atMost(Duration.ofSeconds(10)).until(() -> pool.checkpointStats().lastCompletedAt() != null);
            CheckpointStats stats = pool.checkpointStats();
            assertThat(stats.enabled()).isTrue();
            assertThat(stats.checkpoints()).isPositive();
            assertThat(stats.truncations()).as("below the size, nothing is truncated").isZero();
            assertThat(stats.starvedMillis()).isZero();
        }
    }

    @Test
    void aWalPastTheSizeIsTruncatedWhileWritersGoOn() throws Exception {
        try (SqlitePool pool = pool(settings(SMALL_WAL, Duration.ofSeconds(30)))) {
            write(pool, 400); // ~1.6 MB of rows, well past 256 KiB of WAL

            await().atMost(Duration.ofSeconds(10)).until(() -> pool.checkpointStats().truncations() > 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> WalFile.size(pool) < SMALL_WAL);
            write(pool, 10);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM rows")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(410);
            }
        }
    }

    /** The checkpointer takes the write lane as writers do: while a writer holds it, no TRUNCATE runs. */
    @Test
    void truncationWaitsForTheWriteLaneAndGivesUpWithinTheBound() throws Exception {
        try (SqlitePool pool = pool(settings(SMALL_WAL, Duration.ofSeconds(30)))) {
            try (Connection writer = pool.getConnection()) {
                // a small page cache spills the open transaction into the WAL, past the size
                execute(writer, "PRAGMA cache_size = 10");
                writer.setAutoCommit(false); // takes the lane
                long truncatedBefore = pool.checkpointStats().truncations();
                try (PreparedStatement insert = writer.prepareStatement("INSERT INTO rows (data) VALUES (?)")) {
                    for (int i = 0; i < 200; i++) {
                        insert.setBytes(1, new byte[4_000]);
                        insert.executeUpdate();
                    }
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> WalFile.size(pool) >= SMALL_WAL);
                long before = pool.checkpointStats().checkpoints();
                await().atMost(Duration.ofSeconds(10)).until(() -> pool.checkpointStats().checkpoints() > before + 2);
                assertThat(pool.checkpointStats().truncations()).as("no TRUNCATE while a writer holds the lane")
                        .isEqualTo(truncatedBefore);
                writer.commit();
                writer.setAutoCommit(true);
                execute(writer, "PRAGMA cache_size = 10000");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> pool.checkpointStats().truncations() > truncatedBefore);
            }
        }
    }

    @Test
    void aReaderHoldingAnOldSnapshotIsReportedAsStarvation() throws Exception {
        try (SqlitePool pool = pool(settings(SMALL_WAL, Duration.ofMillis(300)))) {
            write(pool, 10);
            try (Connection reader = pool.getConnection()) {
                reader.setReadOnly(true);
                reader.setAutoCommit(false);
                try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM rows")) {
                    rs.next(); // the read transaction now holds its snapshot
                }
                write(pool, 400);

                await().atMost(Duration.ofSeconds(10)).until(() -> pool.checkpointStats().starvedMillis() >= 300);
                CheckpointStats starved = pool.checkpointStats();
                assertThat(starved.oldestLeaseThread()).isEqualTo(Thread.currentThread().getName());
                assertThat(starved.oldestLeaseMillis()).isPositive();
                assertThat(starved.truncations()).isZero();
                reader.commit();
            }
            // a passive checkpoint clears the starvation just before the truncation it leads to is counted
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.checkpointStats().truncations() > 0);
            assertThat(pool.checkpointStats().starvedMillis()).isZero();
        }
    }

    @Test
    void settingsAreValidatedNamingTheProperty() {
        assertThatThrownBy(() -> new CheckpointSettings(true, Duration.ZERO, 1, Duration.ofMillis(1), Duration.ofSeconds(1)))
                .isInstanceOf(PoolConfigurationException.class).hasMessageContaining("sqlite.pool.checkpoint.interval");
        assertThatThrownBy(() -> new CheckpointSettings(true, Duration.ofSeconds(1), -1, Duration.ofMillis(1),
                Duration.ofSeconds(1))).hasMessageContaining("sqlite.pool.checkpoint.truncate-wal-size");
        assertThatThrownBy(() -> new CheckpointSettings(true, Duration.ofSeconds(1), 1, null, Duration.ofSeconds(1)))
                .hasMessageContaining("sqlite.pool.checkpoint.max-writer-block");
        assertThatThrownBy(() -> new CheckpointSettings(true, Duration.ofSeconds(1), 1, Duration.ofMillis(1),
                Duration.ofDays(2))).hasMessageContaining("sqlite.pool.checkpoint.starvation-warning");
    }

    @Test
    void offOrInMemoryRunsNoCheckpointer() {
        try (SqlitePool off = pool(CheckpointSettings.OFF);
                SqlitePool memory = new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite::memory:").build())) {
            assertThat(off.checkpointStats()).isEqualTo(CheckpointStats.DISABLED);
            assertThat(memory.checkpointStats()).isEqualTo(CheckpointStats.DISABLED);
        }
    }

    private static CheckpointSettings settings(long truncateWalSize, Duration starvationWarning) {
        return new CheckpointSettings(true, Duration.ofMillis(50), truncateWalSize, Duration.ofMillis(100),
                starvationWarning);
    }

    private SqlitePool pool(CheckpointSettings checkpoint) {
        SqlitePool pool = new SqlitePool(PoolFixtures.config(dir, 3).checkpoint(checkpoint).build());
        try (Connection c = pool.getConnection()) {
            execute(c, "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, data BLOB)");
        } catch (SQLException e) {
            pool.close();
            throw new AssertionError(e);
        }
        return pool;
    }

    private static void write(SqlitePool pool, int rows) throws SQLException {
        for (int i = 0; i < rows; i++) {
            try (Connection c = pool.getConnection();
                    PreparedStatement insert = c.prepareStatement("INSERT INTO rows (data) VALUES (?)")) {
                insert.setBytes(1, new byte[4_000]);
                insert.executeUpdate();
            }
        }
    }
}
