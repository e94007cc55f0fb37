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
    void pageSizeAndAutoVacuumTakeEffectOnANewDatabaseAndAreReportedWhereTheFileAlreadyHasOthers() throws Exception {
        PragmaSettings fileFormat = PragmaSettings.builder()
                .extra(java.util.Map.of("page_size", "8192", "auto_vacuum", "incremental")).build();
        SqlitePoolConfig config = config(dir, 2).pragmas(fileFormat).build();
        try (SqlitePool pool = new SqlitePool(config); Connection lease = pool.getConnection()) {
            assertThat(queryLong(lease, "PRAGMA page_size")).as("set before WAL wrote the first page").isEqualTo(8192);
            assertThat(queryLong(lease, "PRAGMA auto_vacuum")).as("incremental").isEqualTo(2);
            assertThat(queryLong(lease, "PRAGMA journal_mode = WAL")).isNotNull();
        }

        SqlitePoolConfig other = SqlitePoolConfig.builder().url(config.url().toString())
                .pragmas(PragmaSettings.builder().extra(java.util.Map.of("page_size", "16384")).build()).build();
        SqliteConnectionFactory factory = new SqliteConnectionFactory(other.url(), other.pragmas());
        try (Connection connection = factory.open()) {
            assertThat(factory.verify(connection)).singleElement().asString()
                    .startsWith("PRAGMA page_size is 8192, not 16384 (it takes effect only when the database file is created");
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
