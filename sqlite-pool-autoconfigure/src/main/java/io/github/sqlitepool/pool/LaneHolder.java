package io.github.sqlitepool.pool;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Who holds the {@link WriteLane} now: one immutable {@link LaneHold}, swapped by compare-and-set
 * (null when the lane is free), and what it tells the pool (whether a token or a thread holds it,
 * since when, for which commit group). The lane and its hand-offs change it; anyone reads it.
 */
final class LaneHolder {

    private final AtomicReference<LaneHold> hold = new AtomicReference<>();

    /** The current hold; null when the lane is free. */
    LaneHold get() {
        return hold.get();
    }

    boolean compareAndSet(LaneHold expected, LaneHold next) {
        return hold.compareAndSet(expected, next);
    }

    /** Takes the lane if it is free; the check first spares a spinning waiter an allocation per try. */
    boolean take(Object token, Thread thread, long sinceNanos, LaneClaim claim) {
        return hold.get() == null && hold.compareAndSet(null, new LaneHold(token, thread, sinceNanos, claim));
    }

    /**
     * Makes {@code token}'s hold firm before its first write: true when it holds the lane and no
     * one revoked it (a firm hold is confirmed already); false when it does not hold the lane.
     */
    boolean confirm(Object token) {
        LaneHold current = hold.get();
        return current != null && current.heldBy(token) && (current.claim() == null || current.claim().confirm());
    }

    /** The group {@code token} was handed the lane to join; null when it does not hold the lane that way. */
    CommitGroup groupOf(Object token) {
        LaneHold current = hold.get();
        return current != null && current.token() == token ? current.group() : null;
    }

    /** Whether {@code thread} holds the lane now, through any token. */
    boolean isHeldByThread(Thread thread) {
        LaneHold current = hold.get();
        return current != null && current.thread() == thread;
    }

    /**
     * Whether {@code thread} holds the lane now by a revocable hold (a transaction that has not
     * written, outside a group): another connection of the same thread takes it at once.
     */
    boolean isHeldRevocablyByThread(Thread thread) {
        LaneHold current = hold.get();
        return current != null && current.thread() == thread && current.claim() != null && current.group() == null;
    }

    /** Whether {@code token} holds the lane now. */
    boolean isHeldBy(Object token) {
        LaneHold current = hold.get();
        return current != null && current.heldBy(token);
    }

    /** When the current holder took the lane, in {@link System#nanoTime()} terms; 0 when it is free. */
    long heldSinceNanos() {
        LaneHold current = hold.get();
        return current == null ? 0L : current.sinceNanos();
    }
}
