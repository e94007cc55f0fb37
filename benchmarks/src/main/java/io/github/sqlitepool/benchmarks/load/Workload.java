package io.github.sqlitepool.benchmarks.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One operation of each load pattern, done on a connection the caller already holds.
 * Rows are picked uniformly at random from the {@link BenchmarkDatabase#ROWS} rows, so
 * writers contend for the database, not for one hot row.
 */
public enum Workload {

    /** A point {@code SELECT} by primary key in auto-commit mode. */
    READ {
        @Override
        boolean writes(ThreadLocalRandom random) {
            return false;
        }

        @Override
        void execute(Connection connection, ThreadLocalRandom random, boolean writes) throws SQLException {
            readCounter(connection, randomId(random));
        }
    },

    /** An auto-commit {@code UPDATE} of one row. */
    WRITE {
        @Override
        void execute(Connection connection, ThreadLocalRandom random, boolean writes) throws SQLException {
            increment(connection, randomId(random));
        }
    },

    /**
     * A transaction that reads a row and then updates it, the way Spring's
     * {@code DataSourceTransactionManager} drives JDBC: auto-commit off, work, commit,
     * auto-commit back on. On failure the transaction is rolled back and the error rethrown.
     */
    RMW {
        @Override
        void execute(Connection connection, ThreadLocalRandom random, boolean writes) throws SQLException {
            long id = randomId(random);
            inTransaction(connection, () -> {
                long counter = readCounter(connection, id);
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE items SET counter = ? WHERE id = ?")) {
                    update.setLong(1, counter + 1);
                    update.setLong(2, id);
                    update.executeUpdate();
                }
            });
        }
    },

    /**
     * Auto-commit updates, as {@link #WRITE}, while one more thread (not counted) runs a
     * transaction that is not read-only, reads a row, then "thinks" for {@link #THINK_MILLIS}
     * (a remote call), commits without writing, and starts over: issue 14, row 4. What it
     * reports is the writers' throughput beside such a transaction. The serial reference has no
     * thinker (one connection cannot hold a transaction open beside its own writes).
     */
    THINK {
        @Override
        void execute(Connection connection, ThreadLocalRandom random, boolean writes) throws SQLException {
            increment(connection, randomId(random));
        }
    },

    /** Nine point reads for every auto-commit update, chosen at random per operation. */
    MIXED {
        @Override
        boolean writes(ThreadLocalRandom random) {
            return random.nextInt(10) == 0;
        }

        @Override
        void execute(Connection connection, ThreadLocalRandom random, boolean writes) throws SQLException {
            if (writes) {
                increment(connection, randomId(random));
            } else {
                readCounter(connection, randomId(random));
            }
        }
    },

    /**
     * Writers of both kinds at once: a {@link #RMW} transaction or a {@link #WRITE}, chosen at
     * random per operation, half each. Not in the default run: it measures how transactions and
     * auto-commit writes share group commits.
     */
    BLEND {
        @Override
        void execute(Connection connection, ThreadLocalRandom random, boolean writes) throws SQLException {
            (random.nextBoolean() ? RMW : WRITE).execute(connection, random, true);
        }
    };

    /** The workloads a run without {@code --workloads} measures. */
    public static final List<Workload> DEFAULT_RUN = List.of(READ, WRITE, RMW, THINK, MIXED);

    /** How long the thinker of {@link #THINK} waits between its read and its commit. */
    public static final long THINK_MILLIS = 500;

    /**
     * Whether the next operation writes, drawn before its connection is taken (a split source
     * routes writes and reads to different pools); every workload but {@link #READ} and the reads of
     * {@link #MIXED} writes.
     */
    boolean writes(ThreadLocalRandom random) {
        return true;
    }

    /**
     * Does one operation, the one {@link #writes} drew ({@code writes}); any {@link SQLException} is
     * the operation's failure.
     */
    abstract void execute(Connection connection, ThreadLocalRandom random, boolean writes) throws SQLException;

    /** The name used on the command line and in reports. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The workload named {@code name} on the command line. */
    public static Workload fromCliName(String name) {
        for (Workload workload : values()) {
            if (workload.cliName().equals(name.trim())) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "', expected one of read, write, rmw, think, mixed, blend");
    }

    private static long randomId(ThreadLocalRandom random) {
        return 1 + random.nextInt(BenchmarkDatabase.ROWS);
    }

    /**
     * The thinker of {@link #THINK}, once: reads in a transaction, waits {@link #THINK_MILLIS},
     * commits. Interrupted, it ends the transaction and returns with the flag set.
     */
    static void think(Connection connection, ThreadLocalRandom random) throws SQLException {
        inTransaction(connection, () -> {
            readCounter(connection, randomId(random));
            try {
                Thread.sleep(THINK_MILLIS); // the remote call
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The work of one transaction, run between {@code setAutoCommit(false)} and {@code commit()}. */
    @FunctionalInterface
    private interface TransactionBody {
        void run() throws SQLException;
    }

    /**
     * Runs {@code body} the way Spring's {@code DataSourceTransactionManager} drives JDBC:
     * auto-commit off, work, commit, auto-commit back on; on failure rolls back and rethrows.
     */
    private static void inTransaction(Connection connection, TransactionBody body) throws SQLException {
        connection.setAutoCommit(false);
        SQLException failure = null;
        try {
            body.run();
            connection.commit();
        } catch (SQLException e) {
            failure = e;
            rollback(connection, e);
        } finally {
            failure = restoreAutoCommit(connection, failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static long readCounter(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT counter FROM items WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("row " + id + " is missing from the benchmark table");
                }
                return rs.getLong(1);
            }
        }
    }

    private static void increment(Connection connection, long id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE items SET counter = counter + 1 WHERE id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
    }

    private static void rollback(Connection connection, SQLException cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static SQLException restoreAutoCommit(Connection connection, SQLException pending) {
        try {
            connection.setAutoCommit(true);
            return pending;
        } catch (SQLException e) {
            if (pending == null) {
                return e;
            }
            pending.addSuppressed(e);
            return pending;
        }
    }
}
