package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.PoolConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class SqlitePoolLeakDetectionPropertyTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("app.db"));
    }

    @Test
    void offByDefault() {
        runner().run(context -> {
            assertThat(context.getBean(SqlitePoolProperties.class).getLeakDetectionThreshold()).isNull();
            assertThat(context.getBean(SqlitePool.class).config().leakDetectionThreshold()).isEmpty();
        });
    }

    @Test
    void thresholdFromThePropertyReportsALeakedLease(CapturedOutput output) {
        runner().withPropertyValues("sqlite.pool.leak-detection-threshold=50ms", "sqlite.pool.name=app").run(context -> {
            SqlitePool pool = context.getBean(SqlitePool.class);
            assertThat(pool.config().leakDetectionThreshold()).contains(Duration.ofMillis(50));
            try (Connection lease = pool.getConnection()) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> output.getOut().contains("Pool 'app': a connection taken by thread"));
            }
            assertThat(output.getOut()).contains("Pool 'app': the connection reported as a possible leak was returned");
        });
    }

    @Test
    void negativeThresholdStopsStartupNamingTheProperty() {
        runner().withPropertyValues("sqlite.pool.leak-detection-threshold=-5s")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(PoolConfigurationException.class)
                        .hasMessageStartingWith("sqlite.pool.leak-detection-threshold must not be negative"));
    }
}
