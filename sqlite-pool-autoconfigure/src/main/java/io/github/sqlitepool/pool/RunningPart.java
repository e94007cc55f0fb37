package io.github.sqlitepool.pool;

import java.util.concurrent.CountDownLatch;

/**
 * A part of a commit group that a lease's own thread runs on the lease's connection (a write that
 * opened a group and runs the waiting writes, a committing transaction that runs them and passes
 * the lane on), which a thread that ends the lease meanwhile must wait for before the connection
 * is taken back. The lease's thread {@linkplain #begin() begins} it before it looks whether its
 * lease was closed, as the close sets its flag before it {@linkplain #awaitEnd() waits}: one
 * always sees the other.
 */
final class RunningPart {

    /** Open while the part runs. */
    private volatile CountDownLatch running;

    /** The lease's thread, while the part runs: one that ends its own lease from within it must not wait for itself. */
    private volatile Thread runner;

    /** On the lease's thread: the part begins; {@link #end()} must follow, in a {@code finally}. */
    void begin() {
        runner = Thread.currentThread();
        running = new CountDownLatch(1);
    }

    /** On the lease's thread: the part has ended. */
    void end() {
        CountDownLatch latch = running;
        running = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Whether a part runs now; read by a thread that ends the lease. */
    boolean running() {
        return running != null;
    }

    /** From a thread that ends the lease: waits, however long an interrupt says otherwise, until the part has ended. */
    void awaitEnd() {
        CountDownLatch latch = running;
        if (latch == null || runner == Thread.currentThread()) {
            return; // a listener called from within the part closed the lease: nothing to wait for
        }
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
