package io.github.sqlitepool.autoconfigure.metrics;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.pool.SqlitePool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters {@code sqlite.pool.*} for every {@link SqlitePool} bean, when the
 * application has a {@link MeterRegistry}. Spring Boot binds the {@link MeterBinder} bean to
 * its registry.
 */
@AutoConfiguration(after = SqlitePoolAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, MeterBinder.class })
@ConditionalOnBean({ MeterRegistry.class, SqlitePool.class })
public class SqlitePoolMetricsAutoConfiguration {

    @Bean
    SqlitePoolMeterBinder sqlitePoolMeterBinder(ObjectProvider<SqlitePool> pools) {
        return new SqlitePoolMeterBinder(pools);
    }

    /** Binds the meters of every pool in the context. */
    static final class SqlitePoolMeterBinder implements MeterBinder {

        private final ObjectProvider<SqlitePool> pools;

        SqlitePoolMeterBinder(ObjectProvider<SqlitePool> pools) {
            this.pools = pools;
        }

        @Override
        public void bindTo(MeterRegistry registry) {
            pools.orderedStream().forEach(pool -> new SqlitePoolMetrics(pool).bindTo(registry));
        }
    }
}
