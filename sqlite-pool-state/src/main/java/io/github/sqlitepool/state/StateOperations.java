package io.github.sqlitepool.state;

import java.util.function.Supplier;

/**
 * Runs one operation of the manager so that an interrupt is never lost: refused at once on an
 * interrupted thread, and reported as a {@link StateOperationInterruptedException} (the flag set
 * again) when it ended the operation.
 */
final class StateOperations {

    private StateOperations() {
    }

    static <T> T run(String operation, Supplier<T> work) {
        if (Thread.currentThread().isInterrupted()) {
            throw new StateOperationInterruptedException("Cannot " + operation + ": the thread is interrupted", null);
        }
        try {
            return work.get();
        }
        catch (RuntimeException ex) {
            if (Thread.currentThread().isInterrupted() || causedByInterrupt(ex)) {
                Thread.currentThread().interrupt();
                throw new StateOperationInterruptedException("Interrupted while trying to " + operation
                        + ": " + ex.getMessage(), ex);
            }
            throw ex;
        }
    }

    private static boolean causedByInterrupt(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
