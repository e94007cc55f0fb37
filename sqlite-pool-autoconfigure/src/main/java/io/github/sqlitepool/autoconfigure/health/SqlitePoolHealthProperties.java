package io.github.sqlitepool.autoconfigure.health;

import java.time.Duration;

import io.github.sqlitepool.pool.config.Durations;
import io.github.sqlitepool.pool.config.PoolConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code sqlite} health indicator, bound from {@code sqlite.pool.health.*}.
 */
@ConfigurationProperties("sqlite.pool.health")
public class SqlitePoolHealthProperties {

    /**
     * Longest wait for a connection and 'SELECT 1' before the health check reports DOWN; more
     * than 0.
     */
    private Duration timeout = Duration.ofSeconds(1);

    /**
     * Shortest time between two 'PRAGMA quick_check' runs. The check reads the whole
     * database, so it runs in the background and health requests show its latest outcome; 0 or
     * more.
     */
    private Duration quickCheckInterval = Duration.ofMinutes(5);

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getQuickCheckInterval() {
        return quickCheckInterval;
    }

    public void setQuickCheckInterval(Duration quickCheckInterval) {
        this.quickCheckInterval = quickCheckInterval;
    }

    /**
     * The checks the health indicator makes, made before the database is opened.
     *
     * @throws PoolConfigurationException naming the property when the timeout is not positive or
     *                                    the interval is negative
     */
    void validate() {
        Durations.timeout(timeout, "sqlite.pool.health.timeout");
        if (quickCheckInterval == null || quickCheckInterval.isNegative()) {
            throw new PoolConfigurationException("sqlite.pool.health.quick-check-interval", quickCheckInterval,
                    "must not be negative");
        }
    }
}
