package io.github.sqlitepool.pool;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A part of a commit group that one thread runs for a lease on a connection (the lease's own
 * thread: a write that opened a group, a committing transaction running the waiting writes, a
 * member ending its part on the group's connection; or the thread that closes the lease, settling
 * it), which another thread must not run at the same time, nor take the lease's connection back
 * during. {@link #tryBegin()} claims it; a thread closing the lease {@linkplain #awaitEnd() waits}
 * for the part running, then claims it itself.
 */
final class RunningPart {

    /** Open while a part runs; null between parts. */
    private final AtomicReference<CountDownLatch> running = new AtomicReference<>();

    /** The thread running the part, while one runs: one that ends its own lease from within it must not wait for itself. */
    private volatile Thread runner;

    /**
     * Claims the part for the calling thread; false when another thread runs one. {@link #end()}
     * must follow a successful claim, in a {@code finally}.
     */
    boolean tryBegin() {
        if (!running.compareAndSet(null, new CountDownLatch(1))) {
            return false;
        }
        runner = Thread.currentThread();
        return true;
    }

    /** The claiming thread's part has ended. */
    void end() {
        runner = null;
        CountDownLatch latch = running.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Whether a part runs now. */
    boolean running() {
        return running.get() != null;
    }

    /**
     * Claims the part, waiting for one another thread runs, however long an interrupt says
     * otherwise; false when the calling thread runs the part itself (a listener called from within
     * it ends the lease).
     */
    boolean begin() {
        while (!tryBegin()) {
            if (runner == Thread.currentThread()) {
                return false;
            }
            awaitEnd();
        }
        return true;
    }

    /** Waits, however long an interrupt says otherwise, until the part running now has ended. */
    void awaitEnd() {
        CountDownLatch latch = running.get();
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
