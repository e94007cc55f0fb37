package io.github.sqlitepool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.SqlitePool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

class SampleApplicationTest {

    @TempDir
    Path dir;

    @Test
    void startsOnTheStartersPoolAndRecordsAVisit() {
        String url = "jdbc:sqlite:" + dir.resolve("sample.db");
        try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
                "--sqlite.pool.url=" + url)) {
            assertThat(context.getBean(DataSource.class)).isInstanceOf(SqlitePool.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM visits", Integer.class)).isEqualTo(1);
            assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualTo("wal");
        }
    }
}
