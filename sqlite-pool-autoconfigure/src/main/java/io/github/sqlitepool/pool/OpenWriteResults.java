package io.github.sqlitepool.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a lease in auto-commit mode whose open result keeps the write lane: SQLite
 * keeps an {@code INSERT ... RETURNING}'s write transaction until its statement is reset. Usually
 * empty, and then allocation-free.
 */
final class OpenWriteResults {

    private List<LeasedStatement<?>> statements;

    void keep(LeasedStatement<?> statement) {
        if (statements == null) {
            statements = new ArrayList<>(2);
        }
        if (!statements.contains(statement)) {
            statements.add(statement);
        }
    }

    /** Whether {@code statement}'s result kept the lane (it does no longer). */
    boolean remove(LeasedStatement<?> statement) {
        return statements != null && statements.remove(statement);
    }

    boolean isEmpty() {
        return statements == null || statements.isEmpty();
    }

    /** Forgets every statement; whether any result was open. */
    boolean clear() {
        boolean open = !isEmpty();
        if (statements != null) {
            statements.clear();
        }
        return open;
    }
}
