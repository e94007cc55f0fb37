/**
 * Micrometer metrics and Spring Boot {@code DataSourcePoolMetadata} for the pool, and their
 * auto-configuration.
 *
 * <p>May import: {@code pool.*}, {@code autoconfigure}, Micrometer, Spring Boot.
 */
package io.github.sqlitepool.autoconfigure.metrics;
