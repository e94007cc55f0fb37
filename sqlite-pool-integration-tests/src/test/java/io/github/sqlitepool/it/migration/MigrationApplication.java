package io.github.sqlitepool.it.migration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application whose schema is migrated at startup by Flyway or Liquibase. */
@SpringBootConfiguration
@EnableAutoConfiguration
class MigrationApplication {

    static final String FLYWAY = "spring.flyway.locations=classpath:it/flyway";

    static final String LIQUIBASE = "spring.liquibase.change-log=classpath:it/liquibase/changelog.sql";
}
