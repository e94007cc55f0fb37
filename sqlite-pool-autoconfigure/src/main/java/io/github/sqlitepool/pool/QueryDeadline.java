package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/** The errors of an execution stopped by its query timeout or by {@code Statement.cancel()}. */
final class QueryDeadline {

    /** ODBC's "timeout expired", which JDBC drivers commonly use for a query timeout. */
    private static final String TIMEOUT_EXPIRED = "HYT00";

    /** ODBC's "operation canceled". */
    private static final String OPERATION_CANCELED = "HY008";

    private QueryDeadline() {
    }

    /**
     * The query timeout passed (or a cancel came) after the execution got the write lane but
     * before it called the driver; {@link #explain} turns this into the error of its cause.
     */
    static SQLException notStarted() {
        return new SQLException("stopped while it waited for the write lane");
    }

    /**
     * The error to throw for {@code failure}: an {@link SQLTimeoutException} when the query
     * timeout stopped the execution, an explained one when another thread cancelled it, else
     * {@code failure} itself.
     */
    static SQLException explain(boolean started, StatementInterrupts.Cause cause, int timeoutSeconds, String sql,
            SQLException failure) {
        switch (cause) {
            case DEADLINE:
                return new SQLTimeoutException(started
                        ? "statement ran past its query timeout of " + timeoutSeconds + " s (Statement.setQueryTimeout,"
                                + " @Transactional(timeout), or the StateManager's operation-timeout) and was"
                                + " interrupted; a write it made inside a transaction was rolled back with the"
                                + " transaction: " + text(sql)
                        : "query timeout of " + timeoutSeconds + " s passed while the statement waited for the"
                                + " write lane; nothing was run: " + text(sql),
                        TIMEOUT_EXPIRED, failure);
            case CANCEL:
                return new SQLException((started ? "statement was cancelled" : "statement was cancelled before it ran")
                        + " by Statement.cancel() from another thread: " + text(sql), OPERATION_CANCELED, failure);
            default:
                return failure;
        }
    }

    private static String text(String sql) {
        return sql == null ? "a batch" : sql;
    }
}
