package io.github.sqlitepool.state.autoconfigure;

import javax.sql.DataSource;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.autoconfigure.StartupPropertiesCheck;
import io.github.sqlitepool.state.StateManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@link StateManager} on the application's data source, SQLite or PostgreSQL (picked from
 * the connection's metadata on first use; any other database fails then, naming it). Creating the
 * bean touches nothing: the {@code stories} table (and the backup taken before migrating a
 * database that has tables) appear when the application first calls the manager, or at startup
 * with {@code sqlite.pool.state-manager.migrate-on-startup=true}. In that eager mode the bean
 * depends on database initialization, so the application's own Flyway, Liquibase or
 * {@code schema.sql} run first. A user-defined {@code StateManager} replaces this one;
 * {@code sqlite.pool.state-manager.enabled=false} turns it off.
 */
@AutoConfiguration(after = { SqlitePoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        TransactionAutoConfiguration.class },
        afterName = { "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration" })
@ConditionalOnClass({ JdbcTemplate.class, PlatformTransactionManager.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "sqlite.pool.state-manager.enabled", matchIfMissing = true)
@EnableConfigurationProperties(StateManagerProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class StateManagerAutoConfiguration {

    /** Checks {@code sqlite.pool.state-manager.*} before any bean exists, so before the pool opens the database. */
    @Bean
    static StartupPropertiesCheck stateManagerPropertiesCheck() {
        return new StartupPropertiesCheck(binder -> binder.bind("sqlite.pool.state-manager", StateManagerProperties.class)
                .orElseGet(StateManagerProperties::new).toOptions());
    }

    @Bean
    @ConditionalOnMissingBean(StateManager.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    @DependsOnDatabaseInitialization
    StateManager stateManager(DataSource dataSource, ObjectProvider<PlatformTransactionManager> transactionManager,
            StateManagerProperties properties) {
        StateManager stateManager = new StateManager(dataSource,
                transactionManager.getIfUnique(() -> new DataSourceTransactionManager(dataSource)),
                properties.toOptions());
        if (properties.isMigrateOnStartup()) {
            stateManager.migrate();
        }
        return stateManager;
    }
}
