package io.github.sqlitepool.pool;

import java.sql.SQLException;

/**
 * Runs a lease's statement executions through its {@link LeaseTransactions}: bounds each by its
 * query timeout (the wait for the write lane included) and stops it on {@code Statement.cancel()}.
 */
final class LeaseExecutions {

    private final LeaseTransactions transactions;

    /** Stops a running execution at its query timeout or on {@code Statement.cancel()}. */
    private final StatementInterrupts interrupts;

    LeaseExecutions(LeaseTransactions transactions, StatementInterrupts interrupts) {
        this.transactions = transactions;
        this.interrupts = interrupts;
    }

    /**
     * Runs one execution of {@code sql}; {@code sql} is null when the text is not known (a batch
     * of different statements). A query timeout of the statement is a deadline for the whole
     * execution, the wait for the write lane included.
     */
    <T> T execute(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        int timeout = statement.queryTimeoutSeconds();
        interrupts.begin(timeout);
        T result;
        try {
            result = transactions.execute(statement, sql, () -> {
                if (!interrupts.enterSqlite()) { // the deadline passed, or a cancel came, while it waited for the lane
                    throw QueryDeadline.notStarted();
                }
                try {
                    return call.call();
                } finally {
                    interrupts.leaveSqlite();
                }
            });
        } catch (SQLException e) {
            throw QueryDeadline.explain(interrupts.started(), interrupts.end(), timeout, sql, e);
        } catch (RuntimeException | Error e) {
            interrupts.end();
            throw e;
        }
        interrupts.end();
        return result;
    }

    /** How long an execution may still wait for the write lane: -1 when it has no query timeout. */
    long timeLeftNanos() {
        return interrupts.timeLeftNanos();
    }

    /** Executions run on {@code database} from now on (a lease moving into or out of a commit group). */
    void useDatabase(org.sqlite.core.DB database) {
        interrupts.useDatabase(database);
    }

    /** Stops the running execution, if any; from any thread. */
    void cancel() throws SQLException {
        interrupts.cancel();
    }
}
