package io.github.sqlitepool.pool;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Finds the deadlock group commit adds to code that holds a JVM lock across {@code commit()}: a
 * caller waiting for its group holds a lock that the group's running member waits for
 * (docs/write-lane.md, "Why it is off by default"). Asked only by a caller that has waited for its
 * group longer than {@link GroupCommit#PENDING_BOUND_NANOS}, since reading another thread's lock
 * state stops the JVM at a safepoint.
 *
 * <p>A cycle counts only when the member cannot move before the waiting caller lets its lock go:
 * every thread on the chain is blocked entering a {@code synchronized} block or in an
 * uninterruptible {@code lock()} of a {@code java.util.concurrent} lock (no timeout, no interrupt
 * wakes it), and the member's own thread is outside the pool and the driver, so that its part may
 * be rolled back from the waiting caller's thread.
 */
final class GroupDeadlocks {

    /** How many threads a chain of locks may pass through before the search gives up. */
    private static final int MAX_CHAIN = 16;

    /** Frames of these packages on the member's stack mean it is inside the pool or the driver. */
    private static final String[] POOL_PACKAGES = {"io.github.sqlitepool.pool.", "org.sqlite."};

    private GroupDeadlocks() {
    }

    /**
     * Whether {@code member} (the thread of the group's running member) waits, through a chain of
     * locks, for a lock {@code waiting} (a thread waiting for the group, the calling one) holds.
     *
     * <p>The chain is found first (each thread's lock owner, read one at a time), then proved from
     * its end back to the member: a thread blocked on a lock that a thread proved stuck holds is
     * stuck itself, whereas a link read before its successor was proved may have moved since.
     *
     * @return how: each thread and the lock it waits for; null when it does not, or not provably
     */
    static String lockCycle(Thread member, Thread waiting) {
        Thread.State state = member.getState();
        if (member == waiting || (state != Thread.State.BLOCKED && state != Thread.State.WAITING)) {
            return null; // the common case, without a safepoint
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] chain = new long[MAX_CHAIN];
        int length = 0;
        long threadId = member.getId();
        while (threadId != waiting.getId()) {
            ThreadInfo info = threads.getThreadInfo(threadId);
            if (length == MAX_CHAIN || info == null || info.getLockOwnerId() < 0) {
                return null;
            }
            chain[length++] = threadId;
            threadId = info.getLockOwnerId();
        }
        String how = "thread '" + waiting.getName() + "'";
        long owner = waiting.getId();
        for (int link = length - 1; link >= 0; link--) {
            ThreadInfo info = threads.getThreadInfo(chain[link], Integer.MAX_VALUE);
            if (info == null || info.getLockOwnerId() != owner || !blockedUntilTheOwnerLetsGo(info)
                    || (link == 0 && insidePool(info))) {
                return null;
            }
            how = "thread '" + info.getThreadName() + (link == 0 ? "' waits for " : "', which waits for ")
                    + info.getLockName() + " held by " + how;
            owner = chain[link];
        }
        return how;
    }

    /**
     * Whether the thread of {@code info} is blocked on a lock with an owner, in a wait that only
     * the owner's release ends: a monitor's entry, or {@code lock()} of a reentrant lock.
     */
    private static boolean blockedUntilTheOwnerLetsGo(ThreadInfo info) {
        if (info.getThreadState() == Thread.State.BLOCKED) {
            return true;
        }
        if (info.getThreadState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement frame : info.getStackTrace()) {
            String type = frame.getClassName();
            if (!type.startsWith("java.util.concurrent.locks.") && !type.startsWith("jdk.internal.misc.")) {
                return false; // left the lock's code without finding its lock(): some other wait
            }
            if (frame.getMethodName().equals("lock") && (type.equals("java.util.concurrent.locks.ReentrantLock")
                    || type.startsWith("java.util.concurrent.locks.ReentrantReadWriteLock$"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the thread of {@code info} is inside a call of the pool or the driver. */
    private static boolean insidePool(ThreadInfo info) {
        for (StackTraceElement frame : info.getStackTrace()) {
            for (String prefix : POOL_PACKAGES) {
                if (frame.getClassName().startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
