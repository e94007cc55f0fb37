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
 * The pool's single-writer lane: at most one holder at a time, and waiters that have waited longer
 * than a bound ({@link #DEFAULT_BARGE_NANOS} by default) served in arrival order. SQLite allows one
 * writer per database; queueing writers here, in Java, means they never sleep in SQLite's busy
 * handler while holding a pooled connection.
 *
 * <p>A holder is a token (the lease that writes), not a thread, so any thread may release it:
 * a lease closed by a pool shutdown still frees the lane. The thread that acquired it and when
 * are kept with the token in one immutable {@link Hold}, swapped by compare-and-set, so that two
 * threads releasing the same token at once cannot disturb the next holder's record; they serve
 * error messages and the nested-acquire check.
 *
 * <p>Fairness is bounded, in the manner of a "Malthusian" lock (Dice, EuroSys 2017): the lane
 * circulates among the few threads that are running, and parked threads wait aside. Only the first
 * waiter of the queue competes for the lane; it spins
 * for {@link #DEFAULT_SPIN_NANOS} and then parks. A thread that arrives while the lane is held and
 * the first waiter is parked takes the first place itself and spins, so a release finds a running
 * successor instead of having to wake one (a hand-off to a parked thread costs more than a write:
 * the lane would stand idle for a context switch per write). A thread that arrives while the lane
 * is free takes it. Once any waiter has waited longer than the bound, the lane turns strict:
 * newcomers queue at the end, and each release hands the lane directly to the longest waiter
 * (a strict release never frees the lane in between, so no spinner can take it), until no waiter
 * has waited that long. (A release that started just before the lane turned strict may still free
 * it for the first waiter: the longest waiter then gets the next turn.) With a bound of 0 the lane
 * is strictly first come, first served.
 *
 * <p>Uncontended, acquire and release are one CAS each. A release wakes the first waiter only
 * when it is parked.
 */
final class WriteLane {

    /**
     * How long the first waiter spins before parking: long enough that a release usually finds a
     * running successor. The measurements that chose it are in docs/write-lane.md ("Spinning
     * before parking" and "Fourth round"). The system properties here are tuning knobs for the
     * benchmarks, not configuration.
     */
    static final long DEFAULT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Math.max(0L, Long.getLong(
            "sqlite.pool.write-lane.spin-micros", 50)));

    /**
     * How long a waiter may wait, passed over by running threads, before the lane turns strict
     * (longest waiter first): the shortest bound that kept the throughput of longer ones, as
     * measured in docs/write-lane.md ("Fourth round").
     */
    static final long DEFAULT_BARGE_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Math.max(0L, Long.getLong("sqlite.pool.write-lane.barge-micros", 5_000)));

    private static final long NO_WAITER = Long.MIN_VALUE;

    private final String poolName;

    /** How long the first waiter spins before parking. */
    private final long spinNanos;

    /** How long a waiter may wait before the lane turns strict; 0: always strict. */
    private final long bargeNanos;

    private final Supplier<PoolStats> poolStats;

    /** The current hold; null when the lane is free. */
    private final AtomicReference<Hold> holder = new AtomicReference<>();

    private final ReentrantLock queueLock = new ReentrantLock();

    /** Guarded by {@link #queueLock}. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();

    /** The queue's length, readable without the lock; written only under it. */
    private volatile int waiting;

    /**
     * The waiter at the head of the queue: the only one that competes and spins. Usually the
     * latest running arrival; the oldest parked waiter when none arrived since, or when strict.
     */
    private volatile Waiter head;

    /** When the longest waiter started waiting; {@link #NO_WAITER} when none. Written under the lock. */
    private volatile long oldestSinceNanos = NO_WAITER;

    /** Strict mode: newcomers queue at the end, releases hand the lane to the longest waiter. */
    private volatile boolean strict;

    WriteLane(String poolName, Supplier<PoolStats> poolStats) {
        this(poolName, poolStats, DEFAULT_SPIN_NANOS, DEFAULT_BARGE_NANOS);
    }

    WriteLane(String poolName, Supplier<PoolStats> poolStats, long spinNanos, long bargeNanos) {
        this.poolName = poolName;
        this.poolStats = poolStats;
        this.spinNanos = spinNanos;
        this.bargeNanos = bargeNanos;
        this.strict = bargeNanos == 0;
    }

    /**
     * Takes the lane for {@code token}, waiting at most {@code timeoutNanos}.
     *
     * @throws SQLException                    at once when the calling thread already holds the
     *                                         lane through another token (waiting could never
     *                                         succeed), or when interrupted while parked (flag
     *                                         kept set; an interrupt that comes while the waiter
     *                                         spins may instead find it holding the lane, flag set)
     * @throws SQLTransientConnectionException when the lane did not become free in time
     */
    void acquire(Object token, long timeoutNanos) throws SQLException {
        Thread current = Thread.currentThread();
        if ((waiting == 0 || !strict) && take(token, current, System.nanoTime())) {
            return;
        }
        Hold hold = holder.get();
        if (hold != null && hold.thread == current) {
            throw new SQLException("write lane of pool '" + poolName + "': thread '" + current.getName()
                    + "' already holds the lane through another connection and asks for it again through a second one"
                    + "; waiting could never succeed (a write transaction on another connection of the same thread"
                    + ", for example REQUIRES_NEW inside a write transaction). Write through the connection that holds"
                    + " the lane, or finish its transaction first", SqlStates.INVALID_TRANSACTION_STATE);
        }
        awaitLane(token, current, timeoutNanos);
    }

    private void awaitLane(Object token, Thread current, long timeoutNanos) throws SQLException {
        Waiter waiter = new Waiter(token, current);
        long deadline = waiter.enqueuedAt + timeoutNanos;
        queueLock.lock();
        try {
            Waiter first = queue.peekFirst();
            if (!strict && first != null && !first.spinning) {
                queue.addFirst(waiter); // running, it takes the competing place from a parked waiter
            } else {
                queue.addLast(waiter);
            }
            queueChanged();
            // Dekker pairing with release(): either the holder sees waiting > 0 and wakes the first
            // waiter or hands over, or this sees the lane free and (if first) takes it.
            if (head == waiter && take(token, current, waiter.enqueuedAt)) {
                dequeue(waiter);
                return;
            }
        } finally {
            queueLock.unlock();
        }
        boolean interrupted = false;
        long spinUntil = 0L;
        boolean spun = false;
        while (!waiter.granted && !interrupted) {
            long now = System.nanoTime();
            if (head == waiter) {
                // the first waiter may take a free lane (a strict release never frees it while
                // anyone waits); a release may also have handed it over already, and then this
                // CAS fails and granted becomes true
                if (take(token, current, now)) {
                    queueLock.lock();
                    try {
                        dequeue(waiter);
                    } finally {
                        queueLock.unlock();
                    }
                    return;
                }
                if (!strict && overdue(now)) {
                    strict = true; // a waiter was passed over for too long: longest waiter first
                    continue;
                }
                if (!spun) {
                    spun = true;
                    spinUntil = now + spinNanos;
                }
                if (now - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
            }
            long remaining = deadline - now;
            if (remaining <= 0) {
                break;
            }
            // Dekker pairing with release(): either it sees this waiter parked and wakes it, or
            // this sees the lane it freed. A head that has not spun since it last woke spins first.
            waiter.spinning = false;
            if (head == waiter && (!spun || holder.get() == null)) {
                waiter.spinning = true;
                continue;
            }
            LockSupport.parkNanos(this, remaining);
            spun = false;
            waiter.spinning = true;
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (waiter.granted || !cancel(waiter)) {
            // the lane is ours: handed over while waiting, or between the last check and the cancel
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

    /** Under the queue lock: removes a waiter that now holds the lane. */
    private void dequeue(Waiter waiter) {
        queue.remove(waiter);
        queueChanged();
        relaxWhenCaughtUp();
    }

    /** Under the queue lock, after a waiter left: strict ends once no one left has waited past the bound. */
    private void relaxWhenCaughtUp() {
        if (strict && bargeNanos > 0 && !overdue(System.nanoTime())) {
            strict = false; // running threads may go first again
        }
    }

    /** Under the queue lock, after the queue changed: publishes its length, first and longest waiter. */
    private void queueChanged() {
        Waiter oldest = longestWaiter();
        oldestSinceNanos = oldest == null ? NO_WAITER : oldest.enqueuedAt;
        waiting = queue.size();
        head = queue.peekFirst();
    }

    /** Under the queue lock: the waiter that has waited longest (the queue is short: at most one per connection). */
    private Waiter longestWaiter() {
        Waiter oldest = null;
        for (Waiter waiter : queue) {
            if (oldest == null || waiter.enqueuedAt - oldest.enqueuedAt < 0) {
                oldest = waiter;
            }
        }
        return oldest;
    }

    /** Whether some waiter has been passed over for longer than the bound. */
    boolean overdue(long now) {
        long since = oldestSinceNanos;
        return since != NO_WAITER && now - since > bargeNanos;
    }

    /** Removes a waiter that gave up; false when the lane was handed to it meanwhile. */
    private boolean cancel(Waiter waiter) {
        queueLock.lock();
        try {
            if (waiter.granted) {
                return false; // a hand-off (under this lock) came first; a waiter's own take returns at once
            }
            queue.remove(waiter);
            queueChanged();
            relaxWhenCaughtUp();
            if (holder.get() == null) {
                passOn(null);
            }
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Frees the lane held by {@code token}: strict, hands it to the longest waiter; otherwise frees
     * it and wakes the first waiter if that one is parked. Does nothing when {@code token} does not
     * hold it; when two threads release the same token at once, one of them does the release.
     */
    void release(Object token) {
        Hold hold = holder.get();
        if (hold == null || hold.token != token) {
            return;
        }
        boolean strictNow = strict; // one read: the path taken must free or hand on the lane
        if (!strictNow && waiting != 0 && overdue(System.nanoTime())) {
            strict = strictNow = true; // a waiter that waited too long may be parked: only a release serves it
        }
        if (!strictNow) {
            // Dekker pairing with awaitLane(): free first, then look for waiters
            if (holder.compareAndSet(hold, null) && waiting != 0) {
                Waiter first = head;
                if (first != null && !first.spinning) {
                    LockSupport.unpark(first.thread); // it competes for the lane when it runs
                }
            }
            return;
        }
        queueLock.lock();
        try {
            if (holder.get() == hold) {
                passOn(hold);
            }
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Under the queue lock, for the current hold {@code from} or for a free lane ({@code null}):
     * strict, hands the lane straight to the longest waiter; otherwise frees it and wakes the first
     * waiter.
     */
    private void passOn(Hold from) {
        Waiter next = strict ? longestWaiter() : null;
        if (next != null) {
            if (holder.compareAndSet(from, new Hold(next.token, next.thread, System.nanoTime()))) {
                dequeue(next);
                next.granted = true;
                LockSupport.unpark(next.thread);
            }
            return; // else a thread took the free lane (or a second release freed it) and passes it on
        }
        if (from != null) {
            holder.compareAndSet(from, null);
        }
        Waiter first = queue.peekFirst();
        if (first != null && holder.get() == null) {
            LockSupport.unpark(first.thread);
        }
    }

    /** Takes the lane if it is free; the check first spares a spinning waiter an allocation per try. */
    private boolean take(Object token, Thread thread, long sinceNanos) {
        return holder.get() == null && holder.compareAndSet(null, new Hold(token, thread, sinceNanos));
    }

    /** Whether {@code token} holds the lane now. */
    boolean isHeldBy(Object token) {
        Hold hold = holder.get();
        return hold != null && hold.token == token;
    }

    /** When the current holder took the lane, in {@link System#nanoTime()} terms; 0 when it is free. */
    long heldSinceNanos() {
        Hold hold = holder.get();
        return hold == null ? 0L : hold.sinceNanos;
    }

    /** The lane's state now; read without a lock, so the fields may be from moments apart. */
    WriteLaneStats stats() {
        Hold hold = holder.get();
        if (hold == null) {
            return new WriteLaneStats(true, null, 0L, waiting);
        }
        return new WriteLaneStats(true, hold.thread.getName(), Math.max(0L, System.nanoTime() - hold.sinceNanos),
                waiting);
    }

    private SQLException interruptedException() {
        return new SQLException("interrupted while waiting for the write lane of pool '" + poolName + "'; "
                + stats(), SqlStates.CONNECTION_UNAVAILABLE);
    }

    private SQLTransientConnectionException timeoutException(long timeoutNanos) {
        return new SQLTransientConnectionException("write lane of pool '" + poolName + "' not available within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (sqlite.pool.acquire-timeout): " + stats()
                + "; " + poolStats.get(), SqlStates.CONNECTION_UNAVAILABLE);
    }

    /** Who holds the lane: the token, the thread that took it for the token, and since when. */
    private record Hold(Object token, Thread thread, long sinceNanos) {
    }

    private static final class Waiter {

        final Object token;

        final Thread thread;

        final long enqueuedAt = System.nanoTime();

        volatile boolean granted;

        /**
         * False while parked or about to park: a release must wake it. True while running (also
         * outside a spin, in cancel() for example, which wakes the next first waiter itself).
         */
        volatile boolean spinning = true;

        Waiter(Object token, Thread thread) {
            this.token = token;
            this.thread = thread;
        }
    }
}
