package io.github.sqlitepool.it;

import java.util.List;

/**
 * The integrations on this module's classpath, each with the auto-configurations that bring it.
 * A test context gets only the integrations it names, so that a Batch test does not boot
 * Hibernate nor a JPA test run Liquibase, as in an application that has only what it uses.
 */
public enum Integration {

    JPA("org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.metrics.HibernateMetricsAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"),

    BATCH("org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration",
            "org.springframework.boot.batch.autoconfigure.BatchJobLauncherAutoConfiguration",
            "org.springframework.boot.batch.autoconfigure.observation.BatchObservationAutoConfiguration",
            "org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration"),

    JOOQ("org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration"),

    FLYWAY("org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"),

    LIQUIBASE("org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"),

    SESSION("org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
            "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration");

    private final List<String> autoConfigurations;

    Integration(String... autoConfigurations) {
        this.autoConfigurations = List.of(autoConfigurations);
    }

    List<String> autoConfigurations() {
        return autoConfigurations;
    }
}
