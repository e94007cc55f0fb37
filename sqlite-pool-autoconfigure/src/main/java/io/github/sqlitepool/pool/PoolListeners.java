package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

import org.slf4j.LoggerFactory;

/**
 * The pool's registered {@link PoolListener listeners}, copied on write: the lease path reads
 * them without a lock, and there are usually none.
 */
final class PoolListeners {

    private volatile PoolListener[] listeners = new PoolListener[0];

    /**
     * Tells every listener of {@code event}. One that throws is logged and the others are still
     * told: events fire between a claim or a hand-over and the work it starts (a lease not yet
     * returned to its caller, a connection not yet taken back, a group's members waiting), so a
     * listener's exception must not escape there.
     */
    void tell(Consumer<PoolListener> event) {
        for (PoolListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                failed(listener, e);
            }
        }
    }

    /** {@link #tell} for the lease path's event, without a lambda to allocate on every lease. */
    void leaseAcquired(Connection lease, long waitNanos) {
        for (PoolListener listener : listeners) {
            try {
                listener.leaseAcquired(lease, waitNanos);
            } catch (RuntimeException e) {
                failed(listener, e);
            }
        }
    }

    /** {@link #tell} for the return path's event, without a lambda to allocate on every return. */
    void leaseReleased(Connection lease, long heldNanos) {
        for (PoolListener listener : listeners) {
            try {
                listener.leaseReleased(lease, heldNanos);
            } catch (RuntimeException e) {
                failed(listener, e);
            }
        }
    }

    private static void failed(PoolListener listener, RuntimeException e) {
        LoggerFactory.getLogger(PoolListeners.class).warn("Pool listener {} threw; the pool ignores it: {}",
                listener, e.toString(), e);
    }

    /** Whether a listener is registered: events that cost something to describe are made only then. */
    boolean any() {
        return listeners.length != 0;
    }

    synchronized void add(PoolListener listener) {
        PoolListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[next.length - 1] = Objects.requireNonNull(listener, "listener");
        listeners = next;
    }

    synchronized void remove(PoolListener listener) {
        listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(PoolListener[]::new);
    }
}
