package io.github.sqlitepool.pool;

import java.util.Arrays;
import java.util.Objects;

/**
 * The pool's registered {@link PoolListener listeners}, copied on write: the lease path reads
 * them without a lock, and there are usually none.
 */
final class PoolListeners {

    private volatile PoolListener[] listeners = new PoolListener[0];

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
