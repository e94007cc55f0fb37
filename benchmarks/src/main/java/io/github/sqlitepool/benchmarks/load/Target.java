package io.github.sqlitepool.benchmarks.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;

/**
 * What a workload runs against. Pooled targets lease a connection per operation and close
 * it afterwards, as a Spring application does per statement or transaction; {@link #SERIAL}
 * is the practical limit for writes: one thread keeping one connection open.
 */
public enum Target {

    /** One connection, opened once and used by a single thread for every operation. */
    SERIAL("serial", "one connection, serial") {
        @Override
        public ConnectionSource open(BenchmarkDatabase database) throws SQLException {
            Connection connection = DriverManager.getConnection(database.url(), database.sqliteJdbcProperties());
            return new ConnectionSource() {
                @Override
                public Connection acquire() {
                    return connection;
                }

                @Override
                public void release(Connection c) {
                    // kept open: the serial target never gives its connection back
                }

                @Override
                public void close() throws SQLException {
                    connection.close();
                }
            };
        }
    },

    /** HikariCP with {@link #POOL_SIZE} connections and sqlite-jdbc's default deferred transactions. */
    HIKARI("hikari", "HikariCP") {
        @Override
        public ConnectionSource open(BenchmarkDatabase database) {
            return pooled(hikari(database, database.sqliteJdbcProperties()));
        }
    },

    /** HikariCP as above, with sqlite-jdbc's {@code transaction_mode=IMMEDIATE}. */
    HIKARI_IMMEDIATE("hikari-immediate", "HikariCP IMMEDIATE") {
        @Override
        public ConnectionSource open(BenchmarkDatabase database) {
            Properties properties = database.sqliteJdbcProperties();
            properties.setProperty("transaction_mode", "IMMEDIATE");
            return pooled(hikari(database, properties));
        }
    },

    /**
     * The split an application makes by hand: HikariCP with one writer connection
     * ({@code transaction_mode=IMMEDIATE}) for every operation that writes, including transactions
     * that are not read-only, and HikariCP with the other {@link #POOL_SIZE} - 1 connections for
     * reads; the application routes each operation to one of them.
     */
    SPLIT("split", "one writer + readers (HikariCP)") {
        @Override
        public ConnectionSource open(BenchmarkDatabase database) {
            Properties writing = database.sqliteJdbcProperties();
            writing.setProperty("transaction_mode", "IMMEDIATE");
            HikariDataSource writer = hikari(database, writing, 1, "bench-writer");
            try {
                return split(writer, hikari(database, database.sqliteJdbcProperties(), Math.max(1, POOL_SIZE - 1),
                        "bench-readers"));
            } catch (RuntimeException e) {
                writer.close();
                throw e;
            }
        }
    },

    /** sqlite-pool with {@link #POOL_SIZE} connections and its write lane on (the default). */
    SQLITE_POOL("sqlite-pool", "sqlite-pool") {
        @Override
        public ConnectionSource open(BenchmarkDatabase database) {
            return pooled(new SqlitePool(sqlitePoolConfig(database).build()));
        }
    },

    /**
     * sqlite-pool as {@link #SQLITE_POOL} with group commit on at its default bounds: write transactions
     * waiting for the write lane are committed together (auto-commit writes are not grouped).
     */
    SQLITE_POOL_GROUP("sqlite-pool-group", "sqlite-pool, group commit") {
        @Override
        public ConnectionSource open(BenchmarkDatabase database) {
            return groupPool(database, GROUP_COMMIT);
        }
    },

    /**
     * sqlite-pool as {@link #SQLITE_POOL_GROUP} with auto-commit writes grouped too
     * ({@code group-commit.auto-commit-writes}).
     */
    SQLITE_POOL_GROUP_WRITES("sqlite-pool-group-writes", "sqlite-pool, group commit of auto-commit writes too") {
        @Override
        public ConnectionSource open(BenchmarkDatabase database) {
            return groupPool(database, GROUP_COMMIT.withAutoCommitWrites(true));
        }
    },

    /**
     * sqlite-pool with its statement cache off: every {@code prepareStatement} prepares afresh, as
     * with the serial connection and HikariCP, so the pool's own share of the difference shows.
     */
    SQLITE_POOL_NO_CACHE("sqlite-pool-no-cache", "sqlite-pool, no statement cache") {
        @Override
        public ConnectionSource open(BenchmarkDatabase database) {
            return pooled(new SqlitePool(sqlitePoolConfig(database).statementCacheSize(0).build()));
        }
    },

    /** sqlite-pool with its write lane off: the same pool, writers left to SQLite's busy handler. */
    SQLITE_POOL_NO_LANE("sqlite-pool-no-lane", "sqlite-pool, lane off") {
        @Override
        public ConnectionSource open(BenchmarkDatabase database) {
            return pooled(new SqlitePool(sqlitePoolConfig(database).writeLaneEnabled(false).build()));
        }
    };

    /** The system property that changes the group targets' {@code min-commit-time}, in microseconds. */
    public static final String MIN_COMMIT_MICROS_PROPERTY = "sqlite.pool.bench.min-commit-micros";

    /**
     * The group targets' group commit: on at its default bounds, with {@code min-commit-time} from
     * {@value #MIN_COMMIT_MICROS_PROPERTY} when set (0 groups whatever a commit costs).
     */
    static final GroupCommitSettings GROUP_COMMIT = groupCommit(System.getProperty(MIN_COMMIT_MICROS_PROPERTY));

    /** A group target's pool with {@code settings}, telling its groups before each cell's report. */
    static ConnectionSource groupPool(BenchmarkDatabase database, GroupCommitSettings settings) {
        SqlitePool pool = new SqlitePool(sqlitePoolConfig(database).groupCommit(settings).build());
        GroupCommitCount count = new GroupCommitCount();
        pool.addListener(count);
        return pooled(pool, () -> System.out.println("  group commit in the next cell (warm-up included): " + count));
    }

    static GroupCommitSettings groupCommit(String minCommitMicros) {
        GroupCommitSettings on = GroupCommitSettings.DEFAULTS.withEnabled(true);
        if (minCommitMicros == null) {
            return on;
        }
        try {
            return on.withMinCommitTime(java.time.Duration.ofNanos(Long.parseLong(minCommitMicros.trim()) * 1_000L));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MIN_COMMIT_MICROS_PROPERTY + " must be a number of microseconds, was '"
                    + minCommitMicros + "'", e);
        }
    }

    /** The system property that changes {@link #POOL_SIZE}, to see how group commit grows with the pool. */
    public static final String POOL_SIZE_PROPERTY = "sqlite.pool.bench.pool-size";

    /** Connections in every pooled target: 8, or {@value #POOL_SIZE_PROPERTY} (1 to 1024). */
    public static final int POOL_SIZE = poolSize(System.getProperty(POOL_SIZE_PROPERTY, "8"));

    static int poolSize(String value) {
        int size;
        try {
            size = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(POOL_SIZE_PROPERTY + " must be a number of connections, was '" + value + "'", e);
        }
        if (size < 1 || size > 1024) {
            throw new IllegalArgumentException(POOL_SIZE_PROPERTY + " must be 1 to 1024, was " + size);
        }
        return size;
    }

    /** Generous for every pool, so that slow hand-offs show up as latency, not as timeouts. */
    static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

    private final String cliName;
    private final String label;

    Target(String cliName, String label) {
        this.cliName = cliName;
        this.label = label;
    }

    /** Opens this target on {@code database}; closing the source closes every connection. */
    public abstract ConnectionSource open(BenchmarkDatabase database) throws SQLException;

    /** Whether this target is limited to one thread. */
    public boolean serial() {
        return this == SERIAL;
    }

    /** The name used on the command line. */
    public String cliName() {
        return cliName;
    }

    /** The name used in tables and charts. */
    public String label() {
        return label;
    }

    /** The target named {@code name} on the command line. */
    public static Target fromCliName(String name) {
        for (Target target : values()) {
            if (target.cliName.equals(name.trim())) {
                return target;
            }
        }
        throw new IllegalArgumentException("unknown target '" + name + "', expected one of " + cliNames());
    }

    static String cliNames() {
        StringBuilder names = new StringBuilder();
        for (Target target : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(target.cliName);
        }
        return names.toString();
    }

    /** sqlite-pool's configuration for the benchmark: pool size, timeout and the shared PRAGMAs. */
    public static SqlitePoolConfig.Builder sqlitePoolConfig(BenchmarkDatabase database) {
        return SqlitePoolConfig.builder()
                .url(database.url())
                .name("bench")
                .maxConnections(POOL_SIZE)
                .acquireTimeout(ACQUIRE_TIMEOUT)
                .pragmas(database.pragmas());
    }

    /** HikariCP's configuration for the benchmark, given sqlite-jdbc's connection properties. */
    public static HikariDataSource hikari(BenchmarkDatabase database, Properties sqliteJdbcProperties) {
        return hikari(database, sqliteJdbcProperties, POOL_SIZE, "bench-hikari");
    }

    /** As above, with {@code size} connections, named {@code name}. */
    static HikariDataSource hikari(BenchmarkDatabase database, Properties sqliteJdbcProperties, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(database.url());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(ACQUIRE_TIMEOUT.toMillis());
        config.setDataSourceProperties(sqliteJdbcProperties);
        return new HikariDataSource(config);
    }

    /** A source that leases each operation that writes from {@code writer}, each read from {@code readers}. */
    static ConnectionSource split(HikariDataSource writer, HikariDataSource readers) {
        return new ConnectionSource() {
            @Override
            public Connection acquire() throws SQLException {
                return acquire(true);
            }

            @Override
            public Connection acquire(boolean writes) throws SQLException {
                return (writes ? writer : readers).getConnection();
            }

            @Override
            public void release(Connection connection) throws SQLException {
                connection.close();
            }

            @Override
            public void close() {
                try {
                    writer.close();
                } finally {
                    readers.close();
                }
            }
        };
    }

    /** A source that leases per operation from a pool that is closed with the source. */
    static <P extends DataSource & AutoCloseable> ConnectionSource pooled(P pool) {
        return pooled(pool, () -> { });
    }

    /** As {@link #pooled(DataSource)}, running {@code afterClose} once the pool is closed. */
    static <P extends DataSource & AutoCloseable> ConnectionSource pooled(P pool, Runnable afterClose) {
        return new ConnectionSource() {
            @Override
            public Connection acquire() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void release(Connection connection) throws SQLException {
                connection.close();
            }

            @Override
            public void close() throws SQLException {
                try {
                    pool.close();
                } catch (SQLException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new SQLException("cannot close " + pool, e);
                } finally {
                    afterClose.run();
                }
            }
        };
    }
}
