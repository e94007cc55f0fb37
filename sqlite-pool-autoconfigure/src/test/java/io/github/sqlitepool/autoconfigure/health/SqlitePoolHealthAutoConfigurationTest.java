package io.github.sqlitepool.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.autoconfigure.metrics.SqlitePoolMetadataAutoConfiguration;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SqlitePoolHealthAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        SqlitePoolHealthAutoConfiguration.class, SqlitePoolMetadataAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                        HealthContributorRegistryAutoConfiguration.class,
                        DataSourceHealthContributorAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("app.db"));
    }

    @Test
    void contributesAnIndicatorNamedSqliteThatIsUp() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(SqlitePoolHealthIndicator.class);
            HealthContributor contributor = context.getBean(HealthContributorRegistry.class).getContributor("sqlite");
            assertThat(contributor).isInstanceOf(SqlitePoolHealthIndicator.class);
            Health health = ((HealthIndicator) contributor).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("pool", "sqlite-pool").containsEntry("max", 5);
        });
    }

    @Test
    void springBootsOwnDbHealthWorksOnThePool() {
        runner().run(context -> {
            HealthContributor db = context.getBean(HealthContributorRegistry.class).getContributor("db");
            Health health = ((HealthIndicator) db).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("database", "SQLite")
                    .containsEntry("validationQuery", "SELECT 1");
        });
    }

    @Test
    void usesTheHealthProperties() {
        runner().withPropertyValues("sqlite.pool.health.timeout=3s", "sqlite.pool.health.quick-check-interval=1h")
                .run(context -> {
                    SqlitePoolHealthProperties properties = context.getBean(SqlitePoolHealthProperties.class);
                    assertThat(properties.getTimeout()).hasSeconds(3);
                    assertThat(properties.getQuickCheckInterval()).hasHours(1);
                });
    }

    @Test
    void aNegativeQuickCheckIntervalStopsStartupNamingTheProperty() {
        runner().withPropertyValues("sqlite.pool.health.quick-check-interval=-1m")
                .run(context -> assertThat(context).getFailure()
                        .hasMessage("sqlite.pool.health.quick-check-interval must not be negative, was -1m"));
    }

    @Test
    void defaultsAreFiveMinutesAndOneSecond() {
        SqlitePoolHealthProperties properties = new SqlitePoolHealthProperties();
        assertThat(properties.getQuickCheckInterval()).hasMinutes(5);
        assertThat(properties.getTimeout()).hasSeconds(1);
    }

    @Test
    void backsOffWhenTheIndicatorIsDisabled() {
        runner().withPropertyValues("management.health.sqlite.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SqlitePoolHealthIndicator.class)
                        .doesNotHaveBean("sqliteHealthContributor"));
    }

    @Test
    void backsOffWhenAllDefaultIndicatorsAreDisabled() {
        runner().withPropertyValues("management.health.defaults.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("sqliteHealthContributor"));
    }

    /**
     * Imported as an application imports it, so that the class condition is checked from the
     * auto-configuration metadata before the class (which needs the health module) is read.
     */
    @Test
    void backsOffWithoutTheHealthModule() {
        new ApplicationContextRunner().withUserConfiguration(ImportedAsInAnApplication.class)
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("app.db"))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SqlitePool.class)
                        .doesNotHaveBean("sqliteHealthContributor"));
    }

    @Test
    void importedAsInAnApplicationWithTheHealthModuleItApplies() {
        new ApplicationContextRunner().withUserConfiguration(ImportedAsInAnApplication.class)
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("app.db"))
                .run(context -> assertThat(context).hasSingleBean(SqlitePoolHealthIndicator.class));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SqlitePoolAutoConfiguration.class, SqlitePoolHealthAutoConfiguration.class })
    static class ImportedAsInAnApplication {
    }

    @Test
    void backsOffWhenThereIsNoPool() {
        runner().withPropertyValues("sqlite.pool.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("sqliteHealthContributor"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnContributor() {
        runner().withBean("sqliteHealthContributor", HealthIndicator.class, () -> () -> Health.up().build())
                .run(context -> assertThat(context).doesNotHaveBean(SqlitePoolHealthIndicator.class));
    }

    @Test
    void severalPoolsMakeACompositeWithOneEntryPerPool() {
        runner().withUserConfiguration(TwoPools.class).run(context -> {
            HealthContributor contributor = context.getBean(HealthContributorRegistry.class).getContributor("sqlite");
            assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
            CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
            assertThat(composite.getContributor("first")).isInstanceOf(SqlitePoolHealthIndicator.class);
            assertThat(composite.getContributor("second")).isInstanceOf(SqlitePoolHealthIndicator.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoPools {

        @Bean(destroyMethod = "close")
        SqlitePool first() {
            return new SqlitePool(SqlitePoolConfig.builder()
                    .url("jdbc:sqlite::memory:").name("first").maxConnections(1).build());
        }

        @Bean(destroyMethod = "close")
        SqlitePool second() {
            return new SqlitePool(SqlitePoolConfig.builder()
                    .url("jdbc:sqlite::memory:").name("second").maxConnections(1).build());
        }
    }
}
