/**
 * Actuator health for the StateManager ({@code stateManager} component) and its
 * auto-configuration.
 *
 * <p>May import: {@code state}, {@code state.autoconfigure}, Spring Boot health.
 */
package io.github.sqlitepool.state.autoconfigure.health;
