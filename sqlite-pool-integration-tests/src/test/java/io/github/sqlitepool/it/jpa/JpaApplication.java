package io.github.sqlitepool.it.jpa;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;

/** A Spring Data JPA application: entities, repositories and a service in this package. */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan
class JpaApplication {

    /** What a user sets for JPA on SQLite (docs/integrations/jpa.md). */
    static final String[] PROPERTIES = {
            "spring.jpa.database-platform=org.hibernate.community.dialect.SQLiteDialect",
            "spring.jpa.hibernate.ddl-auto=create",
            "spring.jpa.open-in-view=false" };
}
