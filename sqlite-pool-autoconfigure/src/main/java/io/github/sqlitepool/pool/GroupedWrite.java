package io.github.sqlitepool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.core.CorePreparedStatement;
import org.sqlite.core.CoreStatement;

/**
 * An auto-commit write run in a commit group by the group's holder ({@link WriteBatch}): the caller's
 * statement was made, and its parameters bound, on the caller's own connection, so the write runs
 * on a driver statement made like it on the group's connection, with the same SQL and the same
 * parameter values. What the caller may ask of its statement afterwards (the update count, the
 * generated keys) is taken there at once, before the next member's write changes it
 * ({@link GroupedResults}).
 *
 * <p>The parameter values are copied from the driver's own array of bound values (sqlite-jdbc
 * keeps them as Java objects until the execution binds them): exactly what the caller's statement
 * would have bound, whatever setter set them. When that array cannot be reached (sqlite-jdbc's
 * classes in a named module that does not open them), prepared statements' writes run alone.
 */
final class GroupedWrite {

    private static final Logger log = LoggerFactory.getLogger(GroupedWrite.class);

    /** {@code CoreStatement.batch}: the bound values; null when the driver's classes are not open to the pool. */
    private static final VarHandle BOUND_VALUES = driverField(CoreStatement.class, "batch", Object[].class);

    /** {@code CoreStatement.batchPos}: above 0 once a batch has rows. */
    private static final VarHandle BATCH_POSITION = driverField(CoreStatement.class, "batchPos", int.class);

    /**
     * {@code CorePreparedStatement.batchQueryCount}: the rows of a batch; a statement without
     * parameters adds rows without moving {@link #BATCH_POSITION}.
     */
    private static final VarHandle BATCH_ROWS = driverField(CorePreparedStatement.class, "batchQueryCount", int.class);

    /** {@code CorePreparedStatement.paramCount}. */
    private static final VarHandle PARAMETER_COUNT = driverField(CorePreparedStatement.class, "paramCount", int.class);

    /** Whether the driver's bound values can be copied. */
    private static final boolean COPIES_PARAMETERS = BOUND_VALUES != null && BATCH_POSITION != null
            && BATCH_ROWS != null && PARAMETER_COUNT != null;

    private GroupedWrite() {
    }

    /**
     * Whether {@code sql}, of kind {@code WRITE}, run by {@code statement} in auto-commit mode, may
     * run on a group's connection: one {@code INSERT}, {@code UPDATE}, {@code DELETE} or
     * {@code REPLACE} (not DDL, which could create session state there, nor several statements in
     * one text), returning no rows, not an upsert, not asking the connection what its writes did,
     * with parameters the pool can copy, no batch, and no query timeout (an interrupted statement
     * would roll back the whole group's transaction).
     */
    static boolean mayRunInGroup(LeasedStatement<?> statement, String sql) {
        if (sql == null || !isSingleDml(sql) || statement.queryTimeoutSeconds() != 0) {
            return false;
        }
        if (statement.delegate instanceof CorePreparedStatement prepared) {
            return COPIES_PARAMETERS && (int) BATCH_POSITION.get(prepared) == 0 && (int) BATCH_ROWS.get(prepared) == 0;
        }
        return statement.delegate instanceof CoreStatement;
    }

    /**
     * Whether {@code sql} is one {@code INSERT}, {@code UPDATE}, {@code DELETE} or {@code REPLACE}
     * without {@code RETURNING}, without {@code ON CONFLICT} (an upsert that updates inserts
     * nothing, and its generated key would be another member's), and without
     * {@code last_insert_rowid()}, {@code changes()} or {@code total_changes()} (which would
     * answer for the group's connection). A text that merely mentions a word runs alone, harmlessly.
     */
    static boolean isSingleDml(String sql) {
        Boolean known = SINGLE_DML.get(sql);
        if (known != null) {
            return known;
        }
        boolean single = looksLikeSingleDml(sql);
        if (SINGLE_DML.size() >= CACHE_LIMIT) {
            SINGLE_DML.clear(); // as the SQL classifier's cache: crude but bounded
        }
        SINGLE_DML.put(sql, single);
        return single;
    }

    /** What {@link #isSingleDml} answers, per SQL text: the harness's writes come as new statements of one text. */
    private static final ConcurrentHashMap<String, Boolean> SINGLE_DML = new ConcurrentHashMap<>();

    private static final int CACHE_LIMIT = 2048;

    private static boolean looksLikeSingleDml(String sql) {
        int semicolon = sql.indexOf(';');
        if (semicolon >= 0) {
            for (int i = semicolon + 1; i < sql.length(); i++) {
                if (!Character.isWhitespace(sql.charAt(i))) {
                    return false; // several statements, or a semicolon in a literal: not worth telling apart
                }
            }
        }
        if (!(StatementCache.startsWithKeyword(sql, "insert") || StatementCache.startsWithKeyword(sql, "update")
                || StatementCache.startsWithKeyword(sql, "delete") || StatementCache.startsWithKeyword(sql, "replace"))) {
            return false;
        }
        // OR ROLLBACK would roll back the whole group's transaction on a conflict: such writes run alone
        return !mentions(sql, "returning") && !mentions(sql, "conflict") && !mentions(sql, "rollback")
                && !CounterSql.asks(sql);
    }

    private static boolean mentions(String sql, String word) {
        for (int i = 0; i + word.length() <= sql.length(); i++) {
            if (sql.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of the parameter values bound to {@code statement}'s driver statement, as
     * {@link #runOn} binds them; null for a plain statement, or none bound.
     */
    static Object[] boundValues(LeasedStatement<?> statement) {
        if (!COPIES_PARAMETERS || !(statement.delegate instanceof CorePreparedStatement prepared)) {
            return null;
        }
        Object[] bound = (Object[]) BOUND_VALUES.get(prepared);
        return bound == null ? null : bound.clone(); // the caller's stay bound for its next execution
    }

    /**
     * Runs {@code call} with {@code statement}'s driver statement replaced by one made like it on
     * {@code group} (a commit group's connection, through its statement cache when it is on), with
     * {@code boundValues} ({@link #boundValues}) bound, and keeps what the caller may ask afterwards
     * ({@link GroupedResults#ranOn}, with {@code callersRowId} and {@code groupRowIdBefore}).
     */
    static <S extends Statement, T> T runOn(LeasedStatement<S> statement, PooledConnection group, String sql,
            Object[] boundValues, CallersRowId callersRowId, long groupRowIdBefore, SqlCall<T> call)
            throws SQLException {
        S own = statement.delegate;
        S there = madeLike(own, group, sql, boundValues);
        T result;
        try {
            statement.delegate = there;
            try {
                result = call.call();
            } finally {
                if (statement.delegate == there) { // not closed meanwhile by an abort
                    statement.delegate = own;
                }
            }
        } catch (SQLException | RuntimeException | Error e) {
            closeQuietly(there, e);
            throw e;
        }
        // the write ran: whatever fails from here on is not its failure, and must not be reported as one
        statement.ranElsewhere(GroupedResults.ranOn(there, own, sql, callersRowId, groupRowIdBefore));
        boolean kept;
        try {
            kept = putBack(there, group, sql);
        } catch (SQLException | RuntimeException e) {
            log.debug("A statement made for a grouped write could not go back to the statement cache: {}", e.toString());
            kept = false;
        }
        if (!kept) {
            closeQuietly(there, null);
        }
        return result;
    }

    /** Closes a statement made for a grouped write; a failure is added to {@code failure}, or logged when there is none. */
    private static void closeQuietly(Statement there, Throwable failure) {
        try {
            there.close();
        } catch (SQLException | RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                log.warn("A statement made on a commit group's connection for a grouped write could not be closed: {}",
                        e.toString(), e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <S extends Statement> S madeLike(S own, PooledConnection group, String sql, Object[] boundValues)
            throws SQLException {
        if (!(own instanceof PreparedStatement)) {
            return (S) group.raw().createStatement();
        }
        StatementCache cache = group.statements();
        PreparedStatement there = cache.enabled() ? cache.take(sql) : null;
        if (there == null) {
            if (cache.enabled() && StatementCache.cacheable(sql)) {
                cache.missed();
            }
            there = group.raw().prepareStatement(sql);
        }
        try {
            if (boundValues != null) {
                BOUND_VALUES.set(there, Arrays.copyOf(boundValues, (int) PARAMETER_COUNT.get(there)));
            }
        } catch (RuntimeException e) {
            closeQuietly(there, e);
            throw e;
        }
        return (S) there;
    }

    /**
     * Offers a prepared statement made on {@code group} back to its cache, as a lease's is offered
     * at its close: no parameters, no generated keys left open. False when it was not kept.
     */
    private static boolean putBack(Statement there, PooledConnection group, String sql) throws SQLException {
        StatementCache cache = group.statements();
        if (!(there instanceof PreparedStatement prepared) || !cache.enabled() || !StatementCache.cacheable(sql)) {
            return false;
        }
        if (StatementCache.mayLeaveGeneratedKeys(sql)) {
            ResultSet keys = prepared.getGeneratedKeys(); // made at the execution: closed before it is cached
            if (keys != null) {
                keys.close();
            }
        }
        prepared.clearParameters();
        return cache.put(sql, prepared);
    }

    private static VarHandle driverField(Class<?> owner, String name, Class<?> type) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not open to the pool: prepared statements' auto-commit writes run alone
        }
    }
}
