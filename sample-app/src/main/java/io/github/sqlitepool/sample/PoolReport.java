package io.github.sqlitepool.sample;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Shows at startup that the starter's pool serves Spring's {@link JdbcTemplate}. */
@Component
class PoolReport implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PoolReport.class);

    private final JdbcTemplate jdbc;

    private final DataSource dataSource;

    PoolReport(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    @Override
    public void run(ApplicationArguments args) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY, at TEXT NOT NULL)");
        jdbc.update("INSERT INTO visits (at) VALUES (datetime('now'))");
        Integer visits = jdbc.queryForObject("SELECT count(*) FROM visits", Integer.class);
        String journalMode = jdbc.queryForObject("PRAGMA journal_mode", String.class);
        log.info("sqlite-pool sample: {} start(s) recorded, journal_mode={}, data source {}", visits, journalMode,
                dataSource);
    }
}
