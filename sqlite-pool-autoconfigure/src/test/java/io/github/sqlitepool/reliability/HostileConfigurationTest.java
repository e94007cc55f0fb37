package io.github.sqlitepool.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.pool.PoolFixtures;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.PoolConfigurationException;
import io.github.sqlitepool.pool.config.Pragma;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Hostile and random values for every string-valued setting: either the setting is rejected
 * with its property name, or what reaches SQLite is exactly one allow-listed pragma with a
 * plain value. Nothing else ever runs.
 */
class HostileConfigurationTest {

    private static final String[] NASTY = { ";", "'", "\"", "--", "/*", "*/", "\n", "\r", "\t", " ", "=", "(", ")",
            "DROP TABLE kept", "ATTACH DATABASE 'x' AS y", "1; PRAGMA writable_schema=1", "ON", "off", "-1",
            "9223372036854775807", "99999999999999999999", "\u0000", "é", "max_page_count", "journal_mode", "wal",
            "`", "[", "]", "\\", "%", "?", ",", "1e3", "0x10", "true", "NULL" };

    private static final Set<String> TYPED_NAMES = Set.of("journal_mode", "synchronous", "cache_size", "temp_store",
            "busy_timeout", "foreign_keys", "mmap_size", "journal_size_limit", "wal_autocheckpoint");

    @TempDir
    Path dir;

    private static String randomString(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            if (random.nextBoolean()) {
                text.append(NASTY[random.nextInt(NASTY.length)]);
            } else {
                int length = 1 + random.nextInt(12);
                for (int j = 0; j < length; j++) {
                    text.append((char) (0x20 + random.nextInt(0x5f)));
                }
            }
        }
        return text.toString();
    }

    @Test
    void randomExtraPragmasAreRejectedByNameOrReachSqlAsOnePlainPragma() {
        Random random = new Random(20261123);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 5_000; i++) {
            String name = random.nextInt(4) == 0 ? pickAllowedName(random) : randomString(random);
            String value = random.nextInt(3) == 0 ? Integer.toString(random.nextInt(1000)) : randomString(random);
            Throwable failure = catchThrowable(() -> PragmaSettings.builder().extra(Map.of(name, value)).build());
            if (failure != null) {
                rejected++;
                assertThat(failure).isInstanceOf(PoolConfigurationException.class);
                assertThat(((PoolConfigurationException) failure).getProperty())
                        .isEqualTo("sqlite.pool.pragmas.extra." + name);
                assertThat(failure.getMessage()).startsWith("sqlite.pool.pragmas.extra." + name + " ");
                continue;
            }
            accepted++;
            List<Pragma> pragmas = PragmaSettings.builder().extra(Map.of(name, value)).build().pragmas();
            assertThat(pragmas).as("the configured ones, and the extra one").hasSize(PragmaSettings.defaults().pragmas().size() + 1);
            Pragma extra = pragmas.stream().filter(p -> p.name().equals(name.trim().toLowerCase(java.util.Locale.ROOT)
                    .replace('-', '_'))).findFirst().orElseThrow();
            assertThat(extra.name()).isIn(allowedNames()).doesNotContain(";", " ", "'", "-");
            assertThat(extra.value()).matches("-?[0-9]{1,19}|[A-Za-z_][A-Za-z0-9_]{0,63}");
            assertThat(extra.sql()).isEqualTo("PRAGMA " + extra.name() + " = " + extra.value());
        }
        assertThat(accepted).as("some random values were valid").isPositive();
        assertThat(rejected).as("most random values were rejected").isGreaterThan(accepted);
    }

    @Test
    void typedPragmasCannotBeSetThroughExtra() {
        for (String name : TYPED_NAMES) {
            Throwable failure = catchThrowable(() -> PragmaSettings.builder().extra(Map.of(name, "1")).build());
            assertThat(failure).isInstanceOf(PoolConfigurationException.class)
                    .hasMessageContaining("sqlite.pool.pragmas.extra." + name).hasMessageContaining("instead");
        }
        assertThat(catchThrowable(() -> PragmaSettings.builder().extra(Map.of("query_only", "1")).build()))
                .as("query_only is the pool's own").isInstanceOf(PoolConfigurationException.class);
    }

    @Test
    void randomUrlsAndNamesAreRejectedByNameOrParsedWithoutSideEffects() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            String text = randomString(random);
            Throwable badUrl = catchThrowable(() -> SqlitePoolConfig.builder().url(text).build());
            if (!text.startsWith("jdbc:sqlite:")) {
                assertThat(badUrl).isInstanceOf(PoolConfigurationException.class)
                        .hasMessageStartingWith("sqlite.pool.url ");
            }
            Throwable badName = catchThrowable(
                    () -> SqlitePoolConfig.builder().url("jdbc:sqlite::memory:").name(text).build());
            if (badName != null) {
                assertThat(badName).isInstanceOf(PoolConfigurationException.class)
                        .hasMessageStartingWith("sqlite.pool.name ");
                assertThat(text.isBlank() || text.chars().anyMatch(Character::isISOControl)).isTrue();
            }
        }
        assertThat(catchThrowable(() -> SqlitePoolConfig.builder().url("jdbc:sqlite:a.db\n;DROP").build()))
                .hasMessageStartingWith("sqlite.pool.url must not contain control characters");
    }

    @Test
    void acceptedExtraPragmasChangeNothingButThemselves() throws Exception {
        Path file = dir.resolve("kept.db");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE kept (v TEXT)");
            s.execute("INSERT INTO kept VALUES ('a')");
            s.execute("PRAGMA user_version = 7");
        }
        Random random = new Random(99);
        int pools = 0;
        for (int i = 0; i < 300 && pools < 25; i++) {
            String name = pickAllowedName(random);
            if (Set.of("page_size", "auto_vacuum", "locking_mode", "max_page_count", "hard_heap_limit",
                    "soft_heap_limit").contains(name)) {
                continue; // valid, but they change how the file or process behaves; covered by their own tests
            }
            String value = random.nextBoolean() ? Integer.toString(random.nextInt(3)) : randomString(random);
            PragmaSettings settings;
            try {
                settings = PragmaSettings.builder().extra(Map.of(name, value)).build();
            } catch (PoolConfigurationException rejected) {
                continue;
            }
            pools++;
            try (SqlitePool pool = new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + file)
                    .maxConnections(1).pragmas(settings).build())) {
                assertThat(pool.stats().total()).isEqualTo(1);
            } catch (RuntimeException sqliteRefusedTheValue) {
                assertThat(sqliteRefusedTheValue).hasMessageContaining("PRAGMA " + name);
            }
            try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement s = raw.createStatement()) {
                assertThat(strings(s, "SELECT name FROM sqlite_master")).containsExactly("kept");
                assertThat(strings(s, "SELECT v FROM kept")).containsExactly("a");
                assertThat(strings(s, "PRAGMA user_version")).containsExactly("7");
            }
        }
        assertThat(pools).isPositive();
    }

    @Test
    void aRejectedSettingLeavesAnExistingDatabaseFileByteForByteUntouched() throws Exception {
        Path file = dir.resolve("existing.db");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE kept (v TEXT)");
        }
        byte[] before = Files.readAllBytes(file);
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class));
        List<String> hostile = new ArrayList<>(List.of("sqlite.pool.max-connections=-1",
                "sqlite.pool.max-connections=2147483647", "sqlite.pool.acquire-timeout=-5s",
                "sqlite.pool.pragmas.extra.max_page_count=1;DROP TABLE kept",
                "sqlite.pool.pragmas.extra.max_page_count='1'", "sqlite.pool.pragmas.extra.max_page_count=1 -- c",
                "sqlite.pool.pragmas.extra.max_page_count=/*x*/1", "sqlite.pool.pragmas.extra.writable_schema=1",
                "sqlite.pool.pragmas.journal-mode=wal;", "sqlite.pool.pragmas.cache-size=1e9",
                "sqlite.pool.name="));
        for (String property : hostile) {
            runner.withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + file, property).run(context -> {
                assertThat(context).as(property).hasFailed();
                String key = property.substring(0, property.indexOf('='));
                assertThat(stackMessages(context.getStartupFailure())).as(property).contains(key);
            });
            assertThat(Files.readAllBytes(file)).as("file after %s", property).isEqualTo(before);
            assertThat(dir.resolve("existing.db-wal")).doesNotExist();
        }
    }

    private static String stackMessages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t : PoolFixtures.causes(failure)) {
            messages.append(t.getMessage()).append('\n');
            if (t instanceof org.springframework.boot.context.properties.bind.BindException bind
                    && bind.getProperty() != null) {
                messages.append(bind.getProperty().getName()).append('\n');
            }
        }
        return messages.toString();
    }

    private static List<String> allowedNames() {
        return List.of("analysis_limit", "auto_vacuum", "automatic_index", "cache_spill", "cell_size_check",
                "checkpoint_fullfsync", "fullfsync", "hard_heap_limit",
                "ignore_check_constraints", "legacy_alter_table", "locking_mode", "max_page_count", "page_size",
                "read_uncommitted", "recursive_triggers", "reverse_unordered_selects", "secure_delete",
                "soft_heap_limit", "threads", "trusted_schema");
    }

    private static String pickAllowedName(Random random) {
        List<String> names = allowedNames();
        return names.get(random.nextInt(names.size()));
    }

    private static List<String> strings(Statement s, String sql) throws java.sql.SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
