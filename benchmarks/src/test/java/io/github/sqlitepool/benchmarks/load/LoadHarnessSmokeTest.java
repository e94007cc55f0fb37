package io.github.sqlitepool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A very short run of every workload on sqlite-pool. Not a benchmark: it asserts only that
 * operations were done and none failed, never how fast.
 */
class LoadHarnessSmokeTest {

    private final LoadRunner runner = new LoadRunner(Duration.ofMillis(100), Duration.ofMillis(400));

    @ParameterizedTest
    @EnumSource(Workload.class)
    void workloadRunsOnSqlitePoolWithoutErrors(Workload workload) {
        CellResult result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> runner.run(workload, Target.SQLITE_POOL, 4));

        assertThat(result.errors()).as("errors of %s", workload).isEmpty();
        assertThat(result.ops()).as("operations of %s", workload).isPositive();
        assertThat(result.maxNanos()).isGreaterThanOrEqualTo(result.p99Nanos())
                .as("latency histogram consistent").isPositive();
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void serialTargetRunsEveryWorkloadWithoutErrors(Workload workload) {
        CellResult result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> runner.run(workload, Target.SERIAL, 1));

        assertThat(result.errors()).isEmpty();
        assertThat(result.ops()).isPositive();
    }
}
