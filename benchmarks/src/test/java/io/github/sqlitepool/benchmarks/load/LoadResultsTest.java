package io.github.sqlitepool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LoadResultsTest {

    private static CellResult cell(Target target, int threads, long ops) {
        return new CellResult(Workload.WRITE, target, threads, ops, Map.of(), 1.0, 1, 2, 3);
    }

    @Test
    void serialReferenceIsTheMedianSampleAndRatiosUseIt() {
        LoadResults results = new LoadResults();
        results.add(cell(Target.SERIAL, 1, 300));
        results.add(cell(Target.SERIAL, 1, 100));
        results.add(cell(Target.SERIAL, 1, 200));
        results.add(cell(Target.HIKARI, 64, 50));
        CellResult pool = cell(Target.SQLITE_POOL, 64, 180);
        results.add(pool);

        assertThat(results.serial(Workload.WRITE)).get().extracting(CellResult::ops).isEqualTo(200L);
        assertThat(results.ratioToSerial(pool).getAsDouble()).isCloseTo(0.9, within(1e-9));
        assertThat(results.ratioToHikari(pool).getAsDouble()).isCloseTo(3.6, within(1e-9));
        assertThat(results.serial(Workload.READ)).isEmpty();
        assertThat(results.ratioToHikari(cell(Target.SQLITE_POOL, 4, 1))).isEmpty();
    }

    @Test
    void withAnEvenNumberOfSerialSamplesTheLimitIsTheMeanOfTheMiddleTwo() {
        LoadResults results = new LoadResults();
        for (long ops : new long[] {100, 400, 200, 300}) {
            results.add(cell(Target.SERIAL, 1, ops));
        }
        CellResult pool = cell(Target.SQLITE_POOL, 64, 500);
        results.add(pool);

        assertThat(results.serialOpsPerSecond(Workload.WRITE).getAsDouble()).isCloseTo(250.0, within(1e-9));
        assertThat(results.ratioToSerial(pool).getAsDouble()).as("not 500 / 200").isCloseTo(2.0, within(1e-9));
        assertThat(results.serial(Workload.WRITE)).get().as("the sample shown: the slower middle one")
                .extracting(CellResult::ops).isEqualTo(200L);
    }
}
