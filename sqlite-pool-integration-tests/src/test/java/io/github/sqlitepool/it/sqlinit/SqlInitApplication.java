package io.github.sqlitepool.it.sqlinit;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application whose schema and data come from spring.sql.init scripts. */
@SpringBootConfiguration
@EnableAutoConfiguration
class SqlInitApplication {

    static final String SCHEMA = "spring.sql.init.schema-locations=classpath:it/sql-init/schema.sql";

    static final String DATA = "spring.sql.init.data-locations=classpath:it/sql-init/data.sql";
}
