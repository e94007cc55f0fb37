package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.sqlitepool.pool.config.CheckpointSettings;
import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;

/** The IDE metadata generated from the properties' field Javadoc is complete. */
class ConfigurationMetadataTest {

    private static List<Map<String, Object>> properties() throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            return JsonPath.parse(in).read("$.properties");
        }
    }

    @Test
    void everyPoolPropertyHasADescription() throws IOException {
        List<Map<String, Object>> properties = properties();
        assertThat(properties).extracting(p -> p.get("name")).contains("sqlite.pool.url", "sqlite.pool.enabled",
                "sqlite.pool.name", "sqlite.pool.max-connections", "sqlite.pool.acquire-timeout",
                "sqlite.pool.shutdown-timeout", "sqlite.pool.pragmas.journal-mode", "sqlite.pool.pragmas.synchronous",
                "sqlite.pool.pragmas.cache-size", "sqlite.pool.pragmas.temp-store", "sqlite.pool.pragmas.busy-timeout",
                "sqlite.pool.pragmas.foreign-keys", "sqlite.pool.pragmas.mmap-size",
                "sqlite.pool.pragmas.journal-size-limit", "sqlite.pool.pragmas.wal-autocheckpoint",
                "sqlite.pool.pragmas.extra", "sqlite.pool.write-lane.enabled",
                "sqlite.pool.write-lane.group-commit.enabled", "sqlite.pool.write-lane.group-commit.max-members",
                "sqlite.pool.write-lane.group-commit.max-age", "sqlite.pool.write-lane.group-commit.min-commit-time",
                "sqlite.pool.write-lane.group-commit.auto-commit-writes");
        for (Map<String, Object> property : properties) {
            assertThat((String) property.get("description")).as("description of %s", property.get("name"))
                    .isNotBlank();
        }
    }

    /**
     * The defaults shown in the IDE are the pool's constants. The annotation processor cannot
     * read a default that refers to a constant of another class, so they are listed in
     * additional-spring-configuration-metadata.json; this test keeps that list true.
     */
    @Test
    void defaultsAreDocumentedAndAreThePoolsDefaults() throws IOException {
        Map<Object, Object> defaults = new HashMap<>();
        for (Map<String, Object> property : properties()) {
            defaults.put(property.get("name"), property.get("defaultValue"));
        }
        assertThat(defaults).containsEntry("sqlite.pool.enabled", true)
                .containsEntry("sqlite.pool.name", SqlitePoolConfig.DEFAULT_NAME)
                .containsEntry("sqlite.pool.max-connections", SqlitePoolConfig.DEFAULT_MAX_CONNECTIONS)
                .containsEntry("sqlite.pool.acquire-timeout", seconds(SqlitePoolConfig.DEFAULT_ACQUIRE_TIMEOUT))
                .containsEntry("sqlite.pool.shutdown-timeout", seconds(SqlitePoolConfig.DEFAULT_SHUTDOWN_TIMEOUT))
                .containsEntry("sqlite.pool.statement-cache-size", SqlitePoolConfig.DEFAULT_STATEMENT_CACHE_SIZE)
                .containsEntry("sqlite.pool.write-lane.enabled", SqlitePoolConfig.DEFAULT_WRITE_LANE_ENABLED)
                .containsEntry("sqlite.pool.write-lane.group-commit.enabled", GroupCommitSettings.DEFAULTS.enabled())
                .containsEntry("sqlite.pool.write-lane.group-commit.max-members",
                        GroupCommitSettings.DEFAULTS.maxMembers())
                .containsEntry("sqlite.pool.write-lane.group-commit.max-age",
                        millis(GroupCommitSettings.DEFAULTS.maxAge()))
                .containsEntry("sqlite.pool.write-lane.group-commit.min-commit-time",
                        GroupCommitSettings.DEFAULTS.minCommitTime().toNanos() / 1000 + "us")
                .containsEntry("sqlite.pool.write-lane.group-commit.auto-commit-writes",
                        GroupCommitSettings.DEFAULTS.autoCommitWrites())
                .containsEntry("sqlite.pool.checkpoint.enabled", CheckpointSettings.DEFAULTS.enabled())
                .containsEntry("sqlite.pool.checkpoint.interval", seconds(CheckpointSettings.DEFAULTS.interval()))
                .containsEntry("sqlite.pool.checkpoint.truncate-wal-size", (int) CheckpointSettings.DEFAULTS.truncateWalSize())
                .containsEntry("sqlite.pool.checkpoint.max-writer-block",
                        millis(CheckpointSettings.DEFAULTS.maxWriterBlock()))
                .containsEntry("sqlite.pool.checkpoint.starvation-warning",
                        seconds(CheckpointSettings.DEFAULTS.starvationWarning()))
                .containsEntry("sqlite.pool.pragmas.journal-mode", lowerCase(PragmaSettings.DEFAULT_JOURNAL_MODE))
                .containsEntry("sqlite.pool.pragmas.synchronous", lowerCase(PragmaSettings.DEFAULT_SYNCHRONOUS))
                .containsEntry("sqlite.pool.pragmas.cache-size", PragmaSettings.DEFAULT_CACHE_SIZE)
                .containsEntry("sqlite.pool.pragmas.temp-store", lowerCase(PragmaSettings.DEFAULT_TEMP_STORE))
                .containsEntry("sqlite.pool.pragmas.busy-timeout", seconds(PragmaSettings.DEFAULT_BUSY_TIMEOUT))
                .containsEntry("sqlite.pool.pragmas.foreign-keys", PragmaSettings.DEFAULT_FOREIGN_KEYS)
                .containsEntry("sqlite.pool.health.quick-check-interval", "5m");
    }

    private static String seconds(Duration duration) {
        assertThat(duration.toMillis() % 1000).as("a default of whole seconds").isZero();
        return duration.toSeconds() + "s";
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + "ms";
    }

    private static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
