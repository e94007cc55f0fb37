package io.github.sqlitepool.pool;

import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import io.github.sqlitepool.pool.sql.SqlStatements;

/**
 * Whether an execution begins or ends a transaction, for a group's member, where that is refused
 * ({@link JdbcTransaction#execute}): the kind of a text says so only for a single statement, so a
 * text of several statements is looked into, and a plain statement's batch remembers what its
 * texts do as they are added (the batch runs them without their texts being known).
 */
final class StatementTexts {

    /** Whether a text added to the pending batch begins or ends a transaction. */
    private boolean batchBeginsOrEnds;

    /** Whether this execution of {@code sql} ({@code null}: the pending batch), of {@code kind}, begins or ends a transaction. */
    boolean beginsOrEnds(SqlKind kind, String sql) {
        return kind == SqlKind.BEGIN || kind == SqlKind.BEGIN_WRITE || kind == SqlKind.END
                || (sql == null ? batchBeginsOrEnds
                        : sql.indexOf(';') >= 0 && SqlStatements.beginsOrEndsTransaction(sql));
    }

    /** {@code sql} was added to the batch. */
    void added(String sql) {
        batchBeginsOrEnds |= SqlStatements.beginsOrEndsTransaction(sql);
    }

    /** The batch was cleared. */
    void cleared() {
        batchBeginsOrEnds = false;
    }

    /** {@code run}, which runs the batch, followed by {@link #cleared}: the driver clears its batch whatever the outcome. */
    <T> SqlCall<T> thenCleared(SqlCall<T> run) {
        return () -> {
            try {
                return run.call();
            } finally {
                cleared();
            }
        };
    }
}
