package io.github.sqlitepool.autoconfigure;

import java.nio.file.Path;

import io.github.sqlitepool.pool.config.SqliteUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;

/**
 * Decides which database the pool opens: {@code sqlite.pool.url}; else
 * {@code spring.datasource.url} when it is a SQLite URL; else {@link #DEFAULT_URL}.
 */
public final class SqliteUrlResolver {

    /** The database used when no URL is configured: a file under the working directory. */
    public static final String DEFAULT_URL = "jdbc:sqlite:data/sqlite-pool.db";

    private static final Logger log = LoggerFactory.getLogger(SqliteUrlResolver.class);

    private SqliteUrlResolver() {
    }

    /** The URL to open, given the pool's properties and the environment. */
    public static String resolve(SqlitePoolProperties properties, Environment environment) {
        if (properties.getUrl() != null) {
            return properties.getUrl();
        }
        String datasourceUrl = environment.getProperty("spring.datasource.url");
        if (datasourceUrl != null && datasourceUrl.startsWith(SqliteUrl.PREFIX)) {
            return datasourceUrl;
        }
        log.info("No sqlite.pool.url set: using the default database {} ({})", DEFAULT_URL,
                Path.of(DEFAULT_URL.substring(SqliteUrl.PREFIX.length())).toAbsolutePath());
        return DEFAULT_URL;
    }
}
