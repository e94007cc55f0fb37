package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.config;
import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.physical;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static io.github.sqlitepool.pool.PoolFixtures.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** Construction: every connection opened up front, and a pool that cannot start leaves nothing behind. */
class SqlitePoolStartupTest {

    private static final FileTime OLD = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path dir;

    @Test
    void opensEveryConnectionAtConstruction() throws Exception {
        try (SqlitePool pool = PoolFixtures.pool(dir, 4)) {
            assertThat(pool.stats()).isEqualTo(new PoolStats("test-pool", 4, 4, 0, 4, 0));
            assertThat(pool.name()).isEqualTo("test-pool");
            assertThat(dir.resolve("test.db")).isRegularFile();

            Set<SQLiteConnection> first = leaseAllPhysical(pool, 4);
            Set<SQLiteConnection> second = leaseAllPhysical(pool, 4);
            assertThat(first).hasSize(4);
            // the same four connections every time: none is opened lazily on demand
            assertThat(second).isEqualTo(first);
            assertThat(pool.stats()).isEqualTo(new PoolStats("test-pool", 4, 4, 0, 4, 0));
        }
    }

    @Test
    void isAPlainDataSource() throws Exception {
        try (SqlitePool pool = PoolFixtures.pool(dir, 2)) {
            DataSource dataSource = pool;
            assertThat(dataSource.isWrapperFor(SqlitePool.class)).isTrue();
            assertThat(dataSource.unwrap(SqlitePool.class)).isSameAs(pool);
            assertThat(dataSource.isWrapperFor(SQLiteConnection.class)).isFalse();
            assertThatThrownBy(() -> dataSource.unwrap(SQLiteConnection.class)).isInstanceOf(SQLException.class);
            assertThat(dataSource.getLoginTimeout()).isEqualTo(5); // acquire-timeout, in seconds
            assertThat(pool).hasToString("SqlitePool[pool 'test-pool' (max 2, total 2, active 0, idle 2, waiting 0)]");
        }
    }

    private static Set<SQLiteConnection> leaseAllPhysical(SqlitePool pool, int n) throws SQLException {
        Set<SQLiteConnection> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Connection> leases = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Connection lease = pool.getConnection();
                leases.add(lease);
                assertThat(physical(lease).isClosed()).isFalse();
                seen.add(physical(lease));
            }
            assertThat(pool.stats().active()).isEqualTo(n);
            assertThat(pool.stats().idle()).isZero();
        } finally {
            for (Connection lease : leases) {
                lease.close();
            }
        }
        return seen;
    }

    @Test
    void createsMissingParentDirectories() throws Exception {
        Path file = dir.resolve("a/b/c/app.db");
        try (SqlitePool pool = new SqlitePool(config(dir, 2).url("jdbc:sqlite:" + file).build());
                Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE t(x)");
        }
        assertThat(file).isRegularFile();
    }

    @Test
    void acceptsAnEmptyFileAsAnEmptyDatabase() throws Exception {
        Path file = Files.createFile(dir.resolve("test.db"));
        try (SqlitePool pool = PoolFixtures.pool(dir, 2); Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE t(x)");
            assertThat(queryString(lease, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
        }
        assertThat(Files.size(file)).isPositive();
    }

    @Test
    void refusesADirectoryAndLeavesItUntouched() throws Exception {
        Path target = Files.createDirectory(dir.resolve("test.db"));
        Files.setLastModifiedTime(target, OLD);

        assertThatThrownBy(() -> PoolFixtures.pool(dir, 3))
                .isInstanceOf(PoolInitializationException.class)
                .hasMessageContaining("cannot start pool 'test-pool'")
                .hasMessageContaining("is a directory")
                .cause().isInstanceOf(SQLException.class).hasMessageContaining(target.toString());

        try (var entries = Files.list(target)) {
            assertThat(entries).isEmpty();
        }
        assertThat(Files.getLastModifiedTime(target)).isEqualTo(OLD);
        assertNoSidecarFiles();
    }

    @Test
    void refusesATextFileAndLeavesItByteForByteUntouched() throws Exception {
        byte[] content = "name,value\nnot,a database\n".getBytes(StandardCharsets.UTF_8);
        assertFileIsRefusedAndUntouched(content);
    }

    @Test
    void refusesABinaryFileThatIsNotADatabaseAndLeavesItUntouched() throws Exception {
        byte[] content = new byte[8192];
        new Random(42).nextBytes(content);
        assertFileIsRefusedAndUntouched(content);
    }

    private void assertFileIsRefusedAndUntouched(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve("test.db"), content);
        Files.setLastModifiedTime(file, OLD);

        assertThatThrownBy(() -> PoolFixtures.pool(dir, 3))
                .isInstanceOf(PoolInitializationException.class)
                .hasMessageContaining("not a SQLite database")
                .cause().isInstanceOf(SQLException.class).hasMessageContaining(file.toString());

        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(OLD);
        assertNoSidecarFiles();
    }

    private void assertNoSidecarFiles() throws IOException {
        for (String suffix : List.of("-wal", "-shm", "-journal")) {
            assertThat(dir.resolve("test.db" + suffix)).doesNotExist();
        }
    }

    /**
     * The first connection takes an exclusive lock ({@code locking_mode=EXCLUSIVE}, then a read
     * through {@code max_page_count}), so the second cannot be configured. The first one must be
     * closed by the failed construction: otherwise its lock would keep every later writer out.
     * The pool's settings refuse {@code locking_mode=exclusive}, so the lock comes through the
     * URL, which sqlite-jdbc reads its own settings from.
     */
    @Test
    void failureOnALaterConnectionClosesTheOnesAlreadyOpen() throws Exception {
        PragmaSettings locking = PragmaSettings.builder()
                .busyTimeout(Duration.ZERO)
                .extra(Map.of("max_page_count", "1000000"))
                .build();
        SqlitePoolConfig config = config(dir, 3).url(PoolFixtures.fileUrl(dir) + "?locking_mode=EXCLUSIVE")
                .pragmas(locking).build();

        assertThatThrownBy(() -> new SqlitePool(config))
                .isInstanceOf(PoolInitializationException.class)
                .hasMessageContaining("cannot start pool 'test-pool'")
                .hasRootCauseInstanceOf(SQLException.class)
                .hasMessageContaining("locked");

        try (Connection plain = DriverManager.getConnection(PoolFixtures.fileUrl(dir))) {
            execute(plain, "CREATE TABLE written_after_failure(x)");
            execute(plain, "INSERT INTO written_after_failure VALUES (1)");
            assertThat(queryLong(plain, "SELECT count(*) FROM written_after_failure")).isEqualTo(1);
        }
    }
}
