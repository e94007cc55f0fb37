package io.github.sqlitepool.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Two connections opened beside the pool's {@code max-connections} and leased only to threads that
 * would otherwise wait behind the very threads that wait for them, so that the pool always makes
 * progress:
 * <ul>
 * <li>{@link #FOR_LANE_HOLDER}: to the thread that holds the write lane. Every other lease may be
 * held by a thread waiting for the lane; without it, the holder's second connection (a
 * {@code REQUIRES_NEW} read, say) would wait for them while they wait for it.</li>
 * <li>{@link #FOR_OPEN_TRANSACTION}: to a thread that has a transaction open on another lease
 * ({@code REQUIRES_NEW}, an id generator's isolated connection). Every connection may be held by
 * such a thread waiting for a second one; one of them at a time gets this one, finishes, and
 * gives it back.</li>
 * </ul>
 * Each is taken only when no ordinary connection is idle at that moment. A thread that needs more
 * than one of them waits like any other.
 */
final class ReserveConnections {

    static final int FOR_LANE_HOLDER = 0;

    static final int FOR_OPEN_TRANSACTION = 1;

    private final AtomicReferenceArray<PooledConnection> slots = new AtomicReferenceArray<>(2);

    /** The slot each reserve connection belongs to, leased or not. */
    private final Map<PooledConnection, Integer> homes = new ConcurrentHashMap<>();

    private final LongAdder leases = new LongAdder();

    private volatile boolean closed;

    /** The reserve connections, leased or not. */
    List<PooledConnection> members() {
        return List.copyOf(homes.keySet());
    }

    /** Puts a newly opened connection into {@code slot}; false when closed (the caller closes it). */
    boolean add(int slot, PooledConnection connection) {
        homes.put(connection, slot);
        if (closed) {
            homes.remove(connection);
            return false;
        }
        slots.set(slot, connection);
        return true;
    }

    /** Takes the connection of {@code slot}, or null when it is leased (or lost). */
    PooledConnection take(int slot) {
        if (slots.get(slot) == null) {
            return null;
        }
        PooledConnection connection = slots.getAndSet(slot, null);
        if (connection != null) {
            leases.increment();
        }
        return connection;
    }

    /** Whether {@code connection} is one of the reserve's. */
    boolean owns(PooledConnection connection) {
        return homes.containsKey(connection);
    }

    /** Puts a reset connection back in its slot; false when closed (the caller closes it). */
    boolean giveBack(PooledConnection connection) {
        Integer slot = homes.get(connection);
        if (slot == null || closed) {
            homes.remove(connection);
            return false;
        }
        slots.set(slot, connection);
        if (closed && slots.compareAndSet(slot, connection, null)) {
            homes.remove(connection);
            return false; // close() ran meanwhile and did not see it: the caller closes it
        }
        return true;
    }

    /** Forgets a reserve connection that was closed; returns its slot, for a replacement. */
    int forget(PooledConnection connection) {
        Integer slot = homes.remove(connection);
        return slot == null ? -1 : slot;
    }

    /** Leases served from the reserve since the pool started. */
    long leases() {
        return leases.sum();
    }

    /** Refuses further returns and takes out the connections not leased now, for the caller to close. */
    List<PooledConnection> close() {
        closed = true;
        List<PooledConnection> drained = new ArrayList<>(2);
        for (int slot = 0; slot < slots.length(); slot++) {
            PooledConnection connection = slots.getAndSet(slot, null);
            if (connection != null) {
                homes.remove(connection);
                drained.add(connection);
            }
        }
        return drained;
    }
}
