package io.github.sqlitepool.state;

/** A schema migration failed or could not start; the message names the migration and the cause. */
public class StateMigrationException extends StateException {

    public StateMigrationException(String message) {
        super(message);
    }

    public StateMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
