package io.github.sqlitepool.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.pool.SqlitePool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SqlitePoolMetricsAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        SqlitePoolMetricsAutoConfiguration.class, SqlitePoolMetadataAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("app.db"),
                        "sqlite.pool.name=orders");
    }

    private ApplicationContextRunner withRegistry() {
        return runner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));
    }

    @Test
    void bindsThePoolMetersToTheApplicationsRegistry() {
        withRegistry().run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            try (Connection lease = context.getBean(SqlitePool.class).getConnection()) {
                assertThat(registry.get("sqlite.pool.connections.active").tag("pool", "orders").gauge().value())
                        .isEqualTo(1);
            }
            assertThat(registry.get("sqlite.pool.connections.max").tag("pool", "orders").gauge().value())
                    .isEqualTo(5);
            assertThat(registry.get("sqlite.pool.connections.usage").tag("pool", "orders").functionTimer().count())
                    .isEqualTo(1);
            assertThat(registry.find("sqlite.pool.connections.timeout").tag("pool", "orders").counter()).isNotNull();
        });
    }

    @Test
    void springBootsOwnJdbcConnectionMetersReadThePool() {
        withRegistry().run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            try (Connection lease = context.getBean(SqlitePool.class).getConnection()) {
                assertThat(registry.get("jdbc.connections.active").gauge().value()).isEqualTo(1);
                assertThat(registry.get("jdbc.connections.idle").gauge().value()).isEqualTo(4);
            }
            assertThat(registry.get("jdbc.connections.max").gauge().value()).isEqualTo(5);
            assertThat(registry.get("jdbc.connections.min").gauge().value()).isEqualTo(5);
        });
    }

    @Test
    void backsOffWithoutAMeterRegistryBean() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MeterBinder.class));
    }

    @Test
    void backsOffWithoutMicrometer() {
        runner().withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("sqlitePoolMeterBinder"));
    }

    @Test
    void backsOffWhenThereIsNoPool() {
        withRegistry().withPropertyValues("sqlite.pool.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("sqlitePoolMeterBinder"));
    }
}
