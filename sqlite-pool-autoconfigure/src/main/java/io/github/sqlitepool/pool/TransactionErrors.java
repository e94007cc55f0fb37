package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

/** The errors a lease's transactions end in, each saying what happened and what to do. */
final class TransactionErrors {

    private TransactionErrors() {
    }

    /**
     * A transaction that read first, lost the lane, and would write after {@code commitsSince}
     * commits of others: SQLite would refuse the upgrade ({@code SQLITE_BUSY_SNAPSHOT}). SQLState
     * {@code 40001}, which Spring translates to a {@code ConcurrencyFailureException}.
     */
    static SQLException serializationFailure(String poolName, long commitsSince, String sql) {
        return new SQLException("write lane of pool '" + poolName + "': this transaction read first and lost"
                + " the lane before its first write (another writer waited longer than the lane's bound, or"
                + " its own thread wrote through another connection), and " + commitsSince
                + " transaction(s) committed since its first read, so SQLite would refuse to let it write"
                + " (SQLITE_BUSY_SNAPSHOT). Nothing was run: " + describe(sql)
                + ". Roll the transaction back and retry it; to avoid this, write sooner after the first"
                + " read, or mark transactions that only read read-only", SqlStates.SERIALIZATION_FAILURE);
    }

    /** A transaction's commit or rollback that came once a close from another thread had begun to settle its lease. */
    static SQLException closedWhileEnding() {
        return new SQLException("the connection was closed by another thread while its transaction ended; nothing "
                + "of the transaction was committed", SqlStates.CONNECTION_CLOSED);
    }

    /**
     * A statement or commit in a transaction that SQLite already rolled back after {@code abortedBy},
     * or the pool did ({@link #groupDeadlock}).
     */
    static SQLException aborted(SQLException abortedBy, String what) {
        if (abortedBy instanceof SQLTransactionRollbackException) {
            return new SQLTransactionRollbackException(abortedBy.getMessage() + "; " + what, abortedBy.getSQLState(),
                    abortedBy);
        }
        return new SQLException("the transaction was already rolled back by SQLite after " + abortedBy.getMessage()
                + "; call rollback() to begin again; " + what, abortedBy.getSQLState(), abortedBy);
    }

    /**
     * A group member's transaction rolled back by the pool because its thread waited, through
     * {@code cycle}, for a lock that a caller waiting for the group holds. SQLState {@code 40001},
     * which Spring translates to a {@code ConcurrencyFailureException}.
     */
    static SQLException groupDeadlock(String poolName, String cycle) {
        return new SQLTransactionRollbackException("write lane of pool '" + poolName + "': this transaction was"
                + " rolled back to break a deadlock: it ran in a group commit, and " + cycle + ", which waits for"
                + " that group to end (in commit(), or for a write the group ran). Nothing of this transaction was"
                + " committed; call rollback() and"
                + " retry it. To avoid it, do not hold a lock across commit() (a synchronized method around a"
                + " transaction), or turn group commit off (sqlite.pool.write-lane.group-commit.enabled=false)",
                SqlStates.SERIALIZATION_FAILURE);
    }

    /** A statement that can write, refused on a read-only lease before it ran. */
    static SQLException writeOnReadOnly(String sql) {
        return new SQLException("connection is read-only (Connection.setReadOnly(true), for example "
                + "@Transactional(readOnly = true)) and this statement can write; nothing was run: "
                + describe(sql), SqlStates.READ_ONLY_TRANSACTION);
    }

    /**
     * {@code BEGIN}, {@code COMMIT} or {@code ROLLBACK} written in SQL inside a JDBC transaction that
     * runs in a commit group: it would end or nest the transaction the group shares.
     */
    static SQLException transactionSqlInGroup(String sql) {
        return new SQLException("this transaction runs in a group commit (sqlite.pool.write-lane.group-commit), "
                + "where BEGIN, COMMIT and ROLLBACK written in SQL would end the transaction other callers share; "
                + "use Connection.commit()/rollback(), or turn group commit off. Nothing was run: " + describe(sql),
                SqlStates.INVALID_TRANSACTION_STATE);
    }

    /** The statement as messages name it; {@code null} is a batch of statements whose text is not known. */
    static String describe(String sql) {
        return sql == null ? "a batch" : sql;
    }
}
