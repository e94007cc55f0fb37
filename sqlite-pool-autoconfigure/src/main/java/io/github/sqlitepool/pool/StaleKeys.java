package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * Guards the generated keys of a write while its lease's last row id is not known
 * ({@link OwedCounters}): sqlite-jdbc answers the keys of an insert that inserted nothing (an
 * ignored {@code INSERT OR IGNORE}) with its connection's last row id, which is then stale, so
 * they are refused (SQLState {@code 25000}) instead, on the lease's own connection and as a
 * transaction's member on a group's (a write a group elsewhere takes has its keys answered by that
 * group's results, {@link GroupedResults}). The row id is read right around the driver's call, on
 * the connection the statement runs on, so that what the pool sets or runs there before or after
 * (owed counters, a group's queued writes) does not count.
 */
final class StaleKeys {

    private StaleKeys() {
    }

    /**
     * {@code call}, the driver's execution of {@code sql} by {@code statement}, guarded when the
     * lease's last row id is not known and {@code sql} may leave keys; else {@code call} itself.
     */
    static <T> SqlCall<T> guard(OwedCounters counters, LeasedStatement<?> statement, String sql, SqlCall<T> call) {
        if (counters == null || sql == null || !StatementCache.mayLeaveGeneratedKeys(sql)) {
            return call;
        }
        Statement own = statement.delegate;
        return () -> {
            Statement runsOn = statement.delegate;
            if (runsOn != own || counters.rowIdKnown()) {
                // a group elsewhere runs it, whose results answer the keys (GroupedResults); or known,
                // looked at now: setting what is owed may have failed just before
                return call.call();
            }
            long before = lastRowId(runsOn);
            T result = call.call();
            long after = lastRowId(runsOn);
            if (before == NOT_READ || after == NOT_READ || after == before) {
                statement.refuseKeys(CallersRowId.notKnown()); // inserted nothing, or cannot be told
            }
            return result;
        };
    }

    private static final long NOT_READ = Long.MIN_VALUE;

    private static long lastRowId(Statement runsOn) {
        try {
            return ConnectionCounters.lastInsertRowId(runsOn.getConnection());
        } catch (SQLException | RuntimeException e) {
            return NOT_READ;
        }
    }
}
