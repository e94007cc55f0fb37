package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.config;
import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.physical;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static io.github.sqlitepool.pool.PoolFixtures.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Map;

import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** The unpooled data source: a new configured connection per call, closed when the caller closes it. */
class UnpooledSqliteDataSourceTest {

    @TempDir
    Path dir;

    @Test
    void everyCallOpensANewConfiguredConnectionAndCloseClosesIt() throws Exception {
        PragmaSettings pragmas = PragmaSettings.builder().cacheSize(1234).busyTimeout(Duration.ofMillis(2500))
                .extra(Map.of("recursive_triggers", "ON")).build();
        try (UnpooledSqliteDataSource dataSource = new UnpooledSqliteDataSource(config(dir, 1).pragmas(pragmas).build())) {
            Connection first = dataSource.getConnection();
            Connection second = dataSource.getConnection(); // no bound of max-connections here
            SQLiteConnection firstPhysical = physical(first);
            assertThat(physical(second)).isNotSameAs(firstPhysical);
            for (Connection connection : new Connection[] {first, second}) {
                assertThat(queryString(connection, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
                assertThat(queryLong(connection, "PRAGMA cache_size")).isEqualTo(1234);
                assertThat(queryLong(connection, "PRAGMA busy_timeout")).isEqualTo(2500);
                assertThat(queryLong(connection, "PRAGMA synchronous")).isEqualTo(1);
                assertThat(queryLong(connection, "PRAGMA temp_store")).isEqualTo(2);
                assertThat(queryLong(connection, "PRAGMA foreign_keys")).isEqualTo(1);
                assertThat(queryLong(connection, "PRAGMA recursive_triggers")).isEqualTo(1);
            }
            execute(first, "CREATE TABLE items(id INTEGER)");
            execute(second, "INSERT INTO items VALUES (1)");

            first.close();
            first.close();
            assertThat(first.isClosed()).isTrue();
            assertThat(firstPhysical.isClosed()).isTrue();
            assertThatThrownBy(first::createStatement).isInstanceOf(SQLException.class)
                    .hasMessage("connection is closed");
            second.close();

            try (Connection third = dataSource.getConnection()) {
                assertThat(physical(third)).isNotSameAs(firstPhysical);
                assertThat(queryLong(third, "SELECT count(*) FROM items")).isEqualTo(1);
            }
        }
    }

    @Test
    void aConnectionIsResetLikeALeaseBeforeItIsClosed() throws Exception {
        try (UnpooledSqliteDataSource dataSource = new UnpooledSqliteDataSource(config(dir, 1).build())) {
            try (Connection connection = dataSource.getConnection()) {
                execute(connection, "CREATE TABLE items(id INTEGER)");
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                execute(connection, "INSERT INTO items VALUES (1)");
            }
            try (Connection connection = dataSource.getConnection()) {
                assertThat(queryLong(connection, "SELECT count(*) FROM items")).isZero();
            }
        }
    }

    @Test
    void anInMemoryDatabaseIsSharedAndLivesUntilClose() throws Exception {
        String url = "jdbc:sqlite:file:unpooled_memory?mode=memory";
        try (UnpooledSqliteDataSource dataSource = new UnpooledSqliteDataSource(
                SqlitePoolConfig.builder().url(url).build())) {
            try (Connection connection = dataSource.getConnection()) {
                execute(connection, "CREATE TABLE items(id INTEGER)");
                execute(connection, "INSERT INTO items VALUES (1)");
            }
            try (Connection connection = dataSource.getConnection()) {
                assertThat(queryLong(connection, "SELECT count(*) FROM items")).isEqualTo(1);
            }
        }
        try (UnpooledSqliteDataSource again = new UnpooledSqliteDataSource(SqlitePoolConfig.builder().url(url).build());
                Connection connection = again.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM sqlite_master")).isZero();
        }
    }

    @Test
    void refusesANonDatabaseFileAtConstructionAndLeavesItUntouched() throws Exception {
        byte[] content = "just text".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("test.db"), content);
        assertThatThrownBy(() -> new UnpooledSqliteDataSource(config(dir, 1).build()))
                .isInstanceOf(PoolInitializationException.class)
                .hasMessageContaining("not a SQLite database");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(dir.resolve("test.db-wal")).doesNotExist();
    }

    @Test
    void afterCloseNoConnectionIsOpenedAndUserPasswordIsRefused() throws Exception {
        UnpooledSqliteDataSource dataSource = new UnpooledSqliteDataSource(config(dir, 1).build());
        assertThatThrownBy(() -> dataSource.getConnection("sa", ""))
                .isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("SQLite has no users");
        dataSource.close();
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLException.class)
                .hasMessageContaining("is closed");
    }
}
