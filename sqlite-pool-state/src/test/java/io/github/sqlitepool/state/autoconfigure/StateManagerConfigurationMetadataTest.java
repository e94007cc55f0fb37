package io.github.sqlitepool.state.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.sqlitepool.state.StateManagerOptions;
import org.junit.jupiter.api.Test;

/** The state module's IDE metadata is generated from its properties' field Javadoc. */
class StateManagerConfigurationMetadataTest {

    @Test
    void everyStateManagerPropertyHasADescriptionAndItsDefault() throws IOException {
        List<Map<String, Object>> properties;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            properties = JsonPath.parse(in).read("$.properties");
        }
        Map<Object, Object> defaults = new HashMap<>();
        for (Map<String, Object> property : properties) {
            assertThat((String) property.get("description")).as("description of %s", property.get("name"))
                    .isNotBlank();
            defaults.put(property.get("name"), property.get("defaultValue"));
        }
        assertThat(defaults).containsEntry("sqlite.pool.state-manager.enabled", true)
                .containsEntry("sqlite.pool.state-manager.operation-timeout", "30s");
        assertThat(Duration.parse("PT30S")).isEqualTo(StateManagerOptions.DEFAULT_OPERATION_TIMEOUT);
    }
}
