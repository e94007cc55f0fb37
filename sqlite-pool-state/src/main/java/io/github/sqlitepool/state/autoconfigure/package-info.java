/**
 * Spring Boot auto-configuration of the {@link io.github.sqlitepool.state.StateManager}
 * ({@code sqlite.pool.state-manager.*}).
 *
 * <p>May import: {@code state}, {@code autoconfigure} (for ordering), Spring Boot.
 */
package io.github.sqlitepool.state.autoconfigure;
