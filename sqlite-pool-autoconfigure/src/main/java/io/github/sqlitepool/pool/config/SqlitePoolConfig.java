package io.github.sqlitepool.pool.config;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a {@code SqlitePool} needs, validated in one place: {@link Builder#build()}.
 * Each setting carries the name of its {@code sqlite.pool.*} property, and a rejected value
 * raises a {@link PoolConfigurationException} naming that property and the value.
 */
public final class SqlitePoolConfig {

    private static final Logger log = LoggerFactory.getLogger(SqlitePoolConfig.class);

    /** The pool's name unless configured otherwise. */
    public static final String DEFAULT_NAME = "sqlite-pool";

    /** Connections per pool unless configured otherwise. */
    public static final int DEFAULT_MAX_CONNECTIONS = 5;

    /** The longest wait for a connection unless configured otherwise. */
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(5);

    /** The longest wait for leases in flight when the pool closes, unless configured otherwise. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    /** Whether writes go through the write lane unless configured otherwise. */
    public static final boolean DEFAULT_WRITE_LANE_ENABLED = true;

    /** Statements cached per connection unless configured otherwise. */
    public static final int DEFAULT_STATEMENT_CACHE_SIZE = 64;

    /** The most connections one pool may hold; each costs a file handle and its page cache. */
    public static final int MAX_CONNECTIONS_LIMIT = 1024;

    /** The longest timeout, or other duration, accepted; longer waits hide a stuck application. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    /** The largest statement cache accepted per connection; each cached statement holds SQLite memory. */
    public static final int MAX_STATEMENT_CACHE_SIZE = 10_000;

    private final SqliteUrl url;
    private final String name;
    private final int maxConnections;
    private final Duration acquireTimeout;
    private final Duration shutdownTimeout;
    private final PragmaSettings pragmas;
    private final Duration leakDetectionThreshold;
    private final boolean writeLaneEnabled;
    private final int statementCacheSize;
    private final CheckpointSettings checkpoint;
    private final GroupCommitSettings groupCommit;

    private SqlitePoolConfig(Builder b) {
        this.url = SqliteUrl.parse(b.url);
        if (b.name == null || b.name.isBlank() || b.name.chars().anyMatch(Character::isISOControl)) {
            throw new PoolConfigurationException("sqlite.pool.name", b.name,
                    "must be a non-blank name without control characters");
        }
        this.name = b.name;
        if (b.maxConnections < 1 || b.maxConnections > MAX_CONNECTIONS_LIMIT) {
            throw new PoolConfigurationException("sqlite.pool.max-connections", b.maxConnections,
                    b.maxConnections < 1 ? "must be at least 1" : "must be at most " + MAX_CONNECTIONS_LIMIT);
        }
        this.maxConnections = b.maxConnections;
        this.acquireTimeout = Durations.timeout(b.acquireTimeout, "sqlite.pool.acquire-timeout");
        this.shutdownTimeout = Durations.timeout(b.shutdownTimeout, "sqlite.pool.shutdown-timeout");
        if (b.pragmas == null) {
            throw new PoolConfigurationException("sqlite.pool.pragmas", null, "must be set");
        }
        this.pragmas = b.pragmas;
        this.writeLaneEnabled = b.writeLaneEnabled;
        this.leakDetectionThreshold = leakDetectionThreshold(b.leakDetectionThreshold);
        if (b.statementCacheSize < 0 || b.statementCacheSize > MAX_STATEMENT_CACHE_SIZE) {
            throw new PoolConfigurationException("sqlite.pool.statement-cache-size", b.statementCacheSize,
                    b.statementCacheSize < 0 ? "must not be negative (0 turns the cache off)"
                            : "must be at most " + MAX_STATEMENT_CACHE_SIZE);
        }
        this.statementCacheSize = b.statementCacheSize;
        if (b.checkpoint == null) {
            throw new PoolConfigurationException("sqlite.pool.checkpoint", null, "must be set");
        }
        this.checkpoint = b.checkpoint;
        if (b.groupCommit == null) {
            throw new PoolConfigurationException("sqlite.pool.write-lane.group-commit", null, "must be set");
        }
        if (b.groupCommit.enabled() && !b.writeLaneEnabled) {
            throw new PoolConfigurationException("sqlite.pool.write-lane.group-commit.enabled", true,
                    "needs the write lane: set sqlite.pool.write-lane.enabled=true, or turn group commit off");
        }
        if (b.groupCommit.autoCommitWrites() && !b.groupCommit.enabled()) {
            // not refused: turning group commit off alone must stay a way to turn it off
            log.warn("sqlite.pool.write-lane.group-commit.auto-commit-writes=true has no effect while "
                    + "sqlite.pool.write-lane.group-commit.enabled=false: pool '{}' runs every write one by one", name);
        }
        this.groupCommit = b.groupCommit;
    }

    private static Duration leakDetectionThreshold(Duration value) {
        if (value == null || value.isZero()) {
            return null;
        }
        if (value.isNegative()) {
            throw new PoolConfigurationException("sqlite.pool.leak-detection-threshold", value,
                    "must not be negative (0 or unset turns leak detection off)");
        }
        return Durations.timeout(value, "sqlite.pool.leak-detection-threshold");
    }

    /** A builder whose settings start at the defaults; only the URL must be given. */
    public static Builder builder() {
        return new Builder();
    }

    public SqliteUrl url() {
        return url;
    }

    public String name() {
        return name;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public PragmaSettings pragmas() {
        return pragmas;
    }

    /** How long a lease may be held before it is reported as a possible leak; empty when off. */
    public Optional<Duration> leakDetectionThreshold() {
        return Optional.ofNullable(leakDetectionThreshold);
    }

    /** Group commit ({@code sqlite.pool.write-lane.group-commit.*}). */
    public GroupCommitSettings groupCommit() {
        return groupCommit;
    }

    /** Whether writes are serialised through the pool's write lane ({@code sqlite.pool.write-lane.enabled}). */
    public boolean writeLaneEnabled() {
        return writeLaneEnabled;
    }

    /** Prepared statements kept open per connection between leases; 0 when the cache is off. */
    public int statementCacheSize() {
        return statementCacheSize;
    }

    /** How the pool's checkpointer keeps the WAL bounded ({@code sqlite.pool.checkpoint.*}). */
    public CheckpointSettings checkpoint() {
        return checkpoint;
    }

    @Override
    public String toString() {
        return "SqlitePoolConfig[name=" + name + ", url=" + url + ", maxConnections=" + maxConnections
                + ", acquireTimeout=" + acquireTimeout + ", shutdownTimeout=" + shutdownTimeout
                + ", leakDetectionThreshold=" + leakDetectionThreshold
                + ", pragmas=" + pragmas + ", writeLaneEnabled=" + writeLaneEnabled + ", groupCommit=" + groupCommit
                + ", statementCacheSize=" + statementCacheSize + ", checkpoint=" + checkpoint + "]";
    }

    /** Builds a {@link SqlitePoolConfig}. */
    public static final class Builder {
        private String url;
        private String name = DEFAULT_NAME;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private PragmaSettings pragmas = PragmaSettings.defaults();
        private Duration leakDetectionThreshold;
        private boolean writeLaneEnabled = DEFAULT_WRITE_LANE_ENABLED;
        private int statementCacheSize = DEFAULT_STATEMENT_CACHE_SIZE;
        private CheckpointSettings checkpoint = CheckpointSettings.DEFAULTS;
        private GroupCommitSettings groupCommit = GroupCommitSettings.DEFAULTS;

        private Builder() {
        }

        /** How the pool keeps the WAL bounded. Default {@link CheckpointSettings#DEFAULTS}. */
        public Builder checkpoint(CheckpointSettings checkpoint) {
            this.checkpoint = checkpoint;
            return this;
        }

        /** Group commit of waiting write transactions. Default {@link GroupCommitSettings#DEFAULTS} (off). */
        public Builder groupCommit(GroupCommitSettings groupCommit) {
            this.groupCommit = groupCommit;
            return this;
        }

        /** Prepared statements kept open per connection between leases; 0 turns the cache off. */
        public Builder statementCacheSize(int statementCacheSize) {
            this.statementCacheSize = statementCacheSize;
            return this;
        }

        /** A {@code jdbc:sqlite:} URL: a file, or {@code :memory:}. Required. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** The name that appears in logs, errors and metrics. Default {@value #DEFAULT_NAME}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Connections opened at start and kept open. Default {@value #DEFAULT_MAX_CONNECTIONS}. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** The longest wait for a connection. Default {@link #DEFAULT_ACQUIRE_TIMEOUT}. */
        public Builder acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = acquireTimeout;
            return this;
        }

        /**
         * How long the pool's {@code close()} waits for leases in flight. Default
         * {@link #DEFAULT_SHUTDOWN_TIMEOUT}.
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /** The PRAGMAs for every connection. Default {@link PragmaSettings#defaults()}. */
        public Builder pragmas(PragmaSettings pragmas) {
            this.pragmas = pragmas;
            return this;
        }

        /**
         * How long a lease may be held before one WARN reports it, with the stack trace of
         * the code that took it. Null or zero (the default) turns leak detection off.
         */
        public Builder leakDetectionThreshold(Duration leakDetectionThreshold) {
            this.leakDetectionThreshold = leakDetectionThreshold;
            return this;
        }

        /**
         * Whether writes from the pool's connections are serialised in Java through one
         * write lane, taken by a transaction at its first write (or, revocably, at its first
         * read), with two reserve connections beside the pool's
         * ({@code sqlite.pool.write-lane.enabled}). Default {@value #DEFAULT_WRITE_LANE_ENABLED};
         * see docs/write-lane.md.
         */
        public Builder writeLaneEnabled(boolean writeLaneEnabled) {
            this.writeLaneEnabled = writeLaneEnabled;
            return this;
        }

        /**
         * @throws PoolConfigurationException naming the property when a value is not usable
         */
        public SqlitePoolConfig build() {
            return new SqlitePoolConfig(this);
        }
    }
}
