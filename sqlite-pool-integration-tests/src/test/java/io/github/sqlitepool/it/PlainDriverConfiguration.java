package io.github.sqlitepool.it;

import javax.sql.DataSource;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * sqlite-jdbc's own data source, as an application without the pool would define it: WAL and a
 * 5 s busy timeout (and synchronous NORMAL, the pool's default, so that the two differ in how they
 * lock, not in how often they wait for the disk). Being a user-defined {@code DataSource}, it makes
 * the starter step aside.
 */
@Configuration(proxyBeanMethods = false)
class PlainDriverConfiguration {

    static final int BUSY_TIMEOUT_MILLIS = 5_000;

    @Bean
    DataSource dataSource(Environment environment) {
        return plainDataSource(environment.getRequiredProperty("spring.datasource.url"));
    }

    static SQLiteDataSource plainDataSource(String url) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(url);
        return dataSource;
    }
}
