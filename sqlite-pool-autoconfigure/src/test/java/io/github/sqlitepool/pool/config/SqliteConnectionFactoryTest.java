package io.github.sqlitepool.pool.config;

import static io.github.sqlitepool.pool.PoolFixtures.config;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;

import io.github.sqlitepool.pool.PoolFixtures;
import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening connections and reading their PRAGMAs back. */
class SqliteConnectionFactoryTest {

    @TempDir
    Path dir;

    @Test
    void verifyFindsNothingWhenEveryPragmaTook() throws Exception {
        SqliteConnectionFactory factory = new SqliteConnectionFactory(SqliteUrl.parse(PoolFixtures.fileUrl(dir)),
                PragmaSettings.builder().mmapSize(1L << 20).journalSizeLimit(-1L).walAutocheckpoint(100).build());
        factory.prepareDatabasePath();
        try (Connection connection = factory.open()) {
            assertThat(factory.verify(connection)).isEmpty();
        }
    }

    /** SQLite caps mmap_size at its compile-time maximum without an error; verify reports it. */
    @Test
    void verifyReportsAPragmaThatDidNotTake() throws Exception {
        long tooLarge = 1L << 50;
        SqlitePoolConfig config = config(dir, 2).pragmas(PragmaSettings.builder().mmapSize(tooLarge).build()).build();
        SqliteConnectionFactory factory = new SqliteConnectionFactory(config.url(), config.pragmas());
        try (Connection connection = factory.open()) {
            long actual = queryLong(connection, "PRAGMA mmap_size");
            assertThat(actual).isLessThan(tooLarge);
            assertThat(factory.verify(connection))
                    .containsExactly("PRAGMA mmap_size is " + actual + ", not " + tooLarge);
        }
        // a setting SQLite adjusted is a warning, not a reason to refuse to start
        try (SqlitePool pool = new SqlitePool(config); Connection lease = pool.getConnection()) {
            assertThat(queryLong(lease, "PRAGMA mmap_size")).isLessThan(tooLarge);
        }
    }

    @Test
    void walIsNotAvailableInMemoryAndThatIsNotAnError() throws Exception {
        SqliteConnectionFactory factory = new SqliteConnectionFactory(SqliteUrl.parse("jdbc:sqlite::memory:"),
                PragmaSettings.defaults());
        try (Connection connection = factory.open()) {
            assertThat(factory.verify(connection)).isEmpty();
        }
    }
}
