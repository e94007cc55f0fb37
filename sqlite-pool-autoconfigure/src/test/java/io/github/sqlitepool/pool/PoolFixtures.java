package io.github.sqlitepool.pool;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import io.github.sqlitepool.pool.config.SqliteUrl;
import org.sqlite.SQLiteConnection;

/** Shared helpers for the pool tests: configs on temp files and one-line SQL. */
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

    public static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getLong(1);
        }
    }

    /** The sqlite-jdbc connection behind a lease. */
    public static SQLiteConnection physical(Connection lease) throws SQLException {
        return lease.unwrap(SQLiteConnection.class);
    }
}
