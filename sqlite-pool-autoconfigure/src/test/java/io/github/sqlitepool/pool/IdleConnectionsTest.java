package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The idle connections: thread affinity, bounded, and closed with its waiters woken. */
class IdleConnectionsTest {

    @RegisterExtension
    final HelperThreads executor = new HelperThreads();

    private final List<PooledConnection> opened = new ArrayList<>();

    private PooledConnection connection() throws SQLException {
        PooledConnection connection = new PooledConnection(DriverManager.getConnection("jdbc:sqlite::memory:"));
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
        assertThat(idle.size()).isEqualTo(2);
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
        assertThat(idle.size()).isEqualTo(1);
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
        Thread.sleep(50);
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
        assertThat(idle.size()).isZero();
    }

    @Test
    void closingWakesEveryWaiter() throws Exception {
        IdleConnections idle = new IdleConnections();
        List<Future<PooledConnection>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(executor.submit(() -> idle.poll(30, TimeUnit.SECONDS)));
        }
        Thread.sleep(100); // most likely all waiting by now; a late one finds the stack closed at once

        assertThat(idle.close()).isEmpty();

        for (Future<PooledConnection> waiter : waiters) {
            assertThat(waiter.get(10, TimeUnit.SECONDS)).as("woken long before its 30 s").isNull();
        }
    }
}
