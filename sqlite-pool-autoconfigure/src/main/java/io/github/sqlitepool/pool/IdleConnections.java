package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's connections with their idle/in-use state, and the threads waiting for one.
 *
 * <p>Taking and returning a connection are lock-free: each connection carries its state, and a
 * taker claims an idle one with a compare-and-set, trying first the connection its thread used
 * last (SQLite keeps its page cache per connection, so that one is warm) and then the others in
 * a fixed order (so that under light load the same few connections do the work). A lock is taken
 * only when a thread has to wait, or when a connection comes back while threads wait.
 *
 * <p>Fairness: a running thread may take a returned connection ahead of the waiters (waking a
 * parked thread costs far more than the work a lease usually does), but only while the longest
 * waiter has waited less than {@link #STARVATION_NANOS}. After that returned connections are
 * handed straight to the longest waiter, in arrival order, one every
 * {@link #HAND_OFF_INTERVAL_NANOS} at most, until no waiter is starving; between hand-offs
 * running threads go on taking connections. Without the hand-off, under heavy contention a few
 * unlucky waiters lose every race for seconds and end in "pool exhausted" while the pool is
 * merely busy. Without the interval, a long queue (hundreds of threads on a few connections)
 * keeps its head starving forever, every lease becomes a park and a wake-up, and the pool runs
 * at the speed of the scheduler instead of SQLite's. With it, the queue still moves at a
 * guaranteed rate, so the longest wait stays near {@code STARVATION_NANOS} plus the number of
 * waiters times the interval. The measurements behind both numbers are in docs/architecture.md.
 *
 * <p>Closing wakes every waiting thread at once, so a pool shutdown does not leave callers
 * waiting for their full acquire timeout.
 */
final class IdleConnections {

    /**
     * How long the longest waiter may be overtaken before connections are handed to it: much
     * shorter turns every lease into a park and a wake-up, much longer lets unlucky waiters run
     * into "pool exhausted" (measurements in docs/architecture.md, "Lock-free take and return").
     * The system property exists for such measurements, not as a setting.
     */
    static final long STARVATION_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Math.max(0L, Long.getLong("sqlite.pool.idle.starvation-micros", 5_000)));

    /**
     * The least time between two hand-offs to starving waiters, so that a long queue cannot turn
     * every lease into a hand-off to a parked thread (measurements in docs/architecture.md,
     * "Lock-free take and return").
     */
    static final long HAND_OFF_INTERVAL_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Math.max(0L, Long.getLong("sqlite.pool.idle.hand-off-interval-micros", 100)));

    /** The shortest nap of a starving head before it looks for an idle connection. */
    private static final long MIN_NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(10);

    private static final long NO_WAITER = Long.MIN_VALUE;

    private final CopyOnWriteArrayList<PooledConnection> members = new CopyOnWriteArrayList<>();

    private final ThreadLocal<PooledConnection> lastUsed = new ThreadLocal<>();

    private final ReentrantLock lock = new ReentrantLock();

    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** When the longest waiter started waiting; {@link #NO_WAITER} when none. Written under the lock. */
    private volatile long headSinceNanos = NO_WAITER;

    /** The length of {@link #waiters}, readable without the lock; written under it. */
    private volatile int waiting;

    /** The least time between two hand-offs to starving waiters. */
    private final long handOffIntervalNanos;

    /** When a connection was last handed to a starving waiter. Written under the lock. */
    private volatile long lastHandOffNanos;

    private volatile boolean closed;

    IdleConnections() {
        this(HAND_OFF_INTERVAL_NANOS);
    }

    IdleConnections(long handOffIntervalNanos) {
        this.handOffIntervalNanos = handOffIntervalNanos;
        this.lastHandOffNanos = System.nanoTime() - handOffIntervalNanos;
    }

    /** A parked caller; {@code handed} is set (under the lock) when a connection is given to it. */
    private final class Waiter {
        final Condition wakeUp = lock.newCondition();
        final long sinceNanos = System.nanoTime();
        PooledConnection handed;
    }

    /** Takes an idle connection without waiting, or returns null (also when a starving waiter is due one). */
    PooledConnection poll() {
        if (waiting != 0 && handOffDue(System.nanoTime())) {
            return null;
        }
        return tryTake();
    }

    private PooledConnection tryTake() {
        PooledConnection last = lastUsed.get();
        if (last != null && last.claim()) {
            return last;
        }
        for (PooledConnection connection : members) {
            if (connection.claim()) {
                lastUsed.set(connection);
                return connection;
            }
        }
        return null;
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
            if (closed) {
                return null;
            }
            Waiter me = new Waiter();
            waiters.addLast(me);
            waitersChanged();
            try {
                while (true) {
                    if (me.handed != null) {
                        return me.handed;
                    }
                    if (closed) {
                        return null;
                    }
                    boolean first = waiters.peekFirst() == me;
                    long now = System.nanoTime();
                    if (first || !handOffDue(now)) {
                        PooledConnection connection = tryTake();
                        if (connection != null) {
                            return connection;
                        }
                    }
                    if (nanos <= 0) {
                        return null;
                    }
                    long untilLook = first ? nanosUntilHeadLooks(now) : 0L;
                    if (untilLook > 0 && untilLook < nanos) {
                        // returns do not wake a starving head before its hand-off is due (see
                        // offer), and a head may start starving while it sleeps: it looks for an
                        // idle connection by itself when it starts starving and when its hand-off
                        // falls due. Once it is due, the next return hands one over and signals.
                        long nap = Math.max(MIN_NAP_NANOS, untilLook);
                        nanos -= nap - me.wakeUp.awaitNanos(nap);
                    } else {
                        nanos = me.wakeUp.awaitNanos(nanos);
                    }
                }
            } catch (InterruptedException e) {
                PooledConnection handed = me.handed;
                if (handed != null) {
                    me.handed = null;
                    if (!closed) {
                        handed.makeIdle(); // handed over just as the interrupt came: pass it on rather than lose it
                    } else if (handed.markClosed()) {
                        // the pool closed between the hand-over and this wake-up, and did not see it idle
                        try {
                            handed.raw().close();
                        } catch (SQLException closeFailure) {
                            e.addSuppressed(closeFailure);
                        }
                    }
                }
                throw e;
            } finally {
                waiters.remove(me);
                waitersChanged();
                Waiter next = waiters.peekFirst();
                if (next != null) {
                    next.wakeUp.signal(); // it may find what this waiter left, or become head
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a connection back: idle for anyone, or into the hands of a starving waiter.
     *
     * @return false when it cannot be taken back (closed, or already full): the caller closes it
     */
    boolean offer(PooledConnection connection, int capacity) {
        if (closed) {
            return false;
        }
        if (connection.state() == PooledConnection.Lifecycle.OPENED) {
            synchronized (members) {
                if (members.size() >= capacity) {
                    return false;
                }
                members.add(connection);
            }
        } else {
            lastUsed.set(connection); // the returning thread's next lease finds it first
        }
        if (!connection.makeIdle()) {
            return false; // closed by a pool shutdown meanwhile
        }
        if (closed && connection.retire()) {
            return false; // close() ran meanwhile and did not see it idle: the caller closes it
        }
        if (waiting != 0) {
            lock.lock();
            try {
                Waiter head = waiters.peekFirst();
                if (head != null && head.handed == null) {
                    long now = System.nanoTime();
                    if (!headIsStarving(now)) {
                        head.wakeUp.signal(); // it may take this connection if no running thread does
                    } else if (nanosUntilHandOff(now) <= 0 && connection.claim()) {
                        waiters.pollFirst();
                        waitersChanged();
                        head.handed = connection;
                        lastHandOffNanos = now;
                        head.wakeUp.signal();
                    }
                    // else starving but the hand-off is not due: waking it would only have it race
                }
            } finally {
                lock.unlock();
            }
        }
        return true;
    }

    /** Every connection the pool owns, idle or in use; iterating it sees a snapshot. */
    List<PooledConnection> members() {
        return Collections.unmodifiableList(members);
    }

    /** Stops tracking a connection the pool has closed. */
    void forget(PooledConnection connection) {
        members.remove(connection);
    }

    /** Under the lock, after the queue changed: publishes its length and its head's arrival. */
    private void waitersChanged() {
        Waiter head = waiters.peekFirst();
        headSinceNanos = head == null ? NO_WAITER : head.sinceNanos;
        waiting = waiters.size();
    }

    /** Whether the next returned connection belongs to the longest waiter rather than to a running thread. */
    private boolean handOffDue(long now) {
        return headIsStarving(now) && nanosUntilHandOff(now) <= 0;
    }

    /**
     * How long the head may sleep before it must look for an idle connection itself: until it
     * starts starving, else until its hand-off falls due; 0 when it is due (a return will signal).
     */
    private long nanosUntilHeadLooks(long now) {
        long since = headSinceNanos;
        if (since == NO_WAITER) {
            return 0L;
        }
        long untilStarving = STARVATION_NANOS - (now - since);
        return untilStarving > 0 ? untilStarving : Math.max(0L, nanosUntilHandOff(now));
    }

    private long nanosUntilHandOff(long now) {
        return handOffIntervalNanos - (now - lastHandOffNanos);
    }

    /** Whether the longest waiter has waited {@link #STARVATION_NANOS} or more at {@code now}. */
    boolean headIsStarving(long now) {
        long since = headSinceNanos;
        return since != NO_WAITER && now - since >= STARVATION_NANOS;
    }

    /** How many threads wait for a connection now. */
    int waiting() {
        return waiting;
    }

    /** How many waiters are parked now, rather than running or about to run (signalled). */
    int parkedWaiters() {
        lock.lock();
        try {
            int parked = 0;
            for (Waiter waiter : waiters) {
                parked += lock.getWaitQueueLength(waiter.wakeUp);
            }
            return parked;
        } finally {
            lock.unlock();
        }
    }

    /** How many connections are in {@code state} now. */
    int count(PooledConnection.Lifecycle state) {
        int count = 0;
        for (PooledConnection connection : members) {
            if (connection.state() == state) {
                count++;
            }
        }
        return count;
    }

    /**
     * The pool's counts now, from one pass over the connections' states: a connection is counted
     * once, as idle (also when retired by a closing pool) or as active, so total is always idle
     * plus active. Waiting is the queue's length.
     */
    PoolStats stats(String name, int max) {
        int idle = 0;
        int active = 0;
        for (PooledConnection connection : members) {
            switch (connection.state()) {
                case IDLE, RETIRED -> idle++;
                case LEASED -> active++;
                default -> {
                    // OPENED is not a member yet; CLOSED is about to leave
                }
            }
        }
        return new PoolStats(name, max, idle + active, active, idle, waiting);
    }

    /** Refuses further offers, wakes all waiters, and returns the connections that were idle. */
    List<PooledConnection> close() {
        lock.lock();
        try {
            closed = true;
            List<PooledConnection> drained = new ArrayList<>();
            for (PooledConnection connection : members) {
                if (connection.retire()) {
                    drained.add(connection);
                }
            }
            for (Waiter waiter : waiters) {
                waiter.wakeUp.signal();
            }
            return drained;
        } finally {
            lock.unlock();
        }
    }
}
