package io.github.sqlitepool.benchmarks.load;

import org.sqlite.SQLiteException;

/** Names a failed operation's cause for counting: SQLite's result code when there is one. */
final class ErrorKind {

    private ErrorKind() {
    }

    static String of(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                return sqlite.getResultCode().name();
            }
        }
        return failure.getClass().getSimpleName();
    }
}
