package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
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
 * are kept with the token in one immutable {@link LaneHold}, swapped by compare-and-set, so that two
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
 *
 * <p><b>Revocable holds.</b> A transaction that has not written holds the lane revocably
 * ({@link #acquireRevocable}): a waiter takes it from the holder after the bounds of
 * {@link LaneRevocation}, and the same thread asking through another token takes it at once, unless
 * the holder {@link #confirm confirms} it first (one compare-and-set each on the hold's
 * {@link LaneClaim}: exactly one wins). The lane counts the commits of holders that wrote
 * ({@link #commits()}); a revoked holder that wants to write compares that count with the one at
 * its snapshot to know whether SQLite would still let it upgrade (docs/write-lane.md).
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

    /** When a revocable hold may be taken from its holder. */
    private final LaneRevocation revocation;

    /** Commits of holders that wrote, counted at their release. */
    private final AtomicLong commits = new AtomicLong();

    private final LongAdder revocations = new LongAdder();

    private final LongAdder serializationFailures = new LongAdder();

    /** The current hold; null when the lane is free. */
    private final AtomicReference<LaneHold> holder = new AtomicReference<>();

    private final ReentrantLock queueLock = new ReentrantLock();

    /** Guarded by {@link #queueLock}. */
    private final ArrayDeque<LaneWaiter> queue = new ArrayDeque<>();

    /** The queue's length, readable without the lock; written only under it. */
    private volatile int waiting;

    /**
     * The waiter at the head of the queue: the only one that competes and spins. Usually the
     * latest running arrival; the oldest parked waiter when none arrived since, or when strict.
     */
    private volatile LaneWaiter head;

    /** When the longest waiter started waiting; {@link #NO_WAITER} when none. Written under the lock. */
    private volatile long oldestSinceNanos = NO_WAITER;

    /** Strict mode: newcomers queue at the end, releases hand the lane to the longest waiter. */
    private volatile boolean strict;

    WriteLane(String poolName, Supplier<PoolStats> poolStats) {
        this(poolName, poolStats, DEFAULT_SPIN_NANOS, DEFAULT_BARGE_NANOS);
    }

    WriteLane(String poolName, Supplier<PoolStats> poolStats, long spinNanos, long bargeNanos) {
        this(poolName, poolStats, spinNanos, bargeNanos, LaneRevocation.DEFAULT_REVOKE_NANOS,
                LaneRevocation.DEFAULT_REVOKE_RUNNING_NANOS);
    }

    WriteLane(String poolName, Supplier<PoolStats> poolStats, long spinNanos, long bargeNanos, long revokeNanos,
            long revokeRunningNanos) {
        this.poolName = poolName;
        this.poolStats = poolStats;
        this.spinNanos = spinNanos;
        this.bargeNanos = bargeNanos;
        this.revocation = new LaneRevocation(revokeNanos, revokeRunningNanos);
        this.strict = bargeNanos == 0;
    }

    /**
     * Takes the lane for {@code token} until it is released, waiting at most {@code timeoutNanos}.
     * When the calling thread holds the lane revocably through another token (a transaction that
     * has only read), that hold is revoked and the lane is taken at once.
     *
     * @throws SQLException                    at once when the calling thread already holds the
     *                                         lane through another token for a write (waiting could
     *                                         never succeed), or when interrupted while parked (flag
     *                                         kept set; an interrupt that comes while the waiter
     *                                         spins may instead find it holding the lane, flag set)
     * @throws SQLTransientConnectionException when the lane did not become free in time
     */
    void acquire(Object token, long timeoutNanos) throws SQLException {
        acquire(token, timeoutNanos, null, false);
    }

    /**
     * Takes the lane for {@code token} revocably (see the class comment), waiting at most
     * {@code timeoutNanos} and {@link LaneRevocation#DEFAULT_READ_WAIT_NANOS}; false when it did not get it in
     * that time, or, at once, when the calling thread holds it for a write through another token:
     * the caller then goes on without the lane, as a holder whose hold was revoked.
     *
     * @throws SQLException when interrupted while parked (flag kept set)
     */
    boolean acquireRevocable(Object token, long timeoutNanos) throws SQLException {
        return acquireRevocable(token, timeoutNanos, false);
    }

    /**
     * As {@link #acquireRevocable(Object, long)}; a {@code joinable} waiter may instead be handed
     * the lane firmly by a holder that opened a {@link CommitGroup} ({@link #handToJoiner}), which
     * {@link #groupOf} then tells.
     */
    boolean acquireRevocable(Object token, long timeoutNanos, boolean joinable) throws SQLException {
        LaneClaim claim = new LaneClaim();
        boolean taken = acquire(token, timeoutNanos, claim, joinable);
        claim.started(System.nanoTime()); // its holder runs: the bounds count from here
        return taken;
    }

    private boolean acquire(Object token, long timeoutNanos, LaneClaim claim, boolean joinable) throws SQLException {
        Thread current = Thread.currentThread();
        if ((waiting == 0 || !strict) && take(token, current, System.nanoTime(), claim)) {
            return true;
        }
        LaneHold hold = holder.get();
        if (hold != null && hold.token() == token && (hold.claim() == null || claim != null || hold.claim().confirm())) {
            return true; // held already (an open write result in auto-commit mode asks again); not revoked
        }
        if (hold != null && hold.thread() == current && hold.token() != token) {
            // the same thread through another connection: a transaction of its own that has only
            // read gives the lane up (a pending group member by committing its group without it);
            // one that has written keeps it, and waiting could never succeed
            if (hold.group() != null && hold.group().evict(hold.token())) {
                commits.incrementAndGet(); // counted whatever the outcome: never wrong (see release)
                if (holder.compareAndSet(hold, new LaneHold(token, current, System.nanoTime(), claim))) {
                    return true;
                }
            } else if (hold.claim() != null && hold.claim().revoke()) {
                revocations.increment();
                if (holder.compareAndSet(hold, new LaneHold(token, current, System.nanoTime(), claim))) {
                    return true;
                }
            } else if (hold.claim() == null || hold.claim().confirmed()) {
                if (claim != null) {
                    return false;
                }
                throw LaneErrors.nestedWrite(poolName, current);
            }
        }
        if (claim == null) {
            if (!awaitLane(token, current, timeoutNanos, null, false)) {
                throw LaneErrors.timeout(poolName, timeoutNanos, stats() + "; " + poolStats.get());
            }
            return true;
        }
        // a read waits a bounded time, then goes on without the lane (as a revoked one would)
        return awaitLane(token, current, Math.min(timeoutNanos, revocation.readWaitNanos()), claim, joinable);
    }

    /** Waits for the lane in the queue; false when {@code timeoutNanos} passed without it. */
    private boolean awaitLane(Object token, Thread current, long timeoutNanos, LaneClaim claim, boolean joinable)
            throws SQLException {
        LaneWaiter waiter = new LaneWaiter(token, current, claim, joinable);
        long deadline = waiter.enqueuedAt + timeoutNanos;
        queueLock.lock();
        try {
            LaneWaiter first = queue.peekFirst();
            if (!strict && first != null && !first.spinning) {
                queue.addFirst(waiter); // running, it takes the competing place from a parked waiter
            } else {
                queue.addLast(waiter);
            }
            queueChanged();
            // Dekker pairing with release(): either the holder sees waiting > 0 and wakes the first
            // waiter or hands over, or this sees the lane free and (if first) takes it.
            if (head == waiter && take(token, current, waiter.enqueuedAt, claim)) {
                dequeue(waiter);
                return true;
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
                if (take(token, current, now, claim)) {
                    leaveQueue(waiter);
                    return true;
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
            if (revokeOverdue(waiter, now)) {
                return true;
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
            LockSupport.parkNanos(this, Math.min(remaining, revocation.nanosUntilRevocable(holder.get(), now)));
            spun = false;
            waiter.spinning = true;
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (waiter.granted || !cancel(waiter)) {
            // the lane is ours: handed over while waiting, or between the last check and the cancel;
            // handed over to join a commit group, it must join (flag set): the group waits for it
            if (interrupted && groupOf(token) == null) {
                release(token);
                Thread.currentThread().interrupt();
                throw LaneErrors.interrupted(poolName, stats());
            }
            return true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw LaneErrors.interrupted(poolName, stats());
        }
        return false;
    }

    /**
     * Takes the lane from a revocable hold older than the bound; true when {@code waiter} holds it
     * now. A hold the holder confirmed first, or released meanwhile, stays as it is.
     */
    private boolean revokeOverdue(LaneWaiter waiter, long now) {
        LaneHold hold = holder.get();
        if (hold == null || hold.claim() == null || now - revocation.revocableAt(hold) < 0 || !hold.claim().revoke()) {
            return false;
        }
        revocations.increment();
        if (!holder.compareAndSet(hold, new LaneHold(waiter.token, waiter.thread, now, waiter.claim))) {
            return false; // its holder released it just now: wait as usual
        }
        leaveQueue(waiter);
        return true;
    }

    /** Removes a waiter that now holds the lane, taking the queue lock. */
    private void leaveQueue(LaneWaiter waiter) {
        queueLock.lock();
        try {
            dequeue(waiter);
        } finally {
            queueLock.unlock();
        }
    }

    /** Under the queue lock: removes a waiter that now holds the lane. */
    private void dequeue(LaneWaiter waiter) {
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
        LaneWaiter oldest = longestWaiter();
        oldestSinceNanos = oldest == null ? NO_WAITER : oldest.enqueuedAt;
        waiting = queue.size();
        head = queue.peekFirst();
    }

    /** Under the queue lock: the waiter that has waited longest (the queue is short: at most one per connection). */
    private LaneWaiter longestWaiter() {
        LaneWaiter oldest = null;
        for (LaneWaiter waiter : queue) {
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
    private boolean cancel(LaneWaiter waiter) {
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
     * Counts no commit.
     */
    void release(Object token) {
        release(token, false);
    }

    /**
     * Frees the lane as {@link #release(Object)}; {@code committed} says that the holder's
     * transaction committed, which counts in {@link #commits()} if the holder may have written
     * (a confirmed or firm hold).
     *
     * @return {@link #commits()} as of this release
     */
    long release(Object token, boolean committed) {
        LaneHold hold = holder.get();
        if (hold == null || hold.token() != token) {
            return commits.get();
        }
        long count = committed && (hold.claim() == null || hold.claim().confirmed()) ? commits.incrementAndGet()
                : commits.get();
        releaseHold(hold);
        return count;
    }

    private void releaseHold(LaneHold hold) {
        boolean strictNow = strict; // one read: the path taken must free or hand on the lane
        if (!strictNow && waiting != 0 && overdue(System.nanoTime())) {
            strict = strictNow = true; // a waiter that waited too long may be parked: only a release serves it
        }
        if (!strictNow) {
            // Dekker pairing with awaitLane(): free first, then look for waiters
            if (holder.compareAndSet(hold, null) && waiting != 0) {
                LaneWaiter first = head;
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
    private void passOn(LaneHold from) {
        LaneWaiter next = strict ? longestWaiter() : null;
        if (next != null) {
            if (holder.compareAndSet(from, new LaneHold(next.token, next.thread, System.nanoTime(), next.claim))) {
                dequeue(next);
                next.granted = true;
                LockSupport.unpark(next.thread);
            }
            return; // else a thread took the free lane (or a second release freed it) and passes it on
        }
        if (from != null) {
            holder.compareAndSet(from, null);
        }
        LaneWaiter first = queue.peekFirst();
        if (first != null && holder.get() == null) {
            LockSupport.unpark(first.thread);
        }
    }

    /**
     * Hands the lane held by {@code token} firmly to the longest waiting joinable waiter, to join
     * {@code group}; false, leaving the lane as it is, when {@code token} does not hold it or no
     * joinable waiter waits.
     */
    boolean handToJoiner(Object token, CommitGroup group) {
        if (waiting == 0) {
            return false;
        }
        queueLock.lock();
        try {
            LaneHold hold = holder.get();
            if (hold == null || hold.token() != token) {
                return false;
            }
            LaneWaiter next = null;
            for (LaneWaiter waiter : queue) {
                if (waiter.joinable && (next == null || waiter.enqueuedAt - next.enqueuedAt < 0)) {
                    next = waiter;
                }
            }
            if (next == null
                    || !holder.compareAndSet(hold, new LaneHold(next.token, next.thread, System.nanoTime(), null, group))) {
                return false;
            }
            group.handedTo(next.token);
            dequeue(next);
            next.granted = true;
            LockSupport.unpark(next.thread);
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    /** Whether anyone waits for the lane; read without a lock. */
    boolean hasWaiters() {
        return waiting != 0;
    }

    /** The group {@code token} was handed the lane to join; null when it does not hold the lane that way. */
    CommitGroup groupOf(Object token) {
        LaneHold hold = holder.get();
        return hold != null && hold.token() == token ? hold.group() : null;
    }

    /** Takes the lane if it is free; the check first spares a spinning waiter an allocation per try. */
    private boolean take(Object token, Thread thread, long sinceNanos, LaneClaim claim) {
        return holder.get() == null && holder.compareAndSet(null, new LaneHold(token, thread, sinceNanos, claim));
    }

    /**
     * Makes {@code token}'s hold firm before its first write: true when it holds the lane and no
     * one revoked it (a firm hold is confirmed already); false when it does not hold the lane.
     */
    boolean confirm(Object token) {
        LaneHold hold = holder.get();
        return hold != null && hold.token() == token && (hold.claim() == null || hold.claim().confirm());
    }

    /** Commits of holders that wrote, since the lane was made; a snapshot compares it. */
    long commits() {
        return commits.get();
    }

    /** Counts a transaction refused because someone committed after its snapshot (SQLState 40001). */
    void serializationFailure() {
        serializationFailures.increment();
    }

    /** Whether {@code thread} holds the lane now, through any token. */
    boolean isHeldByThread(Thread thread) {
        LaneHold hold = holder.get();
        return hold != null && hold.thread() == thread;
    }

    /** Whether {@code token} holds the lane now. */
    boolean isHeldBy(Object token) {
        LaneHold hold = holder.get();
        return hold != null && hold.token() == token;
    }

    /** When the current holder took the lane, in {@link System#nanoTime()} terms; 0 when it is free. */
    long heldSinceNanos() {
        LaneHold hold = holder.get();
        return hold == null ? 0L : hold.sinceNanos();
    }

    /** The lane's state now; read without a lock, so the fields may be from moments apart. */
    WriteLaneStats stats() {
        LaneHold hold = holder.get();
        long revoked = revocations.sum();
        long failures = serializationFailures.sum();
        if (hold == null) {
            return new WriteLaneStats(true, null, 0L, waiting, revoked, failures);
        }
        return new WriteLaneStats(true, hold.thread().getName(), Math.max(0L, System.nanoTime() - hold.sinceNanos()),
                waiting, revoked, failures);
    }
}
