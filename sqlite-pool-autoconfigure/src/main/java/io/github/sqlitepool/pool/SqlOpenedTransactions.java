package io.github.sqlitepool.pool;

import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;

/**
 * The transactions a lease's SQL opens in auto-commit mode: the one the lease follows statement by
 * statement ({@code BEGIN}, or a first {@code SAVEPOINT}, until the statement that ends it), and
 * whether SQL ran that may have opened one it does not follow (lane off, read-only, several
 * statements in one text, a batch), so that the lease's reset checks for one. Made for a lease
 * only when its SQL does either: the others pay nothing.
 */
final class SqlOpenedTransactions {

    /** Savepoints open in the followed transaction when {@code SAVEPOINT} opened it; 0 when {@code BEGIN} did. */
    private int savepointDepth;

    /** Set when SQL ran that may have opened a transaction the lease does not follow. */
    private boolean othersPossible;

    /** The lease follows a transaction that a statement of {@code kind} opened. */
    void opened(SqlKind kind) {
        savepointDepth = kind == SqlKind.SAVEPOINT ? 1 : 0;
    }

    /**
     * Whether a statement of {@code kind}, run inside the followed transaction, ended it:
     * {@code COMMIT}/{@code END}/{@code ROLLBACK}, or the {@code RELEASE} of the savepoint that
     * opened it. Releasing an outer savepoint by name is not followed; the transaction then stays
     * until {@code COMMIT} or the lease ends.
     */
    boolean endedBy(SqlKind kind) {
        switch (kind) {
            case SAVEPOINT:
                if (savepointDepth > 0) {
                    savepointDepth++;
                }
                return false;
            case RELEASE:
                return savepointDepth > 0 && --savepointDepth == 0;
            case END:
                return true;
            default:
                return false;
        }
    }

    /** The followed transaction is over (ended, or rolled back behind the driver's back). */
    void ended() {
        savepointDepth = 0;
    }

    /** Whether {@code sql}, of {@code kind} ({@code null}: a batch), may open a transaction that is not followed. */
    static boolean mayOpenOthers(SqlKind kind, String sql) {
        return kind == SqlKind.BEGIN || kind == SqlKind.BEGIN_WRITE || kind == SqlKind.SAVEPOINT
                || sql == null || (kind == SqlKind.WRITE && sql.indexOf(';') >= 0);
    }

    /** SQL ran that {@link #mayOpenOthers may have opened} a transaction that is not followed. */
    void othersOpened() {
        othersPossible = true;
    }

    boolean othersPossible() {
        return othersPossible;
    }

    /** For the lease's next user. */
    void clear() {
        savepointDepth = 0;
        othersPossible = false;
    }
}
