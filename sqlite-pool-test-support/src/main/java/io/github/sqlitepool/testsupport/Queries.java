package io.github.sqlitepool.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One-value queries for tests: a PRAGMA read back, a count. */
public final class Queries {

    private Queries() {
    }

    /**
     * Runs {@code sql} on {@code connection} and returns the first column of its first row as a
     * {@code long}; fails the test ({@link AssertionError}) when there is no row.
     */
    public static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getLong(1);
        }
    }
}
