package io.github.sqlitepool.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a lease in auto-commit mode whose open result keeps the write lane: SQLite
 * keeps an {@code INSERT ... RETURNING}'s write transaction until its statement is reset. Made for
 * a lease only when such a result kept the lane.
 */
final class OpenWriteResults {

    private final List<LeasedStatement<?>> statements = new ArrayList<>(2);

    void keep(LeasedStatement<?> statement) {
        if (!statements.contains(statement)) {
            statements.add(statement);
        }
    }

    /** Whether {@code statement}'s result kept the lane (it does no longer). */
    boolean remove(LeasedStatement<?> statement) {
        return statements.remove(statement);
    }

    boolean isEmpty() {
        return statements.isEmpty();
    }

    /** Forgets every statement; whether any result was open. */
    boolean clear() {
        boolean open = !isEmpty();
        statements.clear();
        return open;
    }
}
