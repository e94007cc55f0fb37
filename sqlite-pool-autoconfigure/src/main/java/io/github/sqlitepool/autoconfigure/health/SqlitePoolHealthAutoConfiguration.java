package io.github.sqlitepool.autoconfigure.health;

import java.util.Map;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.autoconfigure.StartupPropertiesCheck;
import io.github.sqlitepool.pool.SqlitePool;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code sqlite} health contributor: one {@link SqlitePoolHealthIndicator} per
 * {@link SqlitePool} bean (a composite when there are several). Applies when Spring Boot's
 * health module is present and {@code management.health.sqlite.enabled} is not false.
 */
@AutoConfiguration(after = SqlitePoolAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(SqlitePool.class)
@ConditionalOnEnabledHealthIndicator("sqlite")
@EnableConfigurationProperties(SqlitePoolHealthProperties.class)
public class SqlitePoolHealthAutoConfiguration
        extends CompositeHealthContributorConfiguration<SqlitePoolHealthIndicator, SqlitePool> {

    /** Checks {@code sqlite.pool.health.*} before any bean exists, so before the pool opens the database. */
    @Bean
    static StartupPropertiesCheck sqlitePoolHealthPropertiesCheck() {
        return new StartupPropertiesCheck(binder -> binder.bind("sqlite.pool.health", SqlitePoolHealthProperties.class)
                .orElseGet(SqlitePoolHealthProperties::new).validate());
    }

    public SqlitePoolHealthAutoConfiguration(SqlitePoolHealthProperties properties) {
        super(pool -> new SqlitePoolHealthIndicator(pool, properties.getTimeout(),
                properties.getQuickCheckInterval()));
    }

    /** Named so that Actuator lists it as {@code sqlite}. */
    @Bean
    @ConditionalOnMissingBean(name = { "sqliteHealthIndicator", "sqliteHealthContributor" })
    HealthContributor sqliteHealthContributor(Map<String, SqlitePool> pools) {
        return createContributor(pools);
    }
}
