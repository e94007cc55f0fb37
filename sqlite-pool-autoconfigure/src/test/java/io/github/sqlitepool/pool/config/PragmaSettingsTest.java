package io.github.sqlitepool.pool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Typed PRAGMA settings: defaults, fixed order, and nothing unchecked reaching SQL. */
class PragmaSettingsTest {

    @Test
    void defaultsAreTheOriginalFourPlusBusyTimeoutAndForeignKeysInTheDocumentedOrder() {
        assertThat(PragmaSettings.defaults().pragmas()).extracting(Pragma::sql).containsExactly(
                "PRAGMA busy_timeout = 5000",
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = NORMAL",
                "PRAGMA cache_size = 10000",
                "PRAGMA temp_store = MEMORY",
                "PRAGMA foreign_keys = ON");
    }

    @Test
    void optionalSettingsFollowInOrderAndExtrasLastByName() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("trusted_schema", "OFF");
        extra.put("Recursive-Triggers", " on ");
        extra.put("cache_spill", "0");
        PragmaSettings settings = PragmaSettings.builder().foreignKeys(false).mmapSize(0L).journalSizeLimit(-1L)
                .walAutocheckpoint(0).extra(extra).build();
        assertThat(settings.pragmas()).extracting(Pragma::toString).containsExactly(
                "busy_timeout=5000", "journal_mode=WAL", "synchronous=NORMAL", "cache_size=10000",
                "temp_store=MEMORY", "foreign_keys=OFF", "mmap_size=0", "journal_size_limit=-1",
                "wal_autocheckpoint=0", "cache_spill=0", "recursive_triggers=on", "trusted_schema=OFF");
        assertThat(settings.extra()).containsOnlyKeys("cache_spill", "recursive_triggers", "trusted_schema");
    }

    @ParameterizedTest
    @CsvSource({"auto_vacuum, 1", "auto_vacuum, INCREMENTAL", "locking_mode, normal", "secure_delete, fast",
            "threads, 1", "page_size, 4096", "trusted_schema, off", "cache_spill, 200", "max_page_count, 64"})
    void allowListedExtrasAreAcceptedWithValuesSqliteAccepts(String name, String value) {
        PragmaSettings settings = PragmaSettings.builder().extra(Map.of(name, value)).build();
        assertThat(settings.pragmas()).contains(new Pragma(name, value));
    }

    @ParameterizedTest
    @CsvSource({"trusted_schema, maybe, must be a boolean", "recursive_triggers, 2, must be a boolean",
            "auto_vacuum, sometimes, 'must be none, full, incremental'", "page_size, 1000, must be a power of two",
            "page_size, 131072, must be a power of two", "threads, -1, must be an integer of 0 or more",
            "max_page_count, 0, must be a number of pages of 1 or more", "secure_delete, slow, must be a boolean or fast",
            "cache_spill, -5, must be a boolean or a number of pages"})
    void extraValuesSqliteWouldIgnoreAreRefusedNamingTheProperty(String name, String value, String problem) {
        assertThatThrownBy(() -> PragmaSettings.builder().extra(Map.of(name, value)).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessageStartingWith("sqlite.pool.pragmas.extra." + name + " " + problem)
                .hasMessageEndingWith("was '" + value + "'");
    }

    @Test
    void extrasThatShapeTheDatabaseFileComeBeforeTheJournalMode() {
        PragmaSettings settings = PragmaSettings.builder()
                .extra(Map.of("trusted_schema", "off", "page_size", "8192", "auto_vacuum", "full")).build();
        assertThat(settings.pragmas()).extracting(Pragma::toString).containsExactly(
                "busy_timeout=5000", "page_size=8192", "auto_vacuum=full", "journal_mode=WAL", "synchronous=NORMAL",
                "cache_size=10000", "temp_store=MEMORY", "foreign_keys=ON", "trusted_schema=off");
    }

    /** The IDE completes the extra pragmas' names from the generated metadata's hints: exactly the allow-list. */
    @Test
    void theIdeHintsForExtraPragmaNamesAreTheAllowList() throws java.io.IOException {
        try (java.io.InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            List<String> hinted = com.jayway.jsonpath.JsonPath.parse(in)
                    .read("$.hints[?(@.name == 'sqlite.pool.pragmas.extra.keys')].values[*].value");
            assertThat(hinted).containsExactlyInAnyOrderElementsOf(PragmaSettings.EXTRA_ALLOWED);
        }
    }

    @Test
    void deferForeignKeysIsRefusedBecauseSqliteTurnsItOffAtEveryCommit() {
        assertThatThrownBy(() -> PragmaSettings.builder().extra(Map.of("defer_foreign_keys", "on")).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessageStartingWith("sqlite.pool.pragmas.extra.defer_foreign_keys is not allowed: SQLite turns it off"
                        + " at the end of every transaction")
                .hasMessageContaining("DEFERRABLE INITIALLY DEFERRED").hasMessageEndingWith("was 'on'");
    }

    @ParameterizedTest
    @CsvSource({"PT0.0005S, 'must be 0 (0 fails at once on another process''s lock) or at least 1ms: it is applied in"
            + " whole milliseconds, was 500us'", "PT-0.001S, 'must not be negative (0 fails at once on another process''s"
            + " lock), was -1ms'", "PT25H, 'must be at most 1d, was 25h'"})
    void aBusyTimeoutIsZeroOrWholeMillisecondsUpToADay(Duration value, String problem) {
        assertThatThrownBy(() -> PragmaSettings.builder().busyTimeout(value).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.pragmas.busy-timeout " + problem);
        assertThat(PragmaSettings.builder().busyTimeout(Duration.ZERO).build().pragmas())
                .contains(new Pragma("busy_timeout", "0"));
    }

    @Test
    void anExclusiveLockingModeIsRefusedBecauseAPoolCannotShareIt() {
        assertThatThrownBy(() -> PragmaSettings.builder().extra(Map.of("locking_mode", "exclusive")).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessageStartingWith("sqlite.pool.pragmas.extra.locking_mode must be normal: a pool cannot share")
                .hasMessageContaining("SQLITE_BUSY").hasMessageEndingWith("was 'exclusive'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"writable_schema", "query_only", "key", "rekey", "temp_store_directory", "data_store_directory",
            "no_such_pragma", "", "case_sensitive_like"})
    void extrasOutsideTheAllowListAreRejectedWithTheirPropertyAndValue(String name) {
        assertThatThrownBy(() -> PragmaSettings.builder().extra(Map.of(name, "1")).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessageStartingWith("sqlite.pool.pragmas.extra." + name + " names a pragma that is not allowed")
                .hasMessageContaining("allowed: analysis_limit")
                .hasMessageEndingWith("was '1'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"journal_mode", "journal-mode", "SYNCHRONOUS", "cache_size", "temp_store", "busy_timeout",
            "foreign_keys", "mmap_size", "journal_size_limit", "wal_autocheckpoint"})
    void typedPragmasAreRefusedAsExtrasWithTheirPropertyNamed(String name) {
        assertThatThrownBy(() -> PragmaSettings.builder().extra(Map.of(name, "1")).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessageStartingWith("sqlite.pool.pragmas.extra." + name + " is not allowed: set sqlite.pool.pragmas.")
                .hasMessageEndingWith("was '1'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ON; DROP TABLE users", "1;", "'ON'", "\"ON\"", "ON -- comment", "/* x */ 1",
            "ON\nPRAGMA writable_schema = ON", "1 2", "ON)", "", "1.5", "0x10", "12345678901234567890"})
    void unsafeExtraValuesAreRejectedWithThePropertyAndTheValue(String value) {
        assertThatThrownBy(() -> PragmaSettings.builder().extra(Map.of("recursive_triggers", value)).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessageStartingWith("sqlite.pool.pragmas.extra.recursive_triggers must be a plain integer, "
                        + "boolean or single keyword")
                .hasMessageEndingWith("was '" + value.replace("\n", "\\n") + "'")
                .satisfies(e -> {
                    PoolConfigurationException config = (PoolConfigurationException) e;
                    assertThat(config.getProperty()).isEqualTo("sqlite.pool.pragmas.extra.recursive_triggers");
                    assertThat(config.getValue()).isEqualTo(value);
                });
    }

    @Test
    void aNullExtraValueIsRejected() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("recursive_triggers", null);
        assertThatThrownBy(() -> PragmaSettings.builder().extra(extra).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.pragmas.extra.recursive_triggers must be a plain integer, boolean or "
                        + "single keyword, was null");
    }

    @Test
    void twoSpellingsOfOneExtraAreRejected() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("recursive_triggers", "ON");
        extra.put("recursive-triggers", "OFF");
        assertThatThrownBy(() -> PragmaSettings.builder().extra(extra).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessageContaining("sqlite.pool.pragmas.extra.recursive-triggers sets pragma recursive_triggers "
                        + "a second time");
    }

    @Test
    void typedValuesAreRangeChecked() {
        assertThatThrownBy(() -> PragmaSettings.builder().busyTimeout(Duration.ofDays(30)).build())
                .hasMessageStartingWith("sqlite.pool.pragmas.busy-timeout must be at most 1d");
        assertThatThrownBy(() -> PragmaSettings.builder().mmapSize(-1L).build())
                .hasMessage("sqlite.pool.pragmas.mmap-size must not be negative, was -1");
        assertThatThrownBy(() -> PragmaSettings.builder().journalSizeLimit(-2L).build())
                .hasMessage("sqlite.pool.pragmas.journal-size-limit must be -1 (no limit) or a number of bytes, was -2");
        assertThatThrownBy(() -> PragmaSettings.builder().walAutocheckpoint(-5).build())
                .hasMessage("sqlite.pool.pragmas.wal-autocheckpoint must not be negative, was -5");
        assertThat(PragmaSettings.builder().busyTimeout(Duration.ZERO).cacheSize(-2000).build().pragmas())
                .contains(new Pragma("busy_timeout", "0"), new Pragma("cache_size", "-2000"));
    }

    @Test
    void unsetEnumsAreRejectedWithTheirProperty() {
        assertThatThrownBy(() -> PragmaSettings.builder().journalMode(null).build())
                .hasMessage("sqlite.pool.pragmas.journal-mode must be set, was null");
        assertThatThrownBy(() -> PragmaSettings.builder().synchronous(null).build())
                .hasMessage("sqlite.pool.pragmas.synchronous must be set, was null");
        assertThatThrownBy(() -> PragmaSettings.builder().tempStore(null).build())
                .hasMessage("sqlite.pool.pragmas.temp-store must be set, was null");
        assertThatThrownBy(() -> PragmaSettings.builder().busyTimeout(null).build())
                .hasMessage("sqlite.pool.pragmas.busy-timeout must be set, was null");
    }

    @Test
    void aPragmaIsBuiltOnlyFromACheckedNameAndValue() {
        assertThat(new Pragma("cache_size", "-2000").sql()).isEqualTo("PRAGMA cache_size = -2000");
        assertThat(new Pragma("journal_mode", "WAL").querySql()).isEqualTo("PRAGMA journal_mode");
        for (String name : List.of("Cache_Size", "cache size", "cache_size;", "main.cache_size", "")) {
            assertThatThrownBy(() -> new Pragma(name, "1")).isInstanceOf(IllegalArgumentException.class);
        }
        for (String value : List.of("1;", "'a'", "a b", "--", "", "1e3")) {
            assertThatThrownBy(() -> new Pragma("cache_size", value)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new Pragma(null, "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pragma("cache_size", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
