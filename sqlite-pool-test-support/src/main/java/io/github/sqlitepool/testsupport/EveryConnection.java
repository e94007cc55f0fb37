package io.github.sqlitepool.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Runs a check on every connection of a pool: takes as many connections as the pool holds, all at
 * once, so that no connection is handed out twice and none is left unchecked, then closes them.
 */
public final class EveryConnection {

    private EveryConnection() {
    }

    /** A check of one connection; it fails the test by throwing. */
    @FunctionalInterface
    public interface Check {

        void check(Connection connection) throws SQLException;
    }

    /**
     * Takes {@code count} connections from {@code pool} (they stay open together; {@code count}
     * is the pool's size, so each is a different pooled connection), runs {@code check} on each
     * in the order taken, and closes them all, also when a check fails.
     */
    public static void check(DataSource pool, int count, Check check) throws SQLException {
        List<Connection> leases = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                leases.add(pool.getConnection());
            }
            for (Connection lease : leases) {
                check.check(lease);
            }
        } finally {
            for (Connection lease : leases) {
                lease.close();
            }
        }
    }
}
