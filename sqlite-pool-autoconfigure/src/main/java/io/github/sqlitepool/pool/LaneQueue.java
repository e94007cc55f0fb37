package io.github.sqlitepool.pool;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads waiting for the {@link WriteLane}, and the order in which they are served. Only the
 * head of the queue competes for the lane. A running arrival takes the head from a parked one, so
 * that a release finds a running successor instead of having to wake one (a hand-off to a parked
 * thread costs more than a write: the lane would stand idle for a context switch per write), and
 * the parked waiters wait aside. Once any waiter has waited longer than the bound
 * ({@link #DEFAULT_BARGE_NANOS} by default), the queue turns strict: newcomers queue at the end,
 * and each release hands the lane to the longest waiter, until no waiter has waited that long.
 * With a bound of 0 it is always strict: first come, first served.
 *
 * <p>Its length, head and oldest waiter are published in volatile fields, so that the lane's fast
 * paths read them without the lock; they are written only under it. The lock also orders the
 * lane's hand-overs against a waiter's cancel: a waiter is {@linkplain #grant granted} the lane
 * only under it.
 */
final class LaneQueue {

    /**
     * The most the head of the queue spins before parking, while the lane's holds are short
     * ({@link LaneSpin}): long enough that a release usually finds a running successor. The
     * measurements that chose it are in docs/write-lane.md ("Earlier rounds": "Spinning" and
     * "Fourth round"). The system properties here are tuning knobs for the benchmarks, not
     * configuration.
     */
    static final long DEFAULT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Math.max(0L, Long.getLong(
            "sqlite.pool.write-lane.spin-micros", 50)));

    /**
     * How long a waiter may wait, passed over by running threads, before the queue turns strict
     * (longest waiter first): the shortest bound that kept the throughput of longer ones, as
     * measured in docs/write-lane.md ("Fourth round").
     */
    static final long DEFAULT_BARGE_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Math.max(0L, Long.getLong("sqlite.pool.write-lane.barge-micros", 5_000)));

    private static final long NO_WAITER = Long.MIN_VALUE;

    /** How long a waiter may wait before the queue turns strict; 0: always strict. */
    private final long bargeNanos;

    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}. */
    private final ArrayDeque<LaneWaiter> waiters = new ArrayDeque<>();

    /** The queue's length, readable without the lock; written only under it. */
    private volatile int waiting;

    /** Waiters whose auto-commit write a group's holder may still take ({@link QueuedWrite#waiting()}). */
    private volatile int queuedWritesWaiting;

    /**
     * The waiter at the head of the queue: the only one that competes and spins. Usually the
     * latest running arrival; the oldest parked waiter when none arrived since, or when strict.
     */
    private volatile LaneWaiter head;

    /** When the longest waiter started waiting; {@link #NO_WAITER} when none. Written under the lock. */
    private volatile long oldestSinceNanos = NO_WAITER;

    /** Strict mode: newcomers queue at the end, releases hand the lane to the longest waiter. */
    private volatile boolean strict;

    LaneQueue(long bargeNanos) {
        this.bargeNanos = bargeNanos;
        this.strict = bargeNanos == 0;
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /**
     * Under the lock: queues {@code waiter}, a running thread. Unless strict, it takes the head
     * from a parked waiter; else it queues at the end.
     */
    void enqueue(LaneWaiter waiter) {
        LaneWaiter first = waiters.peekFirst();
        if (!strict && first != null && !first.spinning) {
            waiters.addFirst(waiter); // running, it takes the competing place from a parked waiter
        } else {
            waiters.addLast(waiter);
        }
        changed();
    }

    /** Removes a waiter that now holds the lane, taking the lock. */
    void leave(LaneWaiter waiter) {
        lock.lock();
        try {
            dequeue(waiter);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: removes a waiter that now holds the lane or gave up. */
    void dequeue(LaneWaiter waiter) {
        waiters.remove(waiter);
        changed();
        relaxWhenCaughtUp();
    }

    /** Under the lock, after the lane was handed to {@code waiter}: removes it and wakes it as the holder. */
    void grant(LaneWaiter waiter) {
        dequeue(waiter);
        waiter.granted = true;
        LockSupport.unpark(waiter.thread);
    }

    /** Under the lock, after a waiter left: strict ends once no one left has waited past the bound. */
    private void relaxWhenCaughtUp() {
        if (strict && bargeNanos > 0 && !overdue(System.nanoTime())) {
            strict = false; // running threads may go first again
        }
    }

    /** Under the lock, after the queue changed: publishes its length, first and longest waiter. */
    private void changed() {
        LaneWaiter oldest = null;
        int queuedWrites = 0;
        for (LaneWaiter waiter : waiters) {
            if (oldest == null || waiter.enqueuedAt - oldest.enqueuedAt < 0) {
                oldest = waiter;
            }
            if (takeable(waiter)) {
                queuedWrites++;
            }
        }
        oldestSinceNanos = oldest == null ? NO_WAITER : oldest.enqueuedAt;
        queuedWritesWaiting = queuedWrites;
        waiting = waiters.size();
        head = waiters.peekFirst();
    }

    /** How many waiters' auto-commit writes a group's holder may take; read without the lock. */
    int queuedWritesWaiting() {
        return queuedWritesWaiting;
    }

    /** Under the lock: the waiter that has waited longest; null when none waits. */
    private LaneWaiter longestWaiter() {
        return longestWaiter(false, false);
    }

    /** Under the lock: the joinable waiter that has waited longest; null when none waits. */
    LaneWaiter longestJoinableWaiter() {
        return longestWaiter(true, false);
    }

    /**
     * Under the lock: the longest waiting write a group's holder may take is taken by
     * {@code group}, and its waiter leaves the queue (it waits for the group now); null when none,
     * or when the longest waiter is a transaction at its begin that has waited past the bound of
     * the queue's fairness: the group's holder hands it the lane next.
     */
    QueuedWrite<?> takeQueuedWrite(CommitGroup group) {
        if (overdue(System.nanoTime()) && longestWaiter().joinable) {
            return null; // a transaction passed over long enough is handed the lane next, not writes behind it
        }
        boolean withdrawn = false;
        for (LaneWaiter next = longestWaiter(false, true); next != null; next = longestWaiter(false, true)) {
            if (next.write.take(group)) {
                dequeue(next); // publishes the withdrawn ones too
                return next.write;
            }
            withdrawn = true; // its lease has ended
        }
        if (withdrawn) {
            changed();
        }
        return null;
    }

    private static boolean takeable(LaneWaiter waiter) {
        return waiter.write != null && waiter.write.waiting();
    }

    /** Under the lock: no group may take {@code write} any more; false when one took it already. */
    boolean withdraw(QueuedWrite<?> write) {
        boolean withdrawn = write.withdraw();
        changed();
        return withdrawn;
    }

    /** A scan, not an order kept on every change: the queue is short (at most one waiter per connection). */
    private LaneWaiter longestWaiter(boolean joinableOnly, boolean queuedWritesOnly) {
        LaneWaiter oldest = null;
        for (LaneWaiter waiter : waiters) {
            if ((!joinableOnly || waiter.joinable) && (!queuedWritesOnly || takeable(waiter))
                    && (oldest == null || waiter.enqueuedAt - oldest.enqueuedAt < 0)) {
                oldest = waiter;
            }
        }
        return oldest;
    }

    /** Under the lock: the head of the queue as the lock holder sees it; null when empty. */
    LaneWaiter first() {
        return waiters.peekFirst();
    }

    /** Whether {@code waiter} is the head of the queue; read without the lock. */
    boolean isHead(LaneWaiter waiter) {
        return head == waiter;
    }

    /**
     * Wakes the head of the queue if it is parked; read without the lock, after a release freed the
     * lane (its side of the Dekker pairing with a head about to park, in WriteLane).
     */
    void wakeHeadIfParked() {
        LaneWaiter first = head;
        if (first != null && !first.spinning) {
            LockSupport.unpark(first.thread); // it competes for the lane when it runs
        }
    }

    /** How many threads wait; read without the lock. */
    int waiting() {
        return waiting;
    }

    /** Whether some waiter has been passed over for longer than the bound. */
    boolean overdue(long now) {
        long since = oldestSinceNanos;
        return since != NO_WAITER && now - since > bargeNanos;
    }

    /** Whether an arrival may take a free lane before the waiters: none waits, or the queue is not strict. */
    boolean mayOvertake() {
        return waiting == 0 || !strict;
    }

    /** Turns strict when a waiter has been passed over for too long; false when it was strict already or none is. */
    boolean turnStrictIfOverdue(long now) {
        if (!strict && overdue(now)) {
            strict = true; // a waiter was passed over for too long: longest waiter first
            return true;
        }
        return false;
    }

    /** For a release: whether it must hand the lane on in strict mode, turning strict when a waiter is overdue. */
    boolean strictForRelease() {
        boolean strictNow = strict; // one read: the path taken must free or hand on the lane
        if (!strictNow && waiting != 0 && overdue(System.nanoTime())) {
            strict = strictNow = true; // a waiter that waited too long may be parked: only a release serves it
        }
        return strictNow;
    }

    /** Under the lock: the waiter a strict release hands the lane to, the longest; null when not strict. */
    LaneWaiter nextInStrictOrder() {
        return strict ? longestWaiter() : null;
    }
}
