package io.github.sqlitepool.pool;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import io.github.sqlitepool.pool.config.SqliteUrl;
import io.github.sqlitepool.testsupport.Queries;
import org.sqlite.SQLiteConnection;

/** Shared helpers for the module's tests: configs on temp files, one-line SQL, cause chains. */
public final class PoolFixtures {

    private PoolFixtures() {
    }

    /** A query that runs for minutes: counts to ten billion. */
    static final String ENDLESS_QUERY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
            + " WHERE x < 10000000000) SELECT count(*) FROM c";

    public static String fileUrl(Path dir) {
        return SqliteUrl.PREFIX + dir.resolve("test.db");
    }

    /** A config on {@code dir/test.db} with short timeouts, so failing tests fail quickly. */
    public static SqlitePoolConfig.Builder config(Path dir, int maxConnections) {
        return SqlitePoolConfig.builder()
                .url(fileUrl(dir))
                .name("test-pool")
                .maxConnections(maxConnections)
                .acquireTimeout(Duration.ofSeconds(5))
                .shutdownTimeout(Duration.ofSeconds(5));
    }

    public static SqlitePool pool(Path dir, int maxConnections) {
        return new SqlitePool(config(dir, maxConnections).build());
    }

    public static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** {@link Queries#queryLong}, under the name this module's tests import. */
    public static long queryLong(Connection connection, String sql) throws SQLException {
        return Queries.queryLong(connection, sql);
    }

    /** The value of {@code PRAGMA name} (the first column of its first row). */
    public static String pragma(Connection connection, String name) throws SQLException {
        return queryString(connection, "PRAGMA " + name);
    }

    /** {@code failure} and its causes, outermost first. */
    public static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The outermost cause of {@code failure} (or itself) that is a {@code type}, or null. */
    public static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        return causes(failure).stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    /** The sqlite-jdbc connection behind a lease. */
    public static SQLiteConnection physical(Connection lease) throws SQLException {
        return lease.unwrap(SQLiteConnection.class);
    }

    /**
     * Group commit on, forming a group whenever a transaction waits (no commit-time threshold), with
     * bounds far above what the tests' groups take, so that a loaded machine cannot cut one short.
     */
    public static final GroupCommitSettings GROUP_WHENEVER_WAITING =
            new GroupCommitSettings(true, 32, Duration.ofSeconds(1), Duration.ZERO);

    /** {@link #GROUP_WHENEVER_WAITING} as Spring Boot properties. */
    public static final String[] GROUP_WHENEVER_WAITING_PROPERTIES = {
        "sqlite.pool.write-lane.group-commit.enabled=true",
        "sqlite.pool.write-lane.group-commit.max-members=32",
        "sqlite.pool.write-lane.group-commit.max-age=1s",
        "sqlite.pool.write-lane.group-commit.min-commit-time=0"};

    /** Waits (at most 10 s) until {@code count} transactions wait for {@code pool}'s write lane. */
    public static void awaitLaneWaiters(SqlitePool pool, int count) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> pool.writeLaneStats().waiting() >= count);
    }

    /** Work run inside one transaction. */
    public interface TransactionWork {
        void run(Connection connection) throws Exception;
    }

    /**
     * Commits the open transaction, or rolls it back and returns the commit's error; auto-commit is
     * back on either way.
     */
    public static Throwable commitOrRollBack(Connection connection) throws SQLException {
        try {
            connection.commit();
            return null;
        } catch (SQLException e) {
            connection.rollback();
            return e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Runs {@code work} in a transaction and commits it ({@link #commitOrRollBack}); an error of
     * the work rolls it back. Returns the error, or null when it committed.
     */
    public static Throwable inTransaction(Connection connection, TransactionWork work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            work.run(connection);
        } catch (Exception e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            connection.setAutoCommit(true);
            return e;
        }
        return commitOrRollBack(connection);
    }
}
