package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.github.sqlitepool.pool.config.PoolConfigurationException;
import org.junit.jupiter.api.Test;

class StateManagerOptionsTest {

    @Test
    void anOperationTimeoutTooLongForJdbcNamesTheUpperBound() {
        Duration tooLong = Duration.ofSeconds(Integer.MAX_VALUE + 1L);

        assertThatThrownBy(() -> StateManagerOptions.defaults().withOperationTimeout(tooLong))
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessageContaining("sqlite.pool.state-manager.operation-timeout")
                .hasMessageContaining("must be under " + Integer.MAX_VALUE + " seconds")
                .hasMessageNotContaining("at least 1s");
    }

    @Test
    void anOperationTimeoutUnderOneSecondNamesTheLowerBound() {
        assertThatThrownBy(() -> StateManagerOptions.defaults().withOperationTimeout(Duration.ofMillis(999)))
                .isInstanceOf(PoolConfigurationException.class).hasMessageContaining("must be at least 1s");
    }
}
