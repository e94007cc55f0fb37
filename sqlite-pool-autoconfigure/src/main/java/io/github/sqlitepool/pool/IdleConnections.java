package io.github.sqlitepool.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The idle connections, most recently returned first, and the threads waiting for one.
 *
 * <p>SQLite keeps its page cache per connection, so handing out the connection that was used
 * last keeps the cache warm.
 *
 * <p>Fairness follows the same rule as the write lane: a running thread may take a returned
 * connection ahead of the waiters (waking a parked thread costs far more than the work a
 * lease usually does), but only while the longest waiter has waited less than
 * {@link #STARVATION_NANOS}. After that every returned connection is handed straight to the
 * longest waiter, in arrival order, until no waiter is starving. Without this, under heavy
 * contention a few unlucky waiters lose every race for seconds and end in "pool exhausted"
 * while the pool is merely busy.
 *
 * <p>Closing wakes every waiting thread at once, so a pool shutdown does not leave callers
 * waiting for their full acquire timeout.
 */
final class IdleConnections {

    /**
     * How long the longest waiter may be overtaken before connections are handed to it. Measured
     * on 2 cores with 64 readers on 8 connections (benchmarks module, one run each): 0.5 ms gave
     * a convoy (every lease a park and a wake-up: 0.45x the unfair pool's reads); 5 ms kept
     * about 0.9x of its read throughput while cutting the longest wait from 1.5 s to tens of
     * milliseconds. The system property exists for such measurements, not as a setting.
     */
    static final long STARVATION_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("sqlite.pool.idle.starvation-micros", 5_000));

    private final ArrayDeque<PooledConnection> stack;

    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    private final ReentrantLock lock = new ReentrantLock();

    private boolean closed;

    IdleConnections(int capacity) {
        this.stack = new ArrayDeque<>(capacity);
    }

    /** A parked caller; {@code handed} is set (under the lock) when a connection is given to it. */
    private final class Waiter {
        final Condition wakeUp = lock.newCondition();
        final long sinceNanos = System.nanoTime();
        PooledConnection handed;
    }

    /** Takes an idle connection without waiting, or returns null (also while a waiter starves). */
    PooledConnection poll() {
        lock.lock();
        try {
            if (headIsStarving()) {
                return null;
            }
            return stack.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to the timeout for an idle connection.
     *
     * @return the connection, or null when the time ran out or the pool was closed
     */
    PooledConnection poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            if (waiters.isEmpty() && !stack.isEmpty()) {
                return stack.pollFirst();
            }
            if (closed) {
                return null;
            }
            Waiter me = new Waiter();
            waiters.addLast(me);
            try {
                while (true) {
                    if (me.handed != null) {
                        return me.handed;
                    }
                    if (closed) {
                        return null;
                    }
                    if (waiters.peekFirst() == me && !stack.isEmpty()) {
                        return stack.pollFirst();
                    }
                    if (nanos <= 0) {
                        return null;
                    }
                    nanos = me.wakeUp.awaitNanos(nanos);
                }
            } catch (InterruptedException e) {
                if (me.handed != null) {
                    // handed over just as the interrupt came: pass it on rather than lose it
                    giveBack(me.handed);
                    me.handed = null;
                }
                throw e;
            } finally {
                waiters.remove(me);
                Waiter next = waiters.peekFirst();
                if (next != null && !stack.isEmpty()) {
                    next.wakeUp.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a connection back: straight into the hands of a starving waiter, else on the stack,
     * waking the longest waiter to compete for it.
     *
     * @return false when it cannot be taken back (closed, or already full): the caller closes it
     */
    boolean offer(PooledConnection connection, int capacity) {
        lock.lock();
        try {
            if (closed || stack.size() >= capacity) {
                return false;
            }
            giveBack(connection);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void giveBack(PooledConnection connection) {
        Waiter head = waiters.peekFirst();
        if (head != null && head.handed == null && headIsStarving()) {
            waiters.pollFirst();
            head.handed = connection;
            head.wakeUp.signal();
            return;
        }
        stack.addFirst(connection);
        if (head != null) {
            head.wakeUp.signal();
        }
    }

    private boolean headIsStarving() {
        Waiter head = waiters.peekFirst();
        return head != null && System.nanoTime() - head.sinceNanos >= STARVATION_NANOS;
    }

    int size() {
        lock.lock();
        try {
            return stack.size();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further offers, wakes all waiters, and returns the connections that were idle. */
    List<PooledConnection> close() {
        lock.lock();
        try {
            closed = true;
            List<PooledConnection> drained = new ArrayList<>(stack);
            stack.clear();
            for (Waiter waiter : waiters) {
                waiter.wakeUp.signal();
            }
            return drained;
        } finally {
            lock.unlock();
        }
    }
}
