package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lane on its own, without a database. */
class WriteLaneTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);

    private static final Supplier<PoolStats> POOL_STATS = () -> new PoolStats("lane-test", 4, 4, 1, 3, 0);

    private WriteLane lane = new WriteLane("lane-test", POOL_STATS);

    /** The default lane, and a strictly FIFO one whose first waiter spins: both must be correct. */
    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("overtaking, defaults", new WriteLane("lane-test", POOL_STATS)),
                Arguments.of("strict FIFO, spinning", new WriteLane("lane-test", POOL_STATS,
                        TimeUnit.MICROSECONDS.toNanos(20), 0L)));
    }

    @RegisterExtension
    final HelperThreads executor = new HelperThreads();

    @Test
    void uncontendedAcquireAndRelease() throws SQLException {
        Object token = new Object();
        lane.acquire(token, LONG_WAIT);
        assertThat(lane.holder().isHeldBy(token)).isTrue();
        assertThat(lane.stats().holderThread()).isEqualTo(Thread.currentThread().getName());
        lane.release(token);
        assertThat(lane.holder().isHeldBy(token)).isFalse();
        assertThat(lane.stats()).isEqualTo(new WriteLaneStats(true, null, 0L, 0));
    }

    @Test
    void releaseByANonHolderDoesNothing() throws SQLException {
        Object holder = new Object();
        lane.acquire(holder, LONG_WAIT);
        lane.release(new Object());
        assertThat(lane.holder().isHeldBy(holder)).isTrue();
    }

    @Test
    void sameThreadAskingThroughAnotherTokenFailsAtOnce() throws Exception {
        // the wait is 30 s: only an immediate failure finishes within the 10 s bound
        Throwable failure = executor.submit(() -> {
            Thread.currentThread().setName("nested-lane-thread");
            lane.acquire(new Object(), LONG_WAIT);
            try {
                lane.acquire(new Object(), LONG_WAIT);
                return null;
            } catch (SQLException e) {
                return e;
            }
        }).get(10, TimeUnit.SECONDS);
        assertThat(failure)
                .isInstanceOf(SQLException.class)
                .isNotInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("already holds the lane")
                .hasMessageContaining("waiting could never succeed")
                .hasMessageContaining("nested-lane-thread");
    }

    @Test
    void sameThreadTakesARevocableHoldOfItsOwnOtherTokenAtOnce() throws Exception {
        Object reader = new Object();
        Object writer = new Object();
        assertThat(lane.acquireRevocable(reader, LONG_WAIT, false)).isTrue();
        lane.acquire(writer, LONG_WAIT); // the wait is 30 s: would hang without the revocation
        assertThat(lane.holder().isHeldBy(writer)).isTrue();
        assertThat(lane.holder().confirm(reader)).as("the reader's hold was revoked").isFalse();
        assertThat(lane.holder().confirm(writer)).as("a firm hold is confirmed").isTrue();
        assertThat(lane.release(writer, true)).as("commit counted").isEqualTo(1);
        assertThat(lane.counts().commits()).isEqualTo(1);
        assertThat(lane.stats().revocations()).isEqualTo(1);
    }

    @Test
    void aRevocableRequestOfAThreadThatHoldsTheLaneForAWriteGoesOnWithoutIt() throws Exception {
        Object writer = new Object();
        lane.acquire(writer, LONG_WAIT);
        assertThat(lane.acquireRevocable(new Object(), LONG_WAIT, false)).isFalse();
        assertThat(lane.holder().isHeldBy(writer)).isTrue();
        lane.release(writer, false);
        assertThat(lane.counts().commits()).as("a rollback is no commit").isZero();
    }

    @Test
    void aConfirmedHoldIsNotRevokedAndItsThreadCannotAskAgainForAWrite() throws Exception {
        Object reader = new Object();
        assertThat(lane.acquireRevocable(reader, LONG_WAIT, false)).isTrue();
        assertThat(lane.holder().confirm(reader)).isTrue();
        assertThatThrownBy(() -> lane.acquire(new Object(), LONG_WAIT))
                .hasMessageContaining("waiting could never succeed")
                .hasMessageContaining("GenerationType.IDENTITY");
        assertThat(lane.holder().isHeldBy(reader)).isTrue();
        assertThat(lane.release(reader, true)).as("a confirmed hold that commits counts").isEqualTo(1);
    }

    @Test
    void aWaiterRevokesAHoldWhoseThreadWaitsPastTheBoundAndTheHolderLearnsAtItsWrite() throws Exception {
        lane = new WriteLane("lane-test", POOL_STATS, LaneQueue.DEFAULT_SPIN_NANOS, LaneQueue.DEFAULT_BARGE_NANOS,
                TimeUnit.MILLISECONDS.toNanos(5), LONG_WAIT);
        Object reader = new Object();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch writerDone = new CountDownLatch(1);
        Future<Boolean> holder = executor.submit(() -> {
            assertThat(lane.acquireRevocable(reader, LONG_WAIT, false)).isTrue();
            held.countDown();
            writerDone.await(); // not running: revocable after 5 ms
            return lane.holder().confirm(reader);
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        Object writer = new Object();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> lane.acquire(writer, LONG_WAIT));
        lane.release(writer, true);
        writerDone.countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).as("the holder's confirm after the revocation").isFalse();
        assertThat(lane.stats().revocations()).isEqualTo(1);
        assertThat(lane.counts().commits()).isEqualTo(1);
        assertThat(lane.stats().holderThread()).isNull();
    }

    @Test
    void aRunningHolderKeepsItsRevocableHoldUntilTheLongerBound() throws Exception {
        lane = new WriteLane("lane-test", POOL_STATS, LaneQueue.DEFAULT_SPIN_NANOS, LaneQueue.DEFAULT_BARGE_NANOS,
                TimeUnit.MILLISECONDS.toNanos(1), LONG_WAIT);
        Object reader = new Object();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        Future<Boolean> holder = executor.submit(() -> {
            assertThat(lane.acquireRevocable(reader, LONG_WAIT, false)).isTrue();
            held.countDown();
            while (!stop.get()) {
                Thread.onSpinWait(); // running: only the 30 s bound would revoke it
            }
            boolean confirmed = lane.holder().confirm(reader);
            lane.release(reader, true);
            return confirmed;
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> writer = executor.submit(() -> {
            Object token = new Object();
            lane.acquire(token, LONG_WAIT);
            lane.release(token, true);
            return null;
        });
        awaitWaiting(1);
        // the writer waits far longer than the 1 ms bound for a holder that is not running
        assertThatThrownBy(() -> writer.get(200, TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        stop.set(true);
        assertThat(holder.get(10, TimeUnit.SECONDS)).isTrue();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(lane.stats().revocations()).isZero();
        assertThat(lane.counts().commits()).isEqualTo(2);
    }

    @Test
    void timeoutNamesTheHolderAndHowLongItHeldTheLane() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Object token = new Object();
        Future<?> holder = executor.submit(() -> {
            Thread.currentThread().setName("lane-holder-thread");
            lane.acquire(token, LONG_WAIT);
            held.countDown();
            done.await();
            lane.release(token);
            return null;
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> lane.acquire(new Object(), TimeUnit.MILLISECONDS.toNanos(50)))
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("not available within 50 ms")
                .hasMessageContaining("held by thread 'lane-holder-thread' for ")
                .hasMessageContaining("pool 'lane-test' (max 4");
        assertThat(lane.stats().waiting()).isZero();
        done.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertThat(lane.stats().holderThread()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void waitersPassedOverForLongerThanTheBoundAreServedInArrivalOrder(String variant, WriteLane variantLane)
            throws Exception {
        lane = variantLane;
        Object first = new Object();
        lane.acquire(first, LONG_WAIT);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int index = i;
            waiters.add(executor.submit(() -> {
                Object token = new Object();
                lane.acquire(token, LONG_WAIT);
                order.add(index);
                lane.release(token);
                return null;
            }));
            awaitWaiting(i + 1);
        }
        // parked waiters let running threads pass for up to the bound; past it, arrival order rules
        awaitOverdue();
        lane.release(first);
        for (Future<?> waiter : waiters) {
            waiter.get(10, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aThreadArrivingWhileTheFirstWaiterIsParkedGoesFirst() throws Exception {
        // no spinning, so waiters park at once; a bound far beyond the test
        lane = new WriteLane("lane-test", POOL_STATS, 0L, TimeUnit.SECONDS.toNanos(60));
        assertThat(servedOrderAfterTwoWaitersParked(false)).containsExactly("second", "first");
    }

    @Test
    void aWaiterPassedOverForLongerThanTheBoundIsServedFirst() throws Exception {
        long bound = TimeUnit.MILLISECONDS.toNanos(50);
        lane = new WriteLane("lane-test", POOL_STATS, 0L, bound);
        assertThat(servedOrderAfterTwoWaitersParked(true)).containsExactly("first", "second");
    }

    /**
     * Two threads queue while the lane is held, each parked before the next arrives; then the lane
     * is freed, at once or once the first has waited past the lane's bound.
     */
    private List<String> servedOrderAfterTwoWaitersParked(boolean releaseWhenOverdue) throws Exception {
        Object holder = new Object();
        lane.acquire(holder, LONG_WAIT);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> waiters = new ArrayList<>();
        for (String name : List.of("first", "second")) {
            CountDownLatch started = new CountDownLatch(1);
            Thread[] thread = new Thread[1];
            waiters.add(executor.submit(() -> {
                thread[0] = Thread.currentThread();
                started.countDown();
                Object token = new Object();
                lane.acquire(token, LONG_WAIT);
                order.add(name);
                lane.release(token);
                return null;
            }));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            awaitParked(thread[0]);
        }
        assertThat(lane.stats().waiting()).isEqualTo(2);
        if (releaseWhenOverdue) {
            awaitOverdue();
        }
        lane.release(holder);
        for (Future<?> waiter : waiters) {
            waiter.get(10, TimeUnit.SECONDS);
        }
        return order;
    }

    private static void awaitParked(Thread thread) {
        await("waiter parked").atMost(Duration.ofSeconds(10))
                .until(thread::getState, state -> state == Thread.State.TIMED_WAITING);
    }

    /** Until the longest waiter has been passed over for longer than the lane's bound. */
    private void awaitOverdue() {
        await("a waiter overdue").atMost(Duration.ofSeconds(10)).until(() -> lane.overdue(System.nanoTime()));
    }

    @Test
    void anotherThreadMayReleaseOnTheHoldersBehalf() throws Exception {
        Object token = new Object();
        lane.acquire(token, LONG_WAIT);
        executor.submit(() -> lane.release(token)).get(10, TimeUnit.SECONDS);
        Object next = new Object();
        lane.acquire(next, TimeUnit.SECONDS.toNanos(1));
        assertThat(lane.holder().isHeldBy(next)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void interruptedWaiterGivesUpAndKeepsItsFlag(String variant, WriteLane variantLane) throws Exception {
        lane = variantLane;
        Object token = new Object();
        lane.acquire(token, LONG_WAIT);
        CountDownLatch failed = new CountDownLatch(1);
        AtomicInteger flagKept = new AtomicInteger();
        Future<?> waiter = executor.submit(() -> {
            try {
                lane.acquire(new Object(), LONG_WAIT);
            } catch (SQLException e) {
                if (Thread.currentThread().isInterrupted() && e.getMessage().contains("interrupted")) {
                    flagKept.incrementAndGet();
                }
                failed.countDown();
            }
            return null;
        });
        awaitWaiting(1);
        waiter.cancel(true);
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(flagKept.get()).isEqualTo(1);
        assertThat(lane.stats().waiting()).isZero();
        lane.release(token);
        Object next = new Object();
        lane.acquire(next, TimeUnit.SECONDS.toNanos(1));
        assertThat(lane.holder().isHeldBy(next)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void anInterruptThatComesWithTheLaneIsNeverLost(String variant, WriteLane variantLane) {
        lane = variantLane;
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger reported = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 200; round++) {
                Object holder = new Object();
                lane.acquire(holder, LONG_WAIT);
                AtomicBoolean interruptSent = new AtomicBoolean();
                Future<?> waiter = executor.submit(() -> {
                    Object token = new Object();
                    try {
                        lane.acquire(token, LONG_WAIT);
                        while (!interruptSent.get()) {
                            Thread.onSpinWait(); // not an interruptible wait: that would clear the flag
                        }
                        // it got the lane: then the interrupt must still be visible to the caller
                        if (!Thread.currentThread().isInterrupted()) {
                            lost.incrementAndGet();
                        }
                        lane.release(token);
                    } catch (SQLException e) {
                        if (Thread.currentThread().isInterrupted() && e.getMessage().contains("interrupted")) {
                            reported.incrementAndGet();
                        }
                    }
                    return null;
                });
                awaitWaiting(1);
                // the release wakes the waiter, and so does the interrupt: whichever it sees first
                lane.release(holder);
                waiter.cancel(true);
                interruptSent.set(true);
                while (!waiter.isDone() || lane.stats().waiting() != 0 || lane.stats().holderThread() != null) {
                    Thread.onSpinWait();
                }
            }
        });
        assertThat(lost.get()).as("acquisitions that swallowed the interrupt").isZero();
        assertThat(reported.get()).as("waiters that reported the interrupt").isPositive();
        assertThat(lane.stats()).isEqualTo(new WriteLaneStats(true, null, 0L, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void manyThreadsNeverOverlapAndNeverLoseTheLane(String variant, WriteLane variantLane) {
        lane = variantLane;
        int threads = 16;
        int rounds = 2_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        long[] counter = new long[1];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    Object token = new Object();
                    for (int i = 0; i < rounds; i++) {
                        lane.acquire(token, LONG_WAIT);
                        try {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            counter[0]++;
                            inside.decrementAndGet();
                        } finally {
                            lane.release(token);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        });
        assertThat(overlaps.get()).isZero();
        assertThat(counter[0]).isEqualTo((long) threads * rounds);
        assertThat(lane.stats()).isEqualTo(new WriteLaneStats(true, null, 0L, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void waitersThatGiveUpNeverStrandTheLane(String variant, WriteLane variantLane) {
        lane = variantLane;
        int threads = 12;
        int rounds = 500;
        AtomicInteger acquired = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                futures.add(executor.submit(() -> {
                    Object token = new Object();
                    for (int i = 0; i < rounds; i++) {
                        // a third of the threads wait only microseconds and mostly give up
                        long wait = index % 3 == 0 ? TimeUnit.MICROSECONDS.toNanos(20) : LONG_WAIT;
                        try {
                            lane.acquire(token, wait);
                        } catch (SQLTransientConnectionException e) {
                            timedOut.incrementAndGet();
                            continue;
                        }
                        try {
                            acquired.incrementAndGet();
                            if (i % 50 == 0) {
                                Thread.sleep(0, 100_000); // now and then a holder is slow, as a long write is
                            }
                        } finally {
                            lane.release(token);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        });
        assertThat(acquired.get() + timedOut.get()).isEqualTo(threads * rounds);
        assertThat(acquired.get()).isGreaterThanOrEqualTo(threads * 2 / 3 * rounds);
        assertThat(lane.stats()).isEqualTo(new WriteLaneStats(true, null, 0L, 0));
    }

    private void awaitWaiting(int count) {
        await("waiters queued").atMost(Duration.ofSeconds(10)).until(() -> lane.stats().waiting() >= count);
    }
}
