package io.github.sqlitepool.pool;

import java.util.concurrent.atomic.AtomicInteger;

/** The state of a revocable hold: open, then confirmed by its holder or revoked by another, once. */
final class LaneClaim {

    private static final int OPEN = 0;
    private static final int CONFIRMED = 1;
    private static final int REVOKED = 2;

    static final long NOT_STARTED = Long.MIN_VALUE;

    private final AtomicInteger state = new AtomicInteger(OPEN);

    /** When the holder returned from its acquire; {@link #NOT_STARTED} before. */
    volatile long startedNanos = NOT_STARTED;

    void started(long nanos) {
        startedNanos = nanos == NOT_STARTED ? nanos + 1 : nanos;
    }

    boolean confirm() {
        return state.get() == CONFIRMED || state.compareAndSet(OPEN, CONFIRMED);
    }

    boolean revoke() {
        return state.compareAndSet(OPEN, REVOKED);
    }

    boolean open() {
        return state.get() == OPEN;
    }

    boolean confirmed() {
        return state.get() == CONFIRMED;
    }
}
