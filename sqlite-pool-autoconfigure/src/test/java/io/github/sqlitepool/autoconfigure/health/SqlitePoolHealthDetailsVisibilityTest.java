package io.github.sqlitepool.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * The database path is a detail, so Actuator's {@code show-details} decides who sees it over
 * HTTP; the status alone never carries it. (Over JMX, Actuator shows all details.)
 */
class SqlitePoolHealthDetailsVisibilityTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        SqlitePoolHealthAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                        HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("secret-location.db"));
    }

    /** What GET /actuator/health/sqlite answers an anonymous caller. */
    private static HealthDescriptor overHttp(ApplicationContext context) {
        HealthEndpointWebExtension web = new HealthEndpointWebExtension(
                context.getBean(HealthContributorRegistry.class), null, context.getBean(HealthEndpointGroups.class),
                null);
        return web.health(ApiVersion.LATEST, WebServerNamespace.SERVER, SecurityContext.NONE, "sqlite").getBody();
    }

    @Test
    void showDetailsAlwaysShowsThePathAndPoolState() {
        runner().withPropertyValues("management.endpoint.health.show-details=always").run(context -> {
            HealthDescriptor sqlite = overHttp(context);
            assertThat(sqlite.getStatus()).isEqualTo(Status.UP);
            assertThat(((IndicatedHealthDescriptor) sqlite).getDetails())
                    .containsEntry("database", dir.resolve("secret-location.db").toAbsolutePath().toString())
                    .containsKeys("pool", "max", "active", "idle", "waiting", "journalMode", "sqliteVersion");
        });
    }

    @Test
    void byDefaultTheComponentIsNotShownAtAll() {
        runner().run(context -> assertThat(overHttp(context)).isNull());
    }

    @Test
    void componentsWithoutDetailsShowNeitherPathNorPoolState() {
        runner().withPropertyValues("management.endpoint.health.show-components=always").run(context -> {
            HealthDescriptor sqlite = overHttp(context);
            assertThat(sqlite.getStatus()).isEqualTo(Status.UP);
            assertThat(((IndicatedHealthDescriptor) sqlite).getDetails()).isNullOrEmpty();
        });
    }

    @Test
    void whenDownOnlyTheStatusIsShownWithoutDetails() {
        runner().withPropertyValues("management.endpoint.health.show-components=always").run(context -> {
            context.getBean(SqlitePool.class).close();
            HealthDescriptor sqlite = overHttp(context);
            assertThat(sqlite.getStatus()).isEqualTo(Status.DOWN);
            assertThat(sqlite.getStatus().getDescription()).isEmpty();
            assertThat(((IndicatedHealthDescriptor) sqlite).getDetails()).isNullOrEmpty();
        });
    }

    /** A DOWN reason that names the file (here: deleted) is a detail too, hidden like the rest. */
    @Test
    void aDownReasonNamingTheFileIsNotShownWithoutDetails() {
        runner().withPropertyValues("management.endpoint.health.show-components=always").run(context -> {
            Files.delete(dir.resolve("secret-location.db"));
            HealthDescriptor sqlite = overHttp(context);
            assertThat(sqlite.getStatus()).isEqualTo(Status.DOWN);
            assertThat(sqlite.getStatus().getDescription()).isEmpty();
            assertThat(((IndicatedHealthDescriptor) sqlite).getDetails()).isNullOrEmpty();
            assertThat(sqlite.toString()).doesNotContain("secret-location").doesNotContain(dir.toString());
        });
        runner().withPropertyValues("management.endpoint.health.show-details=always").run(context -> {
            Files.deleteIfExists(dir.resolve("secret-location.db"));
            HealthDescriptor sqlite = overHttp(context);
            assertThat(sqlite.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) ((IndicatedHealthDescriptor) sqlite).getDetails().get("error"))
                    .contains("secret-location.db").contains("does not exist");
        });
    }
}
