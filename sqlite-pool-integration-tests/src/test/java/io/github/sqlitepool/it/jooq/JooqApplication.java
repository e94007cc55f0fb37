package io.github.sqlitepool.it.jooq;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application that queries with jOOQ's DSLContext, in Spring-managed transactions. */
@SpringBootConfiguration
@EnableAutoConfiguration
class JooqApplication {
}
