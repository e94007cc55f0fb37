package io.github.sqlitepool.pool;

/**
 * The pool could not open or configure its connections at start. Nothing stays open when
 * this is thrown; the cause says what SQLite or the file system reported.
 */
public class PoolInitializationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PoolInitializationException(String message, Throwable cause) {
        super(cause == null ? message : message + ": " + cause.getMessage(), cause);
    }
}
