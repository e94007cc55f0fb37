package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The idle connections: thread affinity, bounded, and closed with its waiters woken. */
class IdleConnectionsTest {

    @RegisterExtension
    final HelperThreads executor = new HelperThreads();

    private final List<PooledConnection> opened = new ArrayList<>();

    private PooledConnection connection() throws SQLException {
        PooledConnection connection = new PooledConnection(DriverManager.getConnection("jdbc:sqlite::memory:"),
                new StatementCache(0));
        opened.add(connection);
        return connection;
    }

    @AfterEach
    void closeConnections() throws SQLException {
        for (PooledConnection connection : opened) {
            connection.raw().close();
        }
    }

    @Test
    void aThreadGetsBackTheConnectionItReturnedLastElseTheFirstIdleInOrder() throws Exception {
        IdleConnections idle = new IdleConnections();
        PooledConnection a = connection();
        PooledConnection b = connection();
        assertThat(idle.offer(a, 3)).isTrue();
        assertThat(idle.offer(b, 3)).isTrue();
        assertThat(idle.count(PooledConnection.Lifecycle.IDLE)).isEqualTo(2);
        assertThat(idle.poll()).as("new connections: in the order they joined").isSameAs(a);
        assertThat(idle.poll()).isSameAs(b);
        assertThat(idle.poll()).isNull();
        assertThat(idle.offer(a, 3)).isTrue();
        assertThat(idle.offer(b, 3)).isTrue();
        assertThat(idle.poll()).as("the one this thread returned last: its page cache is warm").isSameAs(b);
        assertThat(idle.poll()).isSameAs(a);
        PooledConnection fromAnotherThread = executor.submit(() -> {
            idle.offer(a, 3);
            return idle.poll();
        }).get(10, TimeUnit.SECONDS);
        assertThat(fromAnotherThread).isSameAs(a);
    }

    @Test
    void refusesMoreThanItsCapacity() throws Exception {
        IdleConnections idle = new IdleConnections();
        assertThat(idle.offer(connection(), 1)).isTrue();
        assertThat(idle.offer(connection(), 1)).as("full: the caller must close it").isFalse();
        assertThat(idle.count(PooledConnection.Lifecycle.IDLE)).isEqualTo(1);
    }

    @Test
    void theCountsAreReadFromTheConnectionsStates() throws Exception {
        IdleConnections idle = new IdleConnections();
        PooledConnection a = connection();
        PooledConnection b = connection();
        PooledConnection c = connection();
        idle.offer(a, 3);
        idle.offer(b, 3);
        idle.offer(c, 3);
        assertThat(idle.poll()).isSameAs(a);
        assertThat(idle.stats("p", 3)).isEqualTo(new PoolStats("p", 3, 3, 1, 2, 0));

        assertThat(b.markClosed()).as("closed by the pool").isTrue();
        assertThat(idle.stats("p", 3)).as("a closed connection no longer counts")
                .isEqualTo(new PoolStats("p", 3, 2, 1, 1, 0));
        idle.forget(b);

        assertThat(idle.close()).as("retired: the idle one").containsExactly(c);
        assertThat(idle.stats("p", 3)).as("retired counts as idle until the pool closes it")
                .isEqualTo(new PoolStats("p", 3, 2, 1, 1, 0));
    }

    @Test
    void aConnectionClosedWhileLeasedCannotComeBack() throws Exception {
        IdleConnections idle = new IdleConnections();
        PooledConnection a = connection();
        idle.offer(a, 1);
        assertThat(idle.poll()).isSameAs(a);
        assertThat(a.markClosed()).as("a forced shutdown closes it under its lease").isTrue();
        assertThat(a.markClosed()).as("only the first close acts").isFalse();

        assertThat(idle.offer(a, 1)).as("refused: the caller must not reuse it").isFalse();
        assertThat(a.state()).isEqualTo(PooledConnection.Lifecycle.CLOSED);
        assertThat(idle.poll()).isNull();
    }

    @Test
    void aTimedPollReturnsNullWhenNothingComes() throws Exception {
        IdleConnections idle = new IdleConnections();
        long start = System.nanoTime();
        assertThat(idle.poll(50, TimeUnit.MILLISECONDS)).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void anOfferWakesAWaiter() throws Exception {
        IdleConnections idle = new IdleConnections();
        PooledConnection a = connection();
        Future<PooledConnection> waiter = executor.submit(() -> idle.poll(30, TimeUnit.SECONDS));
        awaitWaiters(idle, 1);
        assertThat(idle.offer(a, 1)).isTrue();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isSameAs(a);
    }

    @Test
    void closingReturnsTheIdleConnectionsAndRefusesOffers() throws Exception {
        IdleConnections idle = new IdleConnections();
        PooledConnection a = connection();
        PooledConnection b = connection();
        idle.offer(a, 2);
        idle.offer(b, 2);

        assertThat(idle.close()).containsExactlyInAnyOrder(a, b);

        assertThat(idle.offer(connection(), 2)).as("closed: the caller must close it").isFalse();
        assertThat(idle.poll()).isNull();
        assertThat(idle.poll(10, TimeUnit.SECONDS)).as("no wait once closed").isNull();
        assertThat(idle.count(PooledConnection.Lifecycle.IDLE)).isZero();
    }

    @Test
    void closingWakesEveryWaiter() throws Exception {
        IdleConnections idle = new IdleConnections();
        List<Future<PooledConnection>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(executor.submit(() -> idle.poll(30, TimeUnit.SECONDS)));
        }
        awaitWaiters(idle, 3);

        assertThat(idle.close()).isEmpty();

        for (Future<PooledConnection> waiter : waiters) {
            assertThat(waiter.get(10, TimeUnit.SECONDS)).as("woken long before its 30 s").isNull();
        }
    }

    @Test
    void aStarvingWaiterGetsAConnectionFromAThreadThatNeverStopsTakingIt() throws Exception {
        IdleConnections idle = new IdleConnections();
        idle.offer(connection(), 1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong greedyLeases = new AtomicLong();
        // the running thread would win every race: it returns and retakes at once, with affinity
        Future<?> greedy = executor.submit(() -> {
            while (!stop.get()) {
                PooledConnection taken = idle.poll();
                if (taken == null) {
                    taken = idle.poll(30, TimeUnit.SECONDS);
                }
                if (taken != null) {
                    greedyLeases.incrementAndGet();
                    idle.offer(taken, 1);
                }
            }
            return null;
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> greedyLeases.get() > 0);
            Future<PooledConnection> starving = executor.submit(() -> idle.poll(30, TimeUnit.SECONDS));
            PooledConnection handed = starving.get(10, TimeUnit.SECONDS);
            assertThat(handed).as("handed over long before the waiter's 30 s, while the other thread kept going")
                    .isNotNull();
            idle.offer(handed, 1);
        } finally {
            stop.set(true);
            greedy.get(10, TimeUnit.SECONDS);
        }
        assertThat(greedyLeases.get()).as("the running thread was not stopped by the hand-off rule").isPositive();
    }

    @Test
    void aStarvingWaiterFindsAnIdleConnectionWithoutAnotherReturn() throws Exception {
        // hand-offs at most once a second, so that the second return below is surely not one
        IdleConnections idle = new IdleConnections(TimeUnit.SECONDS.toNanos(1));
        idle.offer(connection(), 1);
        PooledConnection held = idle.poll();
        Future<PooledConnection> first = executor.submit(() -> idle.poll(30, TimeUnit.SECONDS));
        awaitWaiters(idle, 1);
        Future<PooledConnection> second = executor.submit(() -> idle.poll(30, TimeUnit.SECONDS));
        awaitWaiters(idle, 2);
        long secondWaiting = System.nanoTime(); // it has waited at least since then
        awaitStarving(idle);

        idle.offer(held, 1); // handed to the first waiter
        PooledConnection handed = first.get(10, TimeUnit.SECONDS);
        // the second waiter is head now; woken when the first left, it must go back to sleep and
        // be starving itself before the return below, or it would simply be woken by it
        awaitParkedAndStarvingSince(idle, secondWaiting);
        // returned before the next hand-off is due: no one is woken by this return, so the
        // second waiter must notice the idle connection by itself when the hand-off is due
        idle.offer(handed, 1);

        assertThat(second.get(10, TimeUnit.SECONDS)).as("taken long before the waiter's 30 s").isSameAs(handed);
    }

    @Test
    void aHeadThatStartsStarvingAsleepTakesAConnectionReturnedBeforeItsHandOffWasDue() throws Exception {
        IdleConnections idle = new IdleConnections(TimeUnit.MILLISECONDS.toNanos(200));
        PooledConnection first = connection();
        PooledConnection second = connection();
        idle.offer(first, 2);
        idle.offer(second, 2);
        assertThat(idle.poll()).isSameAs(first);
        assertThat(idle.poll()).isSameAs(second);
        Future<PooledConnection> earlier = executor.submit(() -> idle.poll(10, TimeUnit.SECONDS));
        awaitWaiters(idle, 1);
        awaitStarving(idle); // the first hand-off is due at once
        idle.offer(first, 2); // handed to it: the next hand-off is due 200 ms from now
        long handedOff = System.nanoTime();
        assertThat(earlier.get(5, TimeUnit.SECONDS)).isSameAs(first);

        Future<PooledConnection> later = executor.submit(() -> idle.poll(10, TimeUnit.SECONDS));
        awaitWaiters(idle, 1);
        // it starts starving while it sleeps, looks once, and sleeps until its hand-off is due
        awaitParkedAndStarvingSince(idle, System.nanoTime());
        idle.offer(second, 2); // no hand-off and no wake-up: the connection stays idle
        assertThat(later.get(5, TimeUnit.SECONDS))
                .as("looked for it when the hand-off fell due, not at the end of its 10 s timeout").isSameAs(second);
        assertThat(Duration.ofNanos(System.nanoTime() - handedOff))
                .as("taken when the hand-off fell due, not at once").isGreaterThanOrEqualTo(Duration.ofMillis(150))
                .isLessThan(Duration.ofSeconds(3));
    }

    private static void awaitWaiters(IdleConnections idle, int count) {
        await().atMost(Duration.ofSeconds(10)).until(idle::waiting, waiting -> waiting == count);
    }

    /**
     * Until the head, waiting since {@code waitingSince} or earlier, has been starving for a while
     * (so it has woken to look once already) and is parked again: only a return that hands the
     * connection over, or its own next look, can give it one now.
     */
    private static void awaitParkedAndStarvingSince(IdleConnections idle, long waitingSince) {
        long lookedOnce = IdleConnections.STARVATION_NANOS + TimeUnit.MILLISECONDS.toNanos(20);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> System.nanoTime() - waitingSince > lookedOnce && idle.parkedWaiters() == 1);
    }

    /** Until the longest waiter has waited past {@link IdleConnections#STARVATION_NANOS}. */
    private static void awaitStarving(IdleConnections idle) {
        await().atMost(Duration.ofSeconds(10)).until(() -> idle.headIsStarving(System.nanoTime()));
    }
}
