package io.github.sqlitepool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;

import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import org.sqlite.core.DB;

/**
 * Runs a lease's statement executions through its {@link LeaseTransactions}: bounds each by its
 * query timeout (the wait for the write lane included) and stops it on {@code Statement.cancel()}.
 */
final class LeaseExecutions {

    private static final VarHandle INTERRUPTS =
            FieldHandles.of(MethodHandles.lookup(), "interrupts", StatementInterrupts.class);

    private final LeaseTransactions transactions;

    /** The connection the executions run on. */
    private final LeaseConnections connections;

    /**
     * Stops a running execution at its query timeout or on {@code Statement.cancel()}. Made at the
     * first execution, so that a lease that runs none does not pay for it; published with a
     * release store for a cancel from another thread.
     */
    private StatementInterrupts interrupts;

    LeaseExecutions(LeaseTransactions transactions, LeaseConnections connections) {
        this.transactions = transactions;
        this.connections = connections;
    }

    private StatementInterrupts interrupts() {
        StatementInterrupts made = interrupts;
        if (made == null) {
            made = new StatementInterrupts(connections.database());
            INTERRUPTS.setRelease(this, made);
        }
        return made;
    }

    /**
     * Runs one execution of {@code sql}; {@code sql} is null when the text is not known (a batch
     * of different statements). A query timeout of the statement is a deadline for the whole
     * execution, the wait for the write lane included.
     */
    <T> T execute(LeasedStatement<?> statement, SqlKind kind, String sql, SqlCall<T> call) throws SQLException {
        int timeout = statement.queryTimeoutSeconds();
        StatementInterrupts interrupts = interrupts();
        interrupts.begin(timeout);
        T result;
        try {
            result = transactions.execute(statement, kind, sql, () -> {
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
        return interrupts == null ? -1 : interrupts.timeLeftNanos();
    }

    /** Executions run on {@code database} from now on (a lease moving into or out of a commit group). */
    void useDatabase(DB database) {
        if (interrupts != null) {
            interrupts.useDatabase(database);
        }
    }

    /** Stops the running execution, if any; from any thread. */
    void cancel() throws SQLException {
        StatementInterrupts running = (StatementInterrupts) INTERRUPTS.getAcquire(this);
        if (running != null) { // none: nothing ran on this lease yet, so nothing runs now
            running.cancel();
        }
    }
}
