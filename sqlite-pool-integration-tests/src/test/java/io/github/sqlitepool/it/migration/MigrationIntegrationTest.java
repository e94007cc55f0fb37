package io.github.sqlitepool.it.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;

import io.github.sqlitepool.it.Database;
import io.github.sqlitepool.it.Integration;
import io.github.sqlitepool.it.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Flyway and Liquibase migrating a SQLite database at startup, through the starter's pool. */
class MigrationIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void flywayMigratesANewDatabaseAtStartup() {
        try (ConfigurableApplicationContext context = start(Integration.FLYWAY, MigrationApplication.FLYWAY)) {
            assertBook(context, "Flyway on SQLite");
            assertThat(jdbc(context).sql("SELECT count(*) FROM flyway_schema_history WHERE success = 1")
                    .query(Long.class).single()).isEqualTo(1);
        }
    }

    @Test
    void liquibaseMigratesANewDatabaseAtStartup() {
        try (ConfigurableApplicationContext context = start(Integration.LIQUIBASE, MigrationApplication.LIQUIBASE)) {
            assertBook(context, "Liquibase on SQLite");
            assertThat(jdbc(context).sql("SELECT count(*) FROM DATABASECHANGELOG").query(Long.class).single())
                    .isEqualTo(1);
        }
    }

    // Issue 17 (StateManager part): the StateManager used to create its 'stories' table at startup,
    // so Flyway added later failed with "Found non-empty schema(s) "main" but no schema history
    // table"; now it touches the database only when the application uses it.
    @Test
    void flywayAddedToAnApplicationThatAlreadyRanWithOnlyTheStarterMigratesAtStartup() {
        runWithOnlyTheStarter();
        try (ConfigurableApplicationContext context = start(Integration.FLYWAY, MigrationApplication.FLYWAY)) {
            assertBook(context, "Flyway on SQLite");
        }
    }

    /** The workaround docs/integrations/flyway-liquibase.md gives until the StateManager is lazy. */
    @Test
    void flywayAddedLaterWithBaselineOnMigrateAtVersionZeroAppliesEveryMigration() {
        runWithOnlyTheStarter();
        try (ConfigurableApplicationContext context = TestApplications.run(Database.POOL, url(),
                Set.of(Integration.FLYWAY), MigrationApplication.class, MigrationApplication.FLYWAY,
                "spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0")) {
            assertBook(context, "Flyway on SQLite");
        }
    }

    @Test
    void liquibaseAddedToAnApplicationThatAlreadyRanWithOnlyTheStarterMigratesAtStartup() {
        runWithOnlyTheStarter();
        try (ConfigurableApplicationContext context = start(Integration.LIQUIBASE, MigrationApplication.LIQUIBASE)) {
            assertBook(context, "Liquibase on SQLite");
        }
    }

    /** The application as it ran before the migration tool was added: it only read. */
    private void runWithOnlyTheStarter() {
        try (ConfigurableApplicationContext context = TestApplications.run(Database.POOL, url(), Set.of(),
                MigrationApplication.class)) {
            assertThat(jdbc(context).sql("SELECT sqlite_version()").query(String.class).single()).isNotBlank();
        }
    }

    private static void assertBook(ConfigurableApplicationContext context, String title) {
        assertThat(jdbc(context).sql("SELECT title FROM book").query(String.class).list()).containsExactly(title);
    }

    private static JdbcClient jdbc(ConfigurableApplicationContext context) {
        return context.getBean(JdbcClient.class);
    }

    private ConfigurableApplicationContext start(Integration tool, String location) {
        return TestApplications.run(Database.POOL, url(), Set.of(tool), MigrationApplication.class, location);
    }

    private String url() {
        return TestApplications.url(dir, "migration.db");
    }
}
