package io.github.sqlitepool.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The idle connections, most recently returned first. SQLite keeps its page cache per
 * connection, so handing out the connection that was used last keeps the cache warm.
 *
 * <p>Closing it wakes every waiting thread at once, so a pool shutdown does not leave callers
 * waiting for their full acquire timeout.
 */
final class IdleConnections {

    private final ArrayDeque<PooledConnection> stack;

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition available = lock.newCondition();

    private boolean closed;

    IdleConnections(int capacity) {
        this.stack = new ArrayDeque<>(capacity);
    }

    /** Takes an idle connection without waiting, or returns null. */
    PooledConnection poll() {
        lock.lock();
        try {
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
            PooledConnection connection;
            while ((connection = stack.pollFirst()) == null) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = available.awaitNanos(nanos);
            }
            return connection;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a connection back.
     *
     * @return false when it cannot be taken back (closed, or already full): the caller closes it
     */
    boolean offer(PooledConnection connection, int capacity) {
        lock.lock();
        try {
            if (closed || stack.size() >= capacity) {
                return false;
            }
            stack.addFirst(connection);
            available.signal();
            return true;
        } finally {
            lock.unlock();
        }
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
            available.signalAll();
            return drained;
        } finally {
            lock.unlock();
        }
    }
}
