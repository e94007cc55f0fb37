package io.github.sqlitepool.jdbc;

import java.sql.SQLException;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.support.AbstractFallbackSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Translates sqlite-jdbc's errors into Spring's {@link DataAccessException} hierarchy by SQLite's
 * result code ({@link SQLiteException#getResultCode()}, the extended code where SQLite gives one).
 * Spring ships no error codes for SQLite, so without it a UNIQUE violation, {@code SQLITE_BUSY}
 * from another process or a full disk all arrive as {@code UncategorizedSQLException}.
 *
 * <p>Anything that is not a {@link SQLiteException} (the pool's own "pool exhausted" or write-lane
 * errors, another database's errors) goes to the translator Spring would have used without this
 * one: {@link SQLErrorCodeSQLExceptionTranslator} when the application has its own
 * {@code sql-error-codes.xml}, else {@link SQLExceptionSubclassTranslator}. So it is safe on any
 * data source. The mapping is the table in {@code docs/exceptions.md}.
 *
 * <p>Use it on a {@code JdbcTemplate} or {@code JdbcTransactionManager} of your own with
 * {@code setExceptionTranslator(new SqliteExceptionTranslator())}; the starter sets it on the ones
 * Spring Boot creates.
 */
public class SqliteExceptionTranslator extends AbstractFallbackSQLExceptionTranslator {

    /** Where Spring looks for an application's own error codes (SQLErrorCodesFactory's override path). */
    private static final String USER_ERROR_CODES = "sql-error-codes.xml";

    public SqliteExceptionTranslator() {
        setFallbackTranslator(springDefault());
    }

    private static SQLExceptionTranslator springDefault() {
        // the database product's name, as Spring would read it from the data source: the application's
        // own codes for SQLite are found (a translator without it has none, and falls through)
        return new ClassPathResource(USER_ERROR_CODES).exists() ? new SQLErrorCodeSQLExceptionTranslator("SQLite")
                : new SQLExceptionSubclassTranslator();
    }

    /**
     * SQLState "read-only SQL transaction", which the pool gives a write it refuses on a read-only
     * lease before SQLite sees it.
     */
    private static final String READ_ONLY_TRANSACTION = "25006";

    @Override
    protected DataAccessException doTranslate(String task, String sql, SQLException ex) {
        if (READ_ONLY_TRANSACTION.equals(ex.getSQLState())) {
            return new InvalidDataAccessResourceUsageException(buildMessage(task, sql, ex), ex);
        }
        SQLiteException sqlite = findSqliteException(ex);
        if (sqlite == null || sqlite.getResultCode() == null) {
            return null;
        }
        String message = buildMessage(task, sql, ex);
        SQLiteErrorCode code = sqlite.getResultCode();
        return switch (code) {
            case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_ROWID ->
                new DuplicateKeyException(message, ex);
            case SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_NOTNULL, SQLITE_CONSTRAINT_CHECK, SQLITE_CONSTRAINT_FOREIGNKEY,
                    SQLITE_CONSTRAINT_TRIGGER, SQLITE_CONSTRAINT_COMMITHOOK, SQLITE_CONSTRAINT_FUNCTION,
                    SQLITE_CONSTRAINT_VTAB, SQLITE_CONSTRAINT_PINNED, SQLITE_CONSTRAINT_DATATYPE, SQLITE_MISMATCH,
                    SQLITE_TOOBIG -> new DataIntegrityViolationException(message, ex);
            // A snapshot that another writer overtook: only running the whole transaction again helps.
            case SQLITE_BUSY_SNAPSHOT -> new PessimisticLockingFailureException(message, ex);
            case SQLITE_BUSY, SQLITE_BUSY_RECOVERY, SQLITE_BUSY_TIMEOUT, SQLITE_LOCKED, SQLITE_LOCKED_SHAREDCACHE,
                    SQLITE_LOCKED_VTAB -> new CannotAcquireLockException(message, ex);
            // A write through a read-only lease (PRAGMA query_only, @Transactional(readOnly = true)) or
            // to a database opened read-only: a use the resource does not allow, not a failure of it.
            case SQLITE_READONLY -> new InvalidDataAccessResourceUsageException(message, ex);
            case SQLITE_PERM, SQLITE_AUTH, SQLITE_AUTH_USER -> new PermissionDeniedDataAccessException(message, ex);
            default -> resourceFailure(code) ? new DataAccessResourceFailureException(message, ex) : null;
        };
    }

    /** The storage or the file itself failed: disk full, I/O error, cannot open, corrupt, not a database. */
    private static boolean resourceFailure(SQLiteErrorCode code) {
        String name = code.name();
        return name.equals("SQLITE_FULL") || name.startsWith("SQLITE_IOERR") || name.startsWith("SQLITE_CANTOPEN")
                || name.startsWith("SQLITE_CORRUPT") || name.equals("SQLITE_NOTADB") || name.equals("SQLITE_NOMEM")
                || name.equals("SQLITE_PROTOCOL") || name.equals("SQLITE_NOLFS")
                || (name.startsWith("SQLITE_READONLY_") && code != SQLiteErrorCode.SQLITE_READONLY);
    }

    /** sqlite-jdbc's exception, possibly behind a batch's next exception or a wrapper's cause. */
    private static SQLiteException findSqliteException(SQLException ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                return sqlite;
            }
            if (t instanceof SQLException sql && sql.getNextException() instanceof SQLiteException next) {
                return next;
            }
        }
        return null;
    }
}
