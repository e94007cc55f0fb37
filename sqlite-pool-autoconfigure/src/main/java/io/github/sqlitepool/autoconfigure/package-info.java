/**
 * Spring Boot auto-configuration of the pool: {@code @ConfigurationProperties("sqlite.pool")},
 * the {@code DataSource} bean, the condition that decides when the starter steps in, and the
 * failure analyzers that turn configuration errors into a readable startup report.
 *
 * <p>May import: {@code pool.*}, Spring Boot.
 */
package io.github.sqlitepool.autoconfigure;
