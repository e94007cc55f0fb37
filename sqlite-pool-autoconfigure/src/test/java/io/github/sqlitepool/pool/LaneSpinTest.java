package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The head of the lane's queue spins only while the lane's holds are short. */
class LaneSpinTest {

    private static final long SPIN = TimeUnit.MICROSECONDS.toNanos(50);

    private final LaneSpin spin = new LaneSpin(SPIN);

    private void holdsOf(long nanos, int count) {
        for (int i = 0; i < count; i++) {
            spin.released(nanos);
        }
    }

    @Test
    void spinsBeforeAnyHoldWasSeen() {
        assertThat(spin.spinNanos()).isEqualTo(SPIN);
    }

    @Test
    void spinsBehindShortHolds() {
        holdsOf(TimeUnit.MICROSECONDS.toNanos(20), 50); // a write and its COMMIT with synchronous=NORMAL
        assertThat(spin.spinNanos()).isEqualTo(SPIN);
        holdsOf(TimeUnit.MICROSECONDS.toNanos(200), 50); // a slower disk: a spin may still catch the end
        assertThat(spin.spinNanos()).isEqualTo(SPIN);
    }

    @Test
    void parksAtOnceBehindHoldsOfAnFsync() {
        holdsOf(TimeUnit.MILLISECONDS.toNanos(1), 50); // a COMMIT's fsync with synchronous=FULL
        assertThat(spin.spinNanos()).isZero();
    }

    @Test
    void spinsAgainOnceHoldsAreShortAgain() {
        holdsOf(TimeUnit.MILLISECONDS.toNanos(1), 50);
        holdsOf(TimeUnit.MICROSECONDS.toNanos(20), 30);
        assertThat(spin.spinNanos()).isEqualTo(SPIN);
    }

    @Test
    void oneVeryLongHoldAmongShortOnesDoesNotStopTheSpins() {
        holdsOf(TimeUnit.MICROSECONDS.toNanos(20), 50);
        spin.released(TimeUnit.SECONDS.toNanos(5)); // a transaction that wrote, then waited for seconds
        assertThat(spin.spinNanos()).as("counted as 800 us, an eighth of which moves the average").isEqualTo(SPIN);
    }

    @Test
    void noSpinConfiguredMeansNoSpin() {
        LaneSpin none = new LaneSpin(0L);
        assertThat(none.spinNanos()).isZero();
        none.released(TimeUnit.MICROSECONDS.toNanos(20));
        assertThat(none.spinNanos()).isZero();
    }
}
