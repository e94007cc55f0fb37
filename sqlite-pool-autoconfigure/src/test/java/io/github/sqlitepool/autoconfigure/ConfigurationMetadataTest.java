package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
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
                "sqlite.pool.pragmas.extra");
        for (Map<String, Object> property : properties) {
            assertThat((String) property.get("description")).as("description of %s", property.get("name"))
                    .isNotBlank();
        }
    }

    @Test
    void defaultsAreDocumented() throws IOException {
        Map<Object, Object> defaults = new java.util.HashMap<>();
        for (Map<String, Object> property : properties()) {
            defaults.put(property.get("name"), property.get("defaultValue"));
        }
        assertThat(defaults).containsEntry("sqlite.pool.enabled", true)
                .containsEntry("sqlite.pool.name", "sqlite-pool")
                .containsEntry("sqlite.pool.max-connections", 5)
                .containsEntry("sqlite.pool.acquire-timeout", "5s")
                .containsEntry("sqlite.pool.shutdown-timeout", "10s")
                .containsEntry("sqlite.pool.pragmas.journal-mode", "wal")
                .containsEntry("sqlite.pool.pragmas.synchronous", "normal")
                .containsEntry("sqlite.pool.pragmas.cache-size", 10000)
                .containsEntry("sqlite.pool.pragmas.temp-store", "memory")
                .containsEntry("sqlite.pool.pragmas.busy-timeout", "5s")
                .containsEntry("sqlite.pool.pragmas.foreign-keys", true)
                .containsEntry("sqlite.pool.write-lane.enabled", true)
                .containsEntry("sqlite.pool.health.quick-check-interval", "5m");
    }
}
