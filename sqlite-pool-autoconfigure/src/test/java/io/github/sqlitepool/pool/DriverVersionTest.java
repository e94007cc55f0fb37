package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.Test;

/**
 * The suite runs twice, once on the project's sqlite-jdbc and once on the one Spring Boot's
 * dependency management gives an application whose parent is spring-boot-starter-parent (see the
 * surefire executions in this module's pom). This checks that each run really has the driver it
 * claims, so a broken classpath swap cannot pass silently.
 */
class DriverVersionTest {

    @Test
    void theDriverIsTheVersionThisRunIsFor() throws Exception {
        String expected = System.getProperty("sqlite-jdbc.expected-version");
        assertThat(expected).as("system property sqlite-jdbc.expected-version, set by the surefire execution")
                .isNotBlank();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            assertThat(connection.getMetaData().getDriverVersion()).isEqualTo(expected);
        }
    }
}
