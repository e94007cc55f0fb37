package io.github.sqlitepool.autoconfigure.metrics;

import io.github.sqlitepool.pool.SqlitePool;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;

/**
 * Tells Spring Boot's {@code db} health check and {@code jdbc.connections.*} metrics how
 * to read a {@link SqlitePool}; they need a {@link DataSourcePoolMetadataProvider} bean,
 * so this runs before them.
 */
@AutoConfiguration(before = { DataSourcePoolMetricsAutoConfiguration.class,
        DataSourceHealthContributorAutoConfiguration.class })
@ConditionalOnClass(SqlitePool.class)
public class SqlitePoolMetadataAutoConfiguration {

    @Bean
    DataSourcePoolMetadataProvider sqlitePoolDataSourcePoolMetadataProvider() {
        return SqlitePoolDataSourcePoolMetadata.provider();
    }
}
