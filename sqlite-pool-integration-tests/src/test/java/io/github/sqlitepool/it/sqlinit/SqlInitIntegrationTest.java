package io.github.sqlitepool.it.sqlinit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;

import io.github.sqlitepool.it.Database;
import io.github.sqlitepool.it.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** spring.sql.init scripts on a SQLite file through the starter's pool. */
class SqlInitIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void schemaAndDataScriptsRunWithModeAlways() {
        try (ConfigurableApplicationContext context = start("spring.sql.init.mode=always")) {
            assertThat(context.getBean(JdbcClient.class).sql("SELECT title FROM book").query(String.class).list())
                    .containsExactly("spring.sql.init on SQLite");
        }
    }

    /** Boot runs the scripts by default only on embedded databases, and SQLite is not one to Boot. */
    @Test
    void scriptsDoNotRunWithTheDefaultMode() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBean(JdbcClient.class)
                    .sql("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'book'")
                    .query(Long.class).single()).isZero();
        }
    }

    private ConfigurableApplicationContext start(String... mode) {
        String[] properties = new String[mode.length + 2];
        properties[0] = SqlInitApplication.SCHEMA;
        properties[1] = SqlInitApplication.DATA;
        System.arraycopy(mode, 0, properties, 2, mode.length);
        return TestApplications.run(Database.POOL, TestApplications.url(dir, "init.db"), Set.of(),
                SqlInitApplication.class, properties);
    }
}
