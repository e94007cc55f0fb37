package io.github.sqlitepool.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sqlitepool.pool.config.CheckpointSettings;
import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.JournalMode;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import io.github.sqlitepool.pool.config.Synchronous;
import io.github.sqlitepool.pool.config.TempStore;

import org.springframework.boot.context.properties.ConfigurationProperties;

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

    /**
     * PRAGMAs applied to every connection.
     */
    private final Pragmas pragmas = new Pragmas();

    /**
     * Single-writer lane.
     */
    private final WriteLane writeLane = new WriteLane();

    /**
     * The pool's own WAL checkpoints.
     */
    private final Checkpoint checkpoint = new Checkpoint();

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

    public Pragmas getPragmas() {
        return pragmas;
    }

    public WriteLane getWriteLane() {
        return writeLane;
    }

    public Checkpoint getCheckpoint() {
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

    /** PRAGMAs applied, in a fixed order, to every connection the pool opens. */
    public static class Pragmas {

        /**
         * Journal mode. WAL lets readers run beside the writer.
         */
        private JournalMode journalMode = PragmaSettings.DEFAULT_JOURNAL_MODE;

        /**
         * How often SQLite waits for the disk. NORMAL in WAL mode loses no commit on a process
         * crash; FULL also survives a power loss.
         */
        private Synchronous synchronous = PragmaSettings.DEFAULT_SYNCHRONOUS;

        /**
         * Page cache per connection: pages when positive, KiB when negative.
         */
        private int cacheSize = PragmaSettings.DEFAULT_CACHE_SIZE;

        /**
         * Where temporary tables and indices are kept.
         */
        private TempStore tempStore = PragmaSettings.DEFAULT_TEMP_STORE;

        /**
         * How long a connection waits for a lock held by another process before failing with
         * SQLITE_BUSY.
         */
        private Duration busyTimeout = PragmaSettings.DEFAULT_BUSY_TIMEOUT;

        /**
         * Whether foreign key constraints are enforced.
         */
        private boolean foreignKeys = PragmaSettings.DEFAULT_FOREIGN_KEYS;

        /**
         * Bytes of the database file to memory-map; SQLite's default (0, off) when not set.
         * Leave it off unless no other program can truncate or overwrite the file: a mapped
         * page that vanishes kills the JVM with SIGBUS instead of failing a statement. The
         * pool logs a WARN at startup when it is on.
         */
        private Long mmapSize;

        /**
         * Size in bytes to which the WAL file is truncated after a checkpoint; -1 for no
         * limit. SQLite's default (-1) when not set.
         */
        private Long journalSizeLimit;

        /**
         * WAL size, in pages, that triggers an automatic checkpoint; 0 turns it off. SQLite's
         * default (1000) when not set.
         */
        private Integer walAutocheckpoint;

        /**
         * Further PRAGMAs by name, for example 'max_page_count: 100000'. Only names in the
         * allow-list, and values that are plain integers, booleans or single keywords, are
         * accepted.
         */
        private Map<String, String> extra = new LinkedHashMap<>();

        public JournalMode getJournalMode() {
            return journalMode;
        }

        public void setJournalMode(JournalMode journalMode) {
            this.journalMode = journalMode;
        }

        public Synchronous getSynchronous() {
            return synchronous;
        }

        public void setSynchronous(Synchronous synchronous) {
            this.synchronous = synchronous;
        }

        public int getCacheSize() {
            return cacheSize;
        }

        public void setCacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
        }

        public TempStore getTempStore() {
            return tempStore;
        }

        public void setTempStore(TempStore tempStore) {
            this.tempStore = tempStore;
        }

        public Duration getBusyTimeout() {
            return busyTimeout;
        }

        public void setBusyTimeout(Duration busyTimeout) {
            this.busyTimeout = busyTimeout;
        }

        public boolean isForeignKeys() {
            return foreignKeys;
        }

        public void setForeignKeys(boolean foreignKeys) {
            this.foreignKeys = foreignKeys;
        }

        public Long getMmapSize() {
            return mmapSize;
        }

        public void setMmapSize(Long mmapSize) {
            this.mmapSize = mmapSize;
        }

        public Long getJournalSizeLimit() {
            return journalSizeLimit;
        }

        public void setJournalSizeLimit(Long journalSizeLimit) {
            this.journalSizeLimit = journalSizeLimit;
        }

        public Integer getWalAutocheckpoint() {
            return walAutocheckpoint;
        }

        public void setWalAutocheckpoint(Integer walAutocheckpoint) {
            this.walAutocheckpoint = walAutocheckpoint;
        }

        public Map<String, String> getExtra() {
            return extra;
        }

        public void setExtra(Map<String, String> extra) {
            this.extra = extra;
        }

        PragmaSettings toSettings() {
            return PragmaSettings.builder()
                    .journalMode(journalMode)
                    .synchronous(synchronous)
                    .cacheSize(cacheSize)
                    .tempStore(tempStore)
                    .busyTimeout(busyTimeout)
                    .foreignKeys(foreignKeys)
                    .mmapSize(mmapSize)
                    .journalSizeLimit(journalSizeLimit)
                    .walAutocheckpoint(walAutocheckpoint)
                    .extra(extra)
                    .build();
        }
    }

    /** The single-writer lane: writes queue in Java, none passed over for more than a few milliseconds. */
    public static class WriteLane {

        /**
         * Whether writes from the pool's connections are serialised in Java through one write
         * lane (waiters passed over for at most 5 ms, then served in arrival order), taken by a
         * transaction firmly from its first write (and revocably from its begin), so that they never
         * meet each other in SQLite's busy handler; two reserve connections are then opened beside
         * the pool's. Turn off only for comparison or unusual setups.
         */
        private boolean enabled = SqlitePoolConfig.DEFAULT_WRITE_LANE_ENABLED;

        /**
         * Group commit of write transactions waiting for the lane.
         */
        private final GroupCommit groupCommit = new GroupCommit();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public GroupCommit getGroupCommit() {
            return groupCommit;
        }

        /**
         * Group commit: JDBC transactions that wait for the write lane at their begin run, one
         * after another, in the SQLite transaction of the one that holds it, and one COMMIT
         * commits them all (docs/write-lane.md, "Group commit").
         */
        public static class GroupCommit {

            /**
             * Whether JDBC transactions that wait for the write lane at their begin are grouped:
             * each runs in its own savepoint, inside the lane holder's SQLite transaction, and
             * keeps its own outcome (an error or rollback undoes only its savepoint); one COMMIT
             * commits the group, and a failed COMMIT fails every member. Auto-commit writes are
             * not grouped. Needs the write lane. See docs/write-lane.md, "Group commit".
             */
            private boolean enabled = GroupCommitSettings.DEFAULTS.enabled();

            /**
             * The most transactions in one group, the one that opened it included (2 to 10000).
             */
            private int maxMembers = GroupCommitSettings.DEFAULTS.maxMembers();

            /**
             * How long after it opened a group still takes waiting transactions (greater than 0, at
             * most 1s): every member's commit waits for the group's COMMIT.
             */
            private Duration maxAge = GroupCommitSettings.DEFAULTS.maxAge();

            public boolean isEnabled() {
                return enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            public int getMaxMembers() {
                return maxMembers;
            }

            public void setMaxMembers(int maxMembers) {
                this.maxMembers = maxMembers;
            }

            public Duration getMaxAge() {
                return maxAge;
            }

            public void setMaxAge(Duration maxAge) {
                this.maxAge = maxAge;
            }

            /**
             * @throws io.github.sqlitepool.pool.config.PoolConfigurationException naming the property of a bad value
             */
            GroupCommitSettings toSettings() {
                return new GroupCommitSettings(enabled, maxMembers, maxAge);
            }
        }
    }

    /** The pool's checkpointer, which keeps the WAL bounded while readers and writers keep going. */
    public static class Checkpoint {

        /**
         * Whether the pool runs its own WAL checkpoints: PASSIVE when writes pause, TRUNCATE
         * (holding the write lane for at most max-writer-block) once the WAL reaches
         * truncate-wal-size. Off leaves SQLite's automatic checkpoints and the one on close.
         */
        private boolean enabled = true;

        /**
         * How often the checkpointer looks at the WAL's size.
         */
        private Duration interval = Duration.ofSeconds(1);

        /**
         * WAL size in bytes from which the checkpointer truncates the WAL (wal_checkpoint(TRUNCATE)).
         */
        private long truncateWalSize = 67108864;

        /**
         * The longest the checkpointer waits for the write lane, and then for readers while it
         * holds the lane; writers wait at most this long for it.
         */
        private Duration maxWriterBlock = Duration.ofMillis(100);

        /**
         * How long checkpoints may stay incomplete, because readers keep old snapshots open,
         * before a WARN names the thread holding the oldest lease.
         */
        private Duration starvationWarning = Duration.ofSeconds(30);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public long getTruncateWalSize() {
            return truncateWalSize;
        }

        public void setTruncateWalSize(long truncateWalSize) {
            this.truncateWalSize = truncateWalSize;
        }

        public Duration getMaxWriterBlock() {
            return maxWriterBlock;
        }

        public void setMaxWriterBlock(Duration maxWriterBlock) {
            this.maxWriterBlock = maxWriterBlock;
        }

        public Duration getStarvationWarning() {
            return starvationWarning;
        }

        public void setStarvationWarning(Duration starvationWarning) {
            this.starvationWarning = starvationWarning;
        }

        CheckpointSettings toSettings() {
            return new CheckpointSettings(enabled, interval, truncateWalSize, maxWriterBlock, starvationWarning);
        }
    }
}
