package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.github.sqlitepool.autoconfigure.health.SqlitePoolHealthAutoConfiguration;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.PoolConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;

/**
 * Bad values stop startup with the failure block naming the property, before the database file
 * is opened; and a starter that stepped aside says why.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupValidationTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("app.db");
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        SqlitePoolHealthAutoConfiguration.class, HealthContributorAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + file());
    }

    /** Fails naming {@code property}, reported by the starter's analyzer, and the database file was never created. */
    private void assertRefusedBeforeOpening(ApplicationContextRunner runner, String property, String problem) {
        runner.run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(firstConfigurationFailure(failure)).hasMessageStartingWith(property + " " + problem);
            FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("Invalid sqlite-pool configuration: " + property);
            assertThat(analysis.getAction()).contains("'" + property + "'");
        });
        assertThat(file()).doesNotExist();
    }

    private static PoolConfigurationException firstConfigurationFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PoolConfigurationException configuration) {
                return configuration;
            }
        }
        throw new AssertionError("no PoolConfigurationException in the chain", failure);
    }

    @Test
    void anEmptyPathIsRefusedSayingHowToAskForMemory() {
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.url=jdbc:sqlite:"), "sqlite.pool.url",
                "names no database file");
    }

    @Test
    void anEmptyPathFromSpringDatasourceUrlNamesThatProperty() {
        assertRefusedBeforeOpening(new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:sqlite:"), "spring.datasource.url",
                "names no database file");
    }

    @Test
    void anExclusiveLockingModeIsRefused() {
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.pragmas.extra.locking_mode=exclusive"),
                "sqlite.pool.pragmas.extra.locking_mode", "must be normal: a pool cannot share");
    }

    @Test
    void aValueSqliteWouldIgnoreIsRefused() {
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.pragmas.extra.trusted_schema=maybe"),
                "sqlite.pool.pragmas.extra.trusted_schema", "must be a boolean");
    }

    @Test
    void aZeroHealthTimeoutIsRefused() {
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.health.timeout=0s"),
                "sqlite.pool.health.timeout", "must be greater than 0");
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.health.timeout=300000d"),
                "sqlite.pool.health.timeout", "must be at most 1d, was 300000d");
    }

    @Test
    void aNegativeQuickCheckIntervalIsRefused() {
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.health.quick-check-interval=-1m"),
                "sqlite.pool.health.quick-check-interval", "must not be negative");
    }

    @Test
    void aGroupOfOneIsRefused() {
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.write-lane.group-commit.max-members=1"),
                "sqlite.pool.write-lane.group-commit.max-members",
                "must be at least 2 (a group of one is no group), was 1");
    }

    @Test
    void aGroupThatTakesNoMembersIsRefused() {
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.write-lane.group-commit.max-age=0"),
                "sqlite.pool.write-lane.group-commit.max-age", "must be greater than 0, was 0s");
    }

    @Test
    void aNegativeMinimumCommitTimeIsRefused() {
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.write-lane.group-commit.min-commit-time=-1ms"),
                "sqlite.pool.write-lane.group-commit.min-commit-time",
                "must be between 0 (groups whenever transactions wait) and 1s, was -1ms");
    }

    @Test
    void groupedAutoCommitWritesWithoutGroupCommitStartWithAWarningThatTheyHaveNoEffect(CapturedOutput output) {
        runner().withPropertyValues("sqlite.pool.write-lane.group-commit.auto-commit-writes=true").run(context -> {
            assertThat(context).hasNotFailed(); // turning group commit off alone must stay a way to turn it off
            assertThat(context.getBean(SqlitePool.class).config().groupCommit().enabled()).isFalse();
        });
        assertThat(output).contains("WARN").contains("sqlite.pool.write-lane.group-commit.auto-commit-writes=true has no"
                + " effect while sqlite.pool.write-lane.group-commit.enabled=false");
    }

    @Test
    void groupCommitWithoutTheWriteLaneIsRefused() {
        assertRefusedBeforeOpening(runner().withPropertyValues("sqlite.pool.write-lane.group-commit.enabled=true",
                "sqlite.pool.write-lane.enabled=false"), "sqlite.pool.write-lane.group-commit.enabled",
                "needs the write lane: set sqlite.pool.write-lane.enabled=true, or turn group commit off, was true");
    }

    @Test
    void theFailureBlockOfARealApplicationNamesTheProperty(CapturedOutput output) {
        SpringApplication application = new SpringApplication(JdbcApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        Throwable failure = catchStartup(application, "--sqlite.pool.url=jdbc:sqlite:" + file(),
                "--sqlite.pool.pragmas.extra.trusted_schema=maybe");

        assertThat(failure).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid sqlite-pool configuration: sqlite.pool.pragmas.extra.trusted_schema must be a boolean")
                .doesNotContain("SQLITE_");
        assertThat(file()).doesNotExist();
    }

    @Test
    void aMistypedUrlMakesTheStarterStepAsideAndSaySo(CapturedOutput output) {
        Throwable failure = catchStartup(withoutPools("com.zaxxer.hikari"),
                "--spring.datasource.url=jdbc:sqllite:" + file());

        assertThat(failure).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("No JdbcClient bean: sqlite-pool stepped aside because spring.datasource.url is 'jdbc:sqllite:")
                .contains("no database Spring Boot knows uses that URL")
                .contains("correct spring.datasource.url to start with jdbc:sqlite: (it looks like a misspelling of it)");
    }

    @Test
    void aPostgresUrlWithoutItsDriverSaysTheDriverIsMissing(CapturedOutput output) {
        Throwable failure = catchStartup(withoutPools("com.zaxxer.hikari", "org.postgresql"),
                "--spring.datasource.url=jdbc:postgresql://localhost:5432/app");

        assertThat(failure).isNotNull();
        assertThat(output).contains("sqlite-pool stepped aside because spring.datasource.url is "
                + "'jdbc:postgresql://localhost:5432/app'")
                .contains("the postgresql driver (org.postgresql.Driver) is not on the classpath")
                .contains("add the postgresql JDBC driver and a connection pool");
    }

    @Test
    void otherMissingBeansAreLeftToSpringBootsAnalyzer() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url",
                "jdbc:postgresql://localhost:5432/app");
        SteppedAsideFailureAnalyzer analyzer = new SteppedAsideFailureAnalyzer(environment,
                new DefaultListableBeanFactory());
        runner().withUserConfiguration(NeedsSomethingElse.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(analyzer.analyze(context.getStartupFailure())).isNull();
        });
    }

    private SpringApplication withoutPools(String... hiddenPackages) {
        SpringApplication application = new SpringApplication(
                new DefaultResourceLoader(new FilteredClassLoader(hiddenPackages)), JdbcApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application;
    }

    private static Throwable catchStartup(SpringApplication application, String... args) {
        try {
            application.run(args).close();
            return null;
        }
        catch (RuntimeException ex) {
            return ex;
        }
    }

    /** An application that needs a JdbcClient, as a user's repository would. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SqlitePoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class })
    static class JdbcApplication {

        @Bean
        String repository(JdbcClient jdbc) {
            return "uses " + jdbc;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NeedsSomethingElse {

        @Bean
        String needsARunnable(Runnable missing) {
            return "never";
        }
    }
}
