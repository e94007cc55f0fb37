package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

import io.github.sqlitepool.pool.config.PoolConfigurationException;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class LeakDetectorTest {

    @TempDir
    Path dir;

    private SqlitePoolConfig.Builder config(String name) {
        return SqlitePoolConfig.builder().url("jdbc:sqlite:" + dir.resolve(name + ".db")).name(name).maxConnections(2);
    }

    @Test
    void leaseHeldPastThresholdLogsOneWarningWithStateAndStackThenOneInfoWhenReturned(CapturedOutput output)
            throws Exception {
        try (SqlitePool pool = new SqlitePool(config("leaky").leakDetectionThreshold(Duration.ofMillis(50)).build())) {
            Connection lease = pool.getConnection();
            await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("possible leak"));
            assertThat(output.getOut())
                    .contains("WARN")
                    .contains("Pool 'leaky': a connection taken by thread '" + Thread.currentThread().getName() + "'")
                    .contains("pool 'leaky' (max 2, total 2, active 1, idle 1, waiting 0); write lane free, 0 waiting")
                    .contains("LeakDetector$LeaseOrigin: connection of pool 'leaky' leased here")
                    .contains("leased here by thread '" + Thread.currentThread().getName() + "'" + System.lineSeparator()
                            + "\tat " + getClass().getName()
                            + ".leaseHeldPastThresholdLogsOneWarningWithStateAndStackThenOneInfoWhenReturned");
            lease.close();
            assertThat(output.getOut()).containsOnlyOnce("has been held for more than 50 ms")
                    .containsOnlyOnce("the connection reported as a possible leak was returned after");
            assertThat(output.getOut()).containsPattern("INFO .*the connection reported as a possible leak was returned");
        }
    }

    @Test
    void leaseReturnedInTimeIsForgottenWithoutLogging(CapturedOutput output) throws Exception {
        LeakDetector detector = new LeakDetector("quick", Duration.ofHours(1),
                () -> "pool 'quick'");
        try (SqlitePool pool = new SqlitePool(config("quick").build())) {
            pool.addListener(detector);
            try (Connection lease = pool.getConnection()) {
                assertThat(detector.watched()).isEqualTo(1);
            }
            assertThat(detector.watched()).isZero();
        }
        assertThat(output.getOut()).doesNotContain("possible leak");
    }

    @Test
    void offByDefaultAndWhenZero() {
        assertThat(config("off").build().leakDetectionThreshold()).isEmpty();
        assertThat(config("zero").leakDetectionThreshold(Duration.ZERO).build().leakDetectionThreshold()).isEmpty();
        assertThat(config("on").leakDetectionThreshold(Duration.ofSeconds(2)).build().leakDetectionThreshold())
                .contains(Duration.ofSeconds(2));
    }

    @Test
    void negativeThresholdIsRejectedWithThePropertyName() {
        assertThatThrownBy(() -> config("negative").leakDetectionThreshold(Duration.ofSeconds(-1)).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.leak-detection-threshold must not be negative"
                        + " (0 or unset turns leak detection off), was -1s");
    }
}
