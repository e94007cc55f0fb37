/**
 * Actuator health for the pool: the {@code sqlite} health indicator (pool state, write lane,
 * database file checks, periodic quick check) and its auto-configuration.
 *
 * <p>May import: {@code pool.*}, {@code autoconfigure}, Spring Boot health.
 */
package io.github.sqlitepool.autoconfigure.health;
