package io.github.sqlitepool.pool;

import java.util.Arrays;
import java.util.Objects;

import org.slf4j.LoggerFactory;

/**
 * The pool's registered {@link PoolListener listeners}, copied on write: the lease path reads
 * them without a lock, and there are usually none.
 */
final class PoolListeners {

    private volatile PoolListener[] listeners = new PoolListener[0];

    /**
     * Logs a listener that threw: the pool goes on. Lane and group events fire between a hand-over
     * and the work the hand-over starts (a group's members wait for it), so a listener's exception
     * must not escape there.
     */
    static void failed(PoolListener listener, RuntimeException e) {
        LoggerFactory.getLogger(PoolListeners.class).warn("Pool listener {} threw; the pool ignores it: {}",
                listener, e.toString(), e);
    }

    /** The listeners now; empty, never null. The caller must not change the array. */
    PoolListener[] current() {
        return listeners;
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
