package io.github.sqlitepool.state.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import javax.sql.DataSource;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.PoolConfigurationException;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import io.github.sqlitepool.state.ProcessingStatus;
import io.github.sqlitepool.state.StateManager;
import io.github.sqlitepool.state.StateManagerOptions;
import io.github.sqlitepool.state.StoryUpdate;
import org.h2.Driver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

class StateManagerAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner(String file) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, StateManagerAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve(file), "spring.flyway.enabled=false");
    }

    @Test
    void createsAStateManagerOnThePoolThatMigratesOnFirstUse() {
        runner("state.db").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(StateManager.class);
            StateManager state = context.getBean(StateManager.class);
            assertThat(storiesTables(context)).isZero();
            assertThat(state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING)).version())
                    .isEqualTo(1);
            assertThat(state.schemaVersion()).isEqualTo(2);
            assertThat(state.health().poolEnabled()).isTrue();
        });
    }

    @Test
    void leavesTheApplicationsDatabaseAloneUntilUsed() throws Exception {
        Path file = dir.resolve("app.db");
        try (SqlitePool pool = new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + file).build())) {
            new JdbcTemplate(pool).execute("CREATE TABLE customer (id INTEGER PRIMARY KEY)");
        }
        runner("app.db").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(StateManager.class);
            assertThat(storiesTables(context)).isZero();
            assertThat(dir.resolve("backups")).doesNotExist();
        });
    }

    @Test
    void migratesAtStartupWhenAskedTo() {
        runner("state.db").withPropertyValues("sqlite.pool.state-manager.migrate-on-startup=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(storiesTables(context)).isEqualTo(1);
            assertThat(context.getBean(StateManager.class).isMigrated()).isTrue();
        });
    }

    @Test
    void flywayAddedLaterToAnApplicationThatRanWithTheStarterOnly() {
        runner("later.db").run(context -> assertThat(context).hasNotFailed().hasSingleBean(StateManager.class));

        runner("later.db").withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues("spring.flyway.enabled=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'"
                            + " AND success", Integer.class)).isEqualTo(1);
                    assertThat(context.getBean(StateManager.class).getAllStories()).isEmpty();
                });
    }

    @Test
    void flywayAddedAfterTheStateManagerWasUsedNeedsABaselineAtVersionZero() {
        runner("used.db").run(context -> context.getBean(StateManager.class)
                .updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING)));

        runner("used.db").withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues("spring.flyway.enabled=true", "spring.flyway.baseline-on-migrate=true",
                        "spring.flyway.baseline-version=0")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer", Integer.class)).isZero();
                    assertThat(context.getBean(StateManager.class).getAllStories()).hasSize(1);
                });
    }

    private static int storiesTables(org.springframework.context.ApplicationContext context) {
        return context.getBean(JdbcTemplate.class)
                .queryForObject("SELECT COUNT(*) FROM sqlite_master WHERE name = 'stories'", Integer.class);
    }

    @Test
    void bindsBackupDirAndOperationTimeout() {
        Path backups = dir.resolve("my-backups");
        runner("state.db").withPropertyValues("sqlite.pool.state-manager.backup-dir=" + backups,
                "sqlite.pool.state-manager.operation-timeout=5s").run(context -> {
                    assertThat(context.getBean(StateManagerProperties.class).getOperationTimeout()).hasSeconds(5);
                    assertThat(context.getBean(StateManager.class).createBackup().getParent()).isEqualTo(backups);
                });
    }

    @Test
    void rejectsATooShortOperationTimeoutNamingThePropertyBeforeTheDatabaseIsOpened() {
        runner("never.db").withPropertyValues("sqlite.pool.state-manager.operation-timeout=10ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(PoolConfigurationException.class)
                    .hasMessageContaining("sqlite.pool.state-manager.operation-timeout").hasMessageContaining("was 10ms");
        });
        assertThat(dir.resolve("never.db")).doesNotExist();
    }

    @Test
    void aBackupDirThatIsAFileStopsStartupBeforeTheDatabaseIsOpened() throws Exception {
        Path notADirectory = java.nio.file.Files.writeString(dir.resolve("backups.txt"), "a file");
        runner("never.db").withPropertyValues("sqlite.pool.state-manager.backup-dir=" + notADirectory).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(PoolConfigurationException.class)
                    .hasMessage("sqlite.pool.state-manager.backup-dir exists and is not a directory; name a directory"
                            + " (it is created when missing), was '" + notADirectory + "'");
        });
        assertThat(dir.resolve("never.db")).doesNotExist();
    }

    @Test
    void disabledByProperty() {
        runner("state.db").withPropertyValues("sqlite.pool.state-manager.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(StateManager.class)
                    .doesNotHaveBean(StateManagerProperties.class);
            assertThat(context.getBean(JdbcTemplate.class)
                    .queryForObject("SELECT COUNT(*) FROM sqlite_master WHERE name = 'stories'", Integer.class)).isZero();
        });
    }

    @Test
    void aUserStateManagerReplacesIt() {
        runner("state.db").withUserConfiguration(UserStateManager.class).run(context -> {
            assertThat(context).hasSingleBean(StateManager.class);
            assertThat(context.getBean(StateManager.class)).isSameAs(context.getBean("myStateManager"));
            // The auto-configured bean would have migrated the schema; the user's was not asked to.
            assertThat(context.getBean(StateManager.class).schemaVersion()).isZero();
        });
    }

    @Test
    void aDatabaseThatIsNeitherSqliteNorPostgresFailsOnFirstUseNamingIt() {
        runner("state.db").withPropertyValues("spring.datasource.url=jdbc:h2:mem:user")
                .withUserConfiguration(UserDataSource.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThatThrownBy(() -> context.getBean(StateManager.class).getAllStories())
                            .hasMessageContaining("supports SQLite and PostgreSQL, but the data source is H2");
                });
    }

    @Test
    void failsAtStartupNamingADatabaseThatIsNeitherSqliteNorPostgresWhenMigratingAtStartup() {
        runner("state.db").withPropertyValues("spring.datasource.url=jdbc:h2:mem:user",
                "sqlite.pool.state-manager.migrate-on-startup=true")
                .withUserConfiguration(UserDataSource.class)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("supports SQLite and PostgreSQL, but the data source is H2")
                        .hasMessageContaining("sqlite.pool.state-manager.enabled=false"));
    }

    @Test
    void backsOffWithoutADataSource() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(StateManagerAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(StateManager.class));
    }

    @Test
    void migratesAfterFlywaySoThatFlywayMeetsTheFreshDatabaseItExpects() {
        ApplicationContextRunner withFlyway = runner("flyway.db")
                .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues("spring.flyway.enabled=true", "sqlite.pool.state-manager.migrate-on-startup=true");

        withFlyway.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanFactory().getBeanDefinition("stateManager").getDependsOn())
                    .isNotNull().contains("flywayInitializer");
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1' AND success",
                    Integer.class)).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer", Integer.class)).isZero();
            assertThat(context.getBean(StateManager.class).schemaVersion()).isEqualTo(2);
            context.getBean(StateManager.class)
                    .updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
        });
        // A restart finds Flyway's history and the state schema in place; both leave it alone.
        withFlyway.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(StateManager.class).getAllStories()).hasSize(1);
        });
    }

    @Test
    void flywayWouldRefuseIfTheStateSchemaCameFirst() {
        // The failure the ordering above avoids: Flyway on a database that already has the stories table.
        Path file = dir.resolve("first.db");
        try (SqlitePool pool = new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + file).build())) {
            new StateManager(pool, StateManagerOptions.defaults()).migrate();
        }
        runner("first.db").withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues("spring.flyway.enabled=true").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("non-empty schema");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDataSource {

        @Bean
        DataSource dataSource() {
            return new SimpleDriverDataSource(new Driver(), "jdbc:h2:mem:user;DB_CLOSE_DELAY=-1");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserStateManager {

        @Bean
        StateManager myStateManager(DataSource dataSource) {
            return new StateManager(dataSource, StateManagerOptions.defaults());
        }
    }
}
