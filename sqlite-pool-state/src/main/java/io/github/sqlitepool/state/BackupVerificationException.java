package io.github.sqlitepool.state;

/** A backup file is not a usable copy of the state database; the message says why. */
public class BackupVerificationException extends StateException {

    public BackupVerificationException(String message) {
        super(message);
    }

    public BackupVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
