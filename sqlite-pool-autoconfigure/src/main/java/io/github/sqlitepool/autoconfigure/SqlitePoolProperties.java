package io.github.sqlitepool.autoconfigure;

import java.time.Duration;

import io.github.sqlitepool.pool.config.SqlitePoolConfig;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Settings of the SQLite pool, bound from {@code sqlite.pool.*}. Values are checked when the
 * pool is created, by {@link SqlitePoolConfig.Builder#build()}; a bad value stops startup
 * with a message that names the property and the value.
 */
@ConfigurationProperties("sqlite.pool")
public class SqlitePoolProperties {

    /**
     * Whether to pool connections. When false, every lease opens a new connection with the
     * same PRAGMAs and closing it closes it: slower, for tools, tests and comparisons.
     */
    private boolean enabled = true;

    /**
     * JDBC URL of the SQLite database, for example 'jdbc:sqlite:/var/lib/app/app.db' or
     * 'jdbc:sqlite::memory:'. When not set, a 'spring.datasource.url' that starts with
     * 'jdbc:sqlite:' is used, else the file 'data/sqlite-pool.db' under the working directory.
     */
    private String url;

    /**
     * Name of the pool, shown in logs, errors and metrics.
     */
    private String name = SqlitePoolConfig.DEFAULT_NAME;

    /**
     * Number of connections, all opened at startup and kept open.
     */
    private int maxConnections = SqlitePoolConfig.DEFAULT_MAX_CONNECTIONS;

    /**
     * Longest wait for a free connection before failing with 'pool exhausted'.
     */
    private Duration acquireTimeout = SqlitePoolConfig.DEFAULT_ACQUIRE_TIMEOUT;

    /**
     * Longest wait, when the pool closes, for connections still in use to be returned.
     */
    private Duration shutdownTimeout = SqlitePoolConfig.DEFAULT_SHUTDOWN_TIMEOUT;

    /**
     * How long a connection may be held before it is logged as a possible leak, with the
     * stack trace of the code that took it. Off when not set or 0.
     */
    private Duration leakDetectionThreshold;

    /**
     * Prepared statements kept open per connection between leases, keyed by their SQL, so
     * that preparing the same statement again (as JdbcTemplate does on every call) reuses it.
     * Only plain SELECT, INSERT, UPDATE, DELETE, REPLACE, WITH and VALUES statements (no ';')
     * are cached; setPoolable(false) opts a statement out. 0 turns the cache off.
     */
    private int statementCacheSize = SqlitePoolConfig.DEFAULT_STATEMENT_CACHE_SIZE;

    // The groups are top-level classes; @NestedConfigurationProperty makes the configuration
    // processor list their properties in the IDE metadata, as it does by itself for nested classes.

    /**
     * PRAGMAs applied to every connection.
     */
    @NestedConfigurationProperty
    private final PragmaProperties pragmas = new PragmaProperties();

    /**
     * Single-writer lane.
     */
    @NestedConfigurationProperty
    private final WriteLaneProperties writeLane = new WriteLaneProperties();

    /**
     * The pool's own WAL checkpoints.
     */
    @NestedConfigurationProperty
    private final CheckpointProperties checkpoint = new CheckpointProperties();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Duration getAcquireTimeout() {
        return acquireTimeout;
    }

    public void setAcquireTimeout(Duration acquireTimeout) {
        this.acquireTimeout = acquireTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public int getStatementCacheSize() {
        return statementCacheSize;
    }

    public void setStatementCacheSize(int statementCacheSize) {
        this.statementCacheSize = statementCacheSize;
    }

    public Duration getLeakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    public PragmaProperties getPragmas() {
        return pragmas;
    }

    public WriteLaneProperties getWriteLane() {
        return writeLane;
    }

    public CheckpointProperties getCheckpoint() {
        return checkpoint;
    }

    /**
     * The pool's settings for the given URL, validated.
     *
     * @throws io.github.sqlitepool.pool.config.PoolConfigurationException naming the property of a bad value
     */
    public SqlitePoolConfig toConfig(String resolvedUrl) {
        return SqlitePoolConfig.builder()
                .url(resolvedUrl)
                .name(name)
                .maxConnections(maxConnections)
                .acquireTimeout(acquireTimeout)
                .shutdownTimeout(shutdownTimeout)
                .leakDetectionThreshold(leakDetectionThreshold)
                .pragmas(pragmas.toSettings())
                .writeLaneEnabled(writeLane.isEnabled())
                .groupCommit(writeLane.getGroupCommit().toSettings())
                .statementCacheSize(statementCacheSize)
                .checkpoint(checkpoint.toSettings())
                .build();
    }
}
