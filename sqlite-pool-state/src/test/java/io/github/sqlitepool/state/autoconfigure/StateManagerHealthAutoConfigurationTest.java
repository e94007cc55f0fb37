package io.github.sqlitepool.state.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.state.StateManager;
import io.github.sqlitepool.state.autoconfigure.health.StateManagerHealthAutoConfiguration;
import io.github.sqlitepool.state.autoconfigure.health.StateManagerHealthIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The StateManager's health appears as Actuator's {@code stateManager} contributor. */
class StateManagerHealthAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, StateManagerAutoConfiguration.class,
                        StateManagerHealthAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                        HealthContributorRegistryAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("state.db"),
                        "sqlite.pool.state-manager.backup-dir=" + dir.resolve("backups"));
    }

    @Test
    void upWithTheSchemaVersionAndPool() {
        runner().run(context -> {
            HealthIndicator indicator = (HealthIndicator) context.getBean(HealthContributorRegistry.class)
                    .getContributor("stateManager");
            assertThat(indicator).isInstanceOf(StateManagerHealthIndicator.class);
            Health beforeUse = indicator.health();
            assertThat(beforeUse.getStatus()).isEqualTo(Status.UP);
            assertThat(beforeUse.getDetails()).doesNotContainKey("schemaVersion").containsKey("schema");
            context.getBean(StateManager.class).getAllStories();
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("schemaVersion", 2).containsEntry("poolEnabled", true).containsEntry("poolSize", 5)
                    .containsEntry("database", dir.resolve("state.db").toAbsolutePath().toString());
        });
    }

    @Test
    void downWhenTheDatabaseFileIsGone() {
        runner().run(context -> {
            Files.delete(dir.resolve("state.db"));
            Health health = context.getBean(StateManagerHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsKey("error");
        });
    }

    @Test
    void offWhenDisabledOrWithoutTheHealthModule() {
        runner().withPropertyValues("management.health.statemanager.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(StateManagerHealthIndicator.class));
        runner().withClassLoader(new FilteredClassLoader(HealthContributor.class))
                .run(context -> assertThat(context).doesNotHaveBean(StateManagerHealthIndicator.class));
        runner().withPropertyValues("sqlite.pool.state-manager.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(StateManagerHealthIndicator.class));
    }
}
