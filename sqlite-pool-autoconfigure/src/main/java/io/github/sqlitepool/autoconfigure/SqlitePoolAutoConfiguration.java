package io.github.sqlitepool.autoconfigure;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.UnpooledSqliteDataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Creates the SQLite {@link DataSource} from {@code sqlite.pool.*}, before Spring Boot's own
 * data source auto-configuration, so that {@code JdbcTemplate}, {@code JdbcClient} and the
 * transaction manager are built on it. Backs off when the application defines a
 * {@code DataSource} or points {@code spring.datasource.url} at another database.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ DataSource.class, org.sqlite.JDBC.class })
@ConditionalOnMissingBean(DataSource.class)
@Conditional(OnSqliteOrNoDataSourceUrlCondition.class)
@EnableConfigurationProperties(SqlitePoolProperties.class)
public class SqlitePoolAutoConfiguration {

    /** The pool, when {@code sqlite.pool.enabled} is true (the default). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "sqlite.pool.enabled", matchIfMissing = true)
    static class Pooled {

        @Bean(destroyMethod = "close")
        SqlitePool dataSource(SqlitePoolProperties properties, Environment environment) {
            return new SqlitePool(PoolConfigFactory.create(properties, environment));
        }
    }

    /** One connection per lease, when {@code sqlite.pool.enabled} is false. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "sqlite.pool.enabled", havingValue = false)
    static class Unpooled {

        @Bean(destroyMethod = "close")
        UnpooledSqliteDataSource dataSource(SqlitePoolProperties properties, Environment environment) {
            return new UnpooledSqliteDataSource(PoolConfigFactory.create(properties, environment));
        }
    }
}
