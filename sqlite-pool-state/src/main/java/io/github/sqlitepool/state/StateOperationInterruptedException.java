package io.github.sqlitepool.state;

/**
 * The calling thread was interrupted before or during a state operation. The thread's
 * interrupt flag is set again when this is thrown, so callers further up still see it.
 */
public class StateOperationInterruptedException extends StateException {

    public StateOperationInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
