package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.physical;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** In-memory URLs: one database for all of a pool's connections, alive exactly as long as the pool. */
class SqlitePoolInMemoryTest {

    private static SqlitePool pool(String url, int maxConnections) {
        return new SqlitePool(SqlitePoolConfig.builder().url(url).name("memory-pool").maxConnections(maxConnections)
                .acquireTimeout(Duration.ofSeconds(5)).shutdownTimeout(Duration.ofSeconds(5)).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:sqlite::memory:", "jdbc:sqlite:file::memory:",
            "jdbc:sqlite:file:shared_by_all?mode=memory", "jdbc:sqlite:file:shared_too?mode=memory&cache=shared"})
    void everyConnectionOfThePoolSeesTheSameDatabase(String url) throws Exception {
        try (SqlitePool pool = pool(url, 4)) {
            List<Connection> leases = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    leases.add(pool.getConnection());
                }
                assertThat(leases.stream().map(lease -> {
                    try {
                        return physical(lease);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                })).doesNotHaveDuplicates();
                execute(leases.get(0), "CREATE TABLE items(id INTEGER)");
                for (int i = 0; i < leases.size(); i++) {
                    execute(leases.get(i), "INSERT INTO items VALUES (" + i + ")");
                }
                for (Connection lease : leases) {
                    assertThat(queryLong(lease, "SELECT count(*) FROM items")).isEqualTo(4);
                }
            } finally {
                for (Connection lease : leases) {
                    lease.close();
                }
            }
        }
    }

    @Test
    void theDatabaseOutlivesEveryLeaseAndABrokenConnection() throws Exception {
        try (SqlitePool pool = pool("jdbc:sqlite:file:outlives?mode=memory", 1)) {
            try (Connection lease = pool.getConnection()) {
                execute(lease, "CREATE TABLE items(id INTEGER)");
                execute(lease, "INSERT INTO items VALUES (1)");
            }
            // the only pooled connection dies and is replaced: the data must survive it
            try (Connection lease = pool.getConnection()) {
                physical(lease).close();
            }
            assertThat(pool.stats().total()).isEqualTo(1);
            try (Connection lease = pool.getConnection()) {
                assertThat(queryLong(lease, "SELECT count(*) FROM items")).isEqualTo(1);
            }
        }
    }

    @Test
    void theDatabaseEndsWithThePool() throws Exception {
        String url = "jdbc:sqlite:file:ends_with_pool?mode=memory";
        try (SqlitePool pool = pool(url, 2); Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE items(id INTEGER)");
        }
        try (SqlitePool again = pool(url, 2); Connection lease = again.getConnection()) {
            assertThat(queryLong(lease, "SELECT count(*) FROM sqlite_master WHERE name = 'items'")).isZero();
        }
    }

    @Test
    void twoAnonymousInMemoryPoolsDoNotShare() throws Exception {
        try (SqlitePool first = pool("jdbc:sqlite::memory:", 2); SqlitePool second = pool("jdbc:sqlite::memory:", 2);
                Connection a = first.getConnection(); Connection b = second.getConnection()) {
            execute(a, "CREATE TABLE only_in_first(id INTEGER)");
            assertThatThrownBy(() -> queryLong(b, "SELECT count(*) FROM only_in_first"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no such table");
            assertThat(queryLong(b, "SELECT count(*) FROM sqlite_master")).isZero();
        }
    }

    @Test
    void leavesNoFileBehind() throws Exception {
        java.nio.file.Path cwd = java.nio.file.Path.of("").toAbsolutePath();
        try (SqlitePool pool = pool("jdbc:sqlite:file:no_file_please?mode=memory", 2);
                Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE items(id INTEGER)");
            assertThat(pool.config().url().inMemory()).isTrue();
        }
        assertThat(cwd.resolve("no_file_please")).doesNotExist();
        assertThat(cwd.resolve(":memory:")).doesNotExist();
    }
}
