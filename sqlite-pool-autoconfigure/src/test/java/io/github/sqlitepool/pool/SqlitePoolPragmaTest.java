package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.config;
import static io.github.sqlitepool.pool.PoolFixtures.physical;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.sqlitepool.pool.config.JournalMode;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.Synchronous;
import io.github.sqlitepool.pool.config.TempStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every PRAGMA is in force on every connection the pool hands out, replacements included. */
class SqlitePoolPragmaTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsAreAppliedOnEveryConnection() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("journal_mode", "wal");
        expected.put("synchronous", "1"); // NORMAL
        expected.put("cache_size", "10000");
        expected.put("temp_store", "2"); // MEMORY
        expected.put("busy_timeout", "5000");
        expected.put("foreign_keys", "1");
        expected.put("query_only", "0");
        try (SqlitePool pool = PoolFixtures.pool(dir, 4)) {
            assertEveryConnectionReads(pool, 4, expected);
        }
    }

    @Test
    void everyTypedAndExtraSettingIsAppliedOnEveryConnection() throws Exception {
        PragmaSettings settings = PragmaSettings.builder()
                .journalMode(JournalMode.TRUNCATE)
                .synchronous(Synchronous.FULL)
                .cacheSize(-4096)
                .tempStore(TempStore.FILE)
                .busyTimeout(Duration.ofMillis(1234))
                .foreignKeys(false)
                .mmapSize(64L * 1024 * 1024)
                .journalSizeLimit(2L * 1024 * 1024)
                .walAutocheckpoint(321)
                .extra(Map.of("recursive_triggers", "ON", "automatic_index", "false", "cell_size_check", "1",
                        "secure_delete", "true"))
                .build();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("journal_mode", "truncate");
        expected.put("synchronous", "2"); // FULL
        expected.put("cache_size", "-4096");
        expected.put("temp_store", "1"); // FILE
        expected.put("busy_timeout", "1234");
        expected.put("foreign_keys", "0");
        expected.put("mmap_size", Long.toString(64L * 1024 * 1024));
        expected.put("journal_size_limit", Long.toString(2L * 1024 * 1024));
        expected.put("wal_autocheckpoint", "321");
        expected.put("recursive_triggers", "1");
        expected.put("automatic_index", "0");
        expected.put("cell_size_check", "1");
        expected.put("secure_delete", "1");
        try (SqlitePool pool = new SqlitePool(config(dir, 3).pragmas(settings).build())) {
            assertEveryConnectionReads(pool, 3, expected);
        }
    }

    @Test
    void aReplacementConnectionGetsThePragmasToo() throws Exception {
        PragmaSettings settings = PragmaSettings.builder().cacheSize(777).synchronous(Synchronous.EXTRA)
                .extra(Map.of("recursive_triggers", "ON")).build();
        try (SqlitePool pool = new SqlitePool(config(dir, 2).pragmas(settings).build())) {
            for (int i = 0; i < 2; i++) {
                try (Connection lease = pool.getConnection()) {
                    physical(lease).close();
                }
            }
            Map<String, String> expected = Map.of("cache_size", "777", "synchronous", "3",
                    "recursive_triggers", "1", "journal_mode", "wal", "foreign_keys", "1");
            assertEveryConnectionReads(pool, 2, expected);
        }
    }

    @Test
    void readOnlyLeasesDoNotLeakQueryOnlyIntoTheNextLease() throws Exception {
        try (SqlitePool pool = PoolFixtures.pool(dir, 2)) {
            try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
                a.setReadOnly(true);
                b.setReadOnly(true);
            }
            assertEveryConnectionReads(pool, 2, Map.of("query_only", "0"));
        }
    }

    /** Leases all connections at once, so each physical connection is read exactly once. */
    private static void assertEveryConnectionReads(SqlitePool pool, int size, Map<String, String> expected)
            throws SQLException {
        List<Connection> leases = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                leases.add(pool.getConnection());
            }
            assertThat(pool.stats().idle()).isZero();
            for (Connection lease : leases) {
                for (Map.Entry<String, String> pragma : expected.entrySet()) {
                    assertThat(PoolFixtures.pragma(lease, pragma.getKey()))
                            .as("PRAGMA %s on %s", pragma.getKey(), physical(lease))
                            .isEqualToIgnoringCase(pragma.getValue());
                }
            }
        } finally {
            for (Connection lease : leases) {
                lease.close();
            }
        }
    }
}
