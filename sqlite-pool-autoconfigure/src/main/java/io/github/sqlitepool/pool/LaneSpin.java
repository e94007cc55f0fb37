package io.github.sqlitepool.pool;

/**
 * How long the head of the {@link WriteLane}'s queue spins before it parks: its spin pays only
 * when the hold it waits for ends within it. The lane keeps a moving average of its holds that
 * committed a write (weight 1/8 for the newest), and the head spins only while they are short:
 * with {@code synchronous=NORMAL} a write holds the lane for tens of microseconds and the head
 * spins as before; with {@code synchronous=FULL} a hold lasts at least its {@code COMMIT}'s fsync,
 * about a millisecond, and a spinning head only burned a core that the callers and the holder
 * needed (docs/write-lane.md, "Spinning only for short holds").
 */
final class LaneSpin {

    /** Holds are long, and the head parks at once, from an average of this many spins. */
    private static final long LONG_HOLD_IN_SPINS = 8;

    /**
     * A hold counts at most this many spins long: whether holds are long is all the average tells,
     * and one very long hold (a transaction that writes, then waits for seconds) should stop spins
     * only for a few holds after it.
     */
    private static final long LONGEST_SAMPLE_IN_SPINS = 16;

    private final long spinNanos;

    private final long longHoldNanos;

    private final long longestSampleNanos;

    /** The moving average of recent holds; written at each release, a racy update loses at most one sample. */
    private volatile long averageHoldNanos;

    LaneSpin(long spinNanos) {
        this.spinNanos = spinNanos;
        this.longHoldNanos = spinNanos * LONG_HOLD_IN_SPINS;
        this.longestSampleNanos = spinNanos * LONGEST_SAMPLE_IN_SPINS;
    }

    /** A hold of the lane that committed a write ended after {@code heldNanos}. */
    void released(long heldNanos) {
        long average = averageHoldNanos;
        long sample = Math.min(Math.max(heldNanos, 0L), longestSampleNanos);
        averageHoldNanos = average + ((sample - average) >> 3);
    }

    /** How long a head that finds the lane held spins: the configured spin while holds are short, else 0. */
    long spinNanos() {
        return averageHoldNanos < longHoldNanos ? spinNanos : 0L;
    }
}
