package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The pool's single-writer lane: at most one holder at a time, waiters served first come,
 * first served. SQLite allows one writer per database; queueing writers here, in Java, means
 * they never sleep in SQLite's busy handler while holding a pooled connection.
 *
 * <p>A holder is a token (the lease that writes), not a thread, so any thread may release it:
 * a lease closed by a pool shutdown still frees the lane. The thread that acquired it is
 * remembered for error messages and for the nested-acquire check.
 *
 * <p>Fast path: free and nobody queued, one CAS to take it; nobody queued, one CAS to free it.
 * Slow path: waiters queue under a lock and the releasing holder hands the lane directly to
 * the first waiter, so a newcomer cannot overtake the queue. The first waiter spins briefly
 * before parking: a SQLite write usually takes microseconds, less than a park/unpark round
 * trip, and only one thread ever spins.
 */
final class WriteLane {

    /** How long the first waiter spins before parking. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("sqlite.pool.write-lane.spin-micros", 50));

    /** Whether a hand-off also wakes the next waiter so that it spins; see docs/write-lane.md. */
    static final boolean WAKE_NEXT = Boolean.parseBoolean(
            System.getProperty("sqlite.pool.write-lane.wake-next", "true"));

    private final String poolName;

    private final Supplier<PoolStats> poolStats;

    private final AtomicReference<Object> holder = new AtomicReference<>();

    private final ReentrantLock queueLock = new ReentrantLock();

    /** Guarded by {@link #queueLock}. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();

    /** The queue's length, readable without the lock; written only under it. */
    private volatile int waiting;

    /** The waiter at the head of the queue, the only one allowed to spin. */
    private volatile Waiter head;

    private volatile Thread holderThread;

    private volatile long heldSinceNanos;

    WriteLane(String poolName, Supplier<PoolStats> poolStats) {
        this.poolName = poolName;
        this.poolStats = poolStats;
    }

    /**
     * Takes the lane for {@code token}, waiting at most {@code timeoutNanos}.
     *
     * @throws SQLException                    at once when the calling thread already holds the
     *                                         lane through another token (waiting could never
     *                                         succeed), or when interrupted (flag kept set)
     * @throws SQLTransientConnectionException when the lane did not become free in time
     */
    void acquire(Object token, long timeoutNanos) throws SQLException {
        if (waiting == 0 && holder.compareAndSet(null, token)) {
            granted(Thread.currentThread());
            return;
        }
        Thread current = Thread.currentThread();
        if (holderThread == current) {
            throw new SQLException("write lane of pool '" + poolName + "': thread '" + current.getName()
                    + "' already holds the lane through another connection and asks for it again through a second one"
                    + "; waiting could never succeed (a write transaction on another connection of the same thread"
                    + ", for example REQUIRES_NEW inside a write transaction). Write through the connection that holds"
                    + " the lane, or finish its transaction first", "25000");
        }
        awaitLane(token, current, timeoutNanos);
    }

    private void awaitLane(Object token, Thread current, long timeoutNanos) throws SQLException {
        long deadline = System.nanoTime() + timeoutNanos;
        Waiter waiter = new Waiter(token, current);
        queueLock.lock();
        try {
            queue.addLast(waiter);
            waiting = queue.size();
            if (head == null) {
                head = waiter;
            }
            // Dekker pairing with release(): either the holder sees waiting > 0 and hands over,
            // or this sees the lane free and takes it.
            if (queue.peekFirst() == waiter && holder.compareAndSet(null, token)) {
                dequeueHead();
                granted(current);
                return;
            }
        } finally {
            queueLock.unlock();
        }
        boolean interrupted = false;
        long spinUntil = 0L;
        boolean spun = false;
        while (!waiter.granted) {
            long now = System.nanoTime();
            if (head == waiter && SPIN_NANOS > 0) {
                if (!spun) {
                    spun = true;
                    spinUntil = now + SPIN_NANOS;
                }
                if (now - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
            }
            long remaining = deadline - now;
            if (remaining <= 0 || interrupted) {
                break;
            }
            LockSupport.parkNanos(this, remaining);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (waiter.granted) {
            if (interrupted) {
                release(token);
                Thread.currentThread().interrupt();
                throw interruptedException();
            }
            return;
        }
        if (!cancel(waiter)) {
            // granted between the last check and the cancel: the lane is ours
            if (interrupted) {
                release(token);
                Thread.currentThread().interrupt();
                throw interruptedException();
            }
            return;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw interruptedException();
        }
        throw timeoutException(timeoutNanos);
    }

    /** Removes a waiter that gave up; false when the lane was handed to it meanwhile. */
    private boolean cancel(Waiter waiter) {
        queueLock.lock();
        try {
            if (waiter.granted) {
                return false;
            }
            queue.remove(waiter);
            waiting = queue.size();
            head = queue.peekFirst();
            if (holder.get() == null && !queue.isEmpty()) {
                handOff();
            }
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Frees the lane held by {@code token}, handing it to the first waiter if there is one.
     * Does nothing when {@code token} does not hold it.
     */
    void release(Object token) {
        if (holder.get() != token) {
            return;
        }
        holderThread = null;
        if (waiting == 0 && holder.compareAndSet(token, null)) {
            if (waiting == 0) {
                return;
            }
            queueLock.lock();
            try {
                if (holder.get() == null) {
                    handOff();
                }
            } finally {
                queueLock.unlock();
            }
            return;
        }
        queueLock.lock();
        try {
            holder.set(null);
            handOff();
        } finally {
            queueLock.unlock();
        }
    }

    /** Under the queue lock with the lane free: gives it to the first waiter, if any. */
    private void handOff() {
        Waiter next = queue.peekFirst();
        if (next == null || !holder.compareAndSet(null, next.token)) {
            return; // nobody waits, or a newcomer took the free lane and will hand it on
        }
        dequeueHead();
        granted(next.thread);
        next.granted = true;
        LockSupport.unpark(next.thread);
        Waiter following = head;
        if (following != null && WAKE_NEXT) {
            // wakes the new first waiter now, so it spins while this holder writes and takes
            // the lane without a park/unpark round trip
            LockSupport.unpark(following.thread);
        }
    }

    private void dequeueHead() {
        queue.pollFirst();
        waiting = queue.size();
        head = queue.peekFirst();
    }

    private void granted(Thread thread) {
        heldSinceNanos = System.nanoTime();
        holderThread = thread;
    }

    /** Whether {@code token} holds the lane now. */
    boolean isHeldBy(Object token) {
        return holder.get() == token;
    }

    /** When the current holder took the lane, in {@link System#nanoTime()} terms. */
    long heldSinceNanos() {
        return heldSinceNanos;
    }

    /** The lane's state now; read without a lock, so the fields may be from moments apart. */
    WriteLaneStats stats() {
        Thread thread = holderThread;
        if (thread == null || holder.get() == null) {
            return new WriteLaneStats(true, null, 0L, waiting);
        }
        return new WriteLaneStats(true, thread.getName(), Math.max(0L, System.nanoTime() - heldSinceNanos), waiting);
    }

    private SQLException interruptedException() {
        return new SQLException("interrupted while waiting for the write lane of pool '" + poolName + "'; "
                + stats(), "08001");
    }

    private SQLTransientConnectionException timeoutException(long timeoutNanos) {
        return new SQLTransientConnectionException("write lane of pool '" + poolName + "' not available within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (sqlite.pool.acquire-timeout): " + stats()
                + "; " + poolStats.get(), "08001");
    }

    private static final class Waiter {

        final Object token;

        final Thread thread;

        volatile boolean granted;

        Waiter(Object token, Thread thread) {
            this.token = token;
            this.thread = thread;
        }
    }
}
