package io.github.sqlitepool.pool;

/**
 * The SQLState codes the pool puts on the exceptions it raises itself (SQL:2011 and ODBC classes),
 * named once so that callers and Spring's {@code SQLStateSQLExceptionTranslator} see the same code
 * for the same condition.
 */
final class SqlStates {

    /** Class 08: the client could not get a connection (pool exhausted, write lane timed out, interrupted). */
    static final String CONNECTION_UNAVAILABLE = "08001";

    /** Class 08: the connection (or the pool) is closed. */
    static final String CONNECTION_CLOSED = "08003";

    /** Class 24: a result set used after it was closed. */
    static final String INVALID_CURSOR_STATE = "24000";

    /** Class 25: a call not allowed in the connection's transaction state. */
    static final String INVALID_TRANSACTION_STATE = "25000";

    /** Class 25: a write attempted in a read-only transaction. */
    static final String READ_ONLY_TRANSACTION = "25006";

    /**
     * Class 40: serialization failure. A transaction that lost the write lane after reading, and
     * that would write after another transaction committed since its snapshot; retry it.
     */
    static final String SERIALIZATION_FAILURE = "40001";

    /** ODBC class HY: a statement used after it was closed. */
    static final String FUNCTION_SEQUENCE_ERROR = "HY010";

    private SqlStates() {
    }
}
