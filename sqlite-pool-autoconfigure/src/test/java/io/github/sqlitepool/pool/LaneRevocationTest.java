package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When a group member handed the lane may be evicted by another waiter. Its thread shows as
 * waiting until the OS runs it after the hand-over; on a loaded machine that can take longer than
 * the short bound, which must not evict a member that has not had the chance to run.
 */
class LaneRevocationTest {

    private static final long SHORT = TimeUnit.MILLISECONDS.toNanos(20);

    private static final long RUNNING = TimeUnit.MILLISECONDS.toNanos(200);

    @RegisterExtension
    final HelperThreads threads = new HelperThreads();

    private final LaneRevocation revocation = new LaneRevocation(new LaneCounts(), SHORT, RUNNING);

    /** A group with a member handed the lane at {@code handedAt}, whose hold is on {@code thread}. */
    private static LaneHold handedTo(CommitGroup group, Thread thread, long handedAt) {
        Object member = new Object();
        group.handedTo(member);
        return new LaneHold(member, thread, handedAt, null, group);
    }

    @Test
    void aMemberWhoseThreadHasNotReturnedFromItsWaitHasTheLongBoundFromTheHandOver() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> parkedThread = new AtomicReference<>();
        Future<?> parked = threads.submit(() -> {
            parkedThread.set(Thread.currentThread());
            release.await();
            return null;
        });
        Thread waiting = await().atMost(Duration.ofSeconds(10)).until(parkedThread::get,
                thread -> thread != null && thread.getState() == Thread.State.WAITING);
        CommitGroup group = new CommitGroup(null, null, 0L);
        long handedAt = System.nanoTime();
        LaneHold hold = handedTo(group, waiting, handedAt);

        assertThat(revocation.evictableAt(hold)).as("not yet run: it shows as waiting, but only for the OS")
                .isEqualTo(handedAt + RUNNING);

        group.pendingRuns(handedAt + 5);
        assertThat(revocation.evictableAt(hold)).as("ran, and waits for something else now")
                .isEqualTo(handedAt + 5 + SHORT);

        // the lane handed to the next member, whose hand-over has not reached the group yet: the
        // start the group has is the previous member's
        LaneHold next = new LaneHold(new Object(), waiting, handedAt + 10, null, group);
        assertThat(revocation.evictableAt(next)).isEqualTo(handedAt + 10 + RUNNING);
        release.countDown();
        parked.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCallerWaitingForTheGroupCountsFromTheMembersReturnFromItsWait() {
        CommitGroup group = new CommitGroup(null, null, 0L);
        group.pendingRuns(System.nanoTime()); // the previous member's
        group.handedTo(new Object());
        long handedAt = System.nanoTime();
        assertThat(group.pendingBoundsFromNanos()).as("not run yet: from the hand-over").isLessThanOrEqualTo(handedAt);
        group.pendingRuns(handedAt + 1_000);
        assertThat(group.pendingBoundsFromNanos()).isEqualTo(handedAt + 1_000);
    }

    @Test
    void aMemberWhoseThreadRunsHasTheLongBoundFromItsStart() {
        CommitGroup group = new CommitGroup(null, null, 0L);
        long handedAt = System.nanoTime();
        LaneHold hold = handedTo(group, Thread.currentThread(), handedAt);
        group.pendingRuns(handedAt + 7);
        assertThat(revocation.evictableAt(hold)).isEqualTo(handedAt + 7 + RUNNING);
    }
}
