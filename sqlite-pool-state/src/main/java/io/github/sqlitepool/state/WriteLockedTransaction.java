package io.github.sqlitepool.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs work on one connection in a transaction that holds the database's write lock from its
 * start, as the dialect takes it ({@link StateSql#beginWriteTransaction()}, else a JDBC
 * transaction that runs {@link StateSql#claimWriteLock()} first): whoever else takes the lock,
 * in this process or another, waits until the work has committed or rolled back. The work
 * therefore sees no write of anyone else between its first read and its commit.
 */
final class WriteLockedTransaction {

    /** Work on the locked connection. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final StateSql sql;

    /** How long taking the lock may wait, in seconds: the operation timeout. */
    private final int lockTimeoutSeconds;

    WriteLockedTransaction(StateSql sql, int lockTimeoutSeconds) {
        this.sql = sql;
        this.lockTimeoutSeconds = lockTimeoutSeconds;
    }

    /**
     * Runs {@code work} in a locked transaction on {@code connection} (in auto-commit mode) and
     * commits it; rolls it back when anything fails, and leaves the connection in auto-commit mode.
     */
    <T> T run(Connection connection, Work<T> work) throws SQLException {
        String begin = sql.beginWriteTransaction();
        return begin != null ? inSqlTransaction(connection, begin, work) : inJdbcTransaction(connection, work);
    }

    /**
     * A transaction opened in SQL: JDBC would begin it deferred, taking the lock only at the first
     * write, by when the work has read the schema version another process may be changing.
     */
    private <T> T inSqlTransaction(Connection connection, String begin, Work<T> work) throws SQLException {
        execute(connection, begin, lockTimeoutSeconds);
        try {
            T result = work.apply(connection);
            execute(connection, "COMMIT", 0);
            return result;
        }
        catch (Throwable ex) {
            try {
                execute(connection, "ROLLBACK", 0);
            }
            catch (SQLException | RuntimeException rollbackFailure) {
                ex.addSuppressed(rollbackFailure);
            }
            throw ex;
        }
    }

    private <T> T inJdbcTransaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        Throwable failure = null;
        try {
            String claim = sql.claimWriteLock();
            if (claim != null) {
                execute(connection, claim, lockTimeoutSeconds);
            }
            T result = work.apply(connection);
            connection.commit();
            return result;
        }
        catch (Throwable ex) {
            failure = ex;
            try {
                connection.rollback();
            }
            catch (SQLException | RuntimeException rollbackFailure) {
                ex.addSuppressed(rollbackFailure);
            }
            throw ex;
        }
        finally {
            restoreAutoCommit(connection, failure);
        }
    }

    /** A failure to restore auto-commit never hides the failure that ended the work: it is added to it. */
    private static void restoreAutoCommit(Connection connection, Throwable failure) throws SQLException {
        try {
            connection.setAutoCommit(true);
        }
        catch (SQLException | RuntimeException ex) {
            if (failure == null) {
                throw ex;
            }
            failure.addSuppressed(ex);
        }
    }

    /** Runs {@code statementText}, waiting at most {@code timeoutSeconds} (0: no bound, for a script's own end). */
    private static void execute(Connection connection, String statementText, int timeoutSeconds) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.execute(statementText);
        }
    }
}
